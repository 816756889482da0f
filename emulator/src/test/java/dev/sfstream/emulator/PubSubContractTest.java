package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.ProducerEvent;
import com.salesforce.eventbus.protobuf.PublishRequest;
import com.salesforce.eventbus.protobuf.PublishResponse;
import com.salesforce.eventbus.protobuf.PublishResult;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import com.salesforce.eventbus.protobuf.SchemaInfo;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import com.salesforce.eventbus.protobuf.TopicInfo;
import com.salesforce.eventbus.protobuf.TopicRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Pub/Sub API's contract, walked by a client written here with grpc-java's plain stubs: topics, schemas, Avro,
 * replay presets, flow control, keepalives, the idle close, publishing, and each error with its status, trailers and
 * text.
 */
class PubSubContractTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration KEEPALIVE = Duration.ofMillis(300);
    static final Duration IDLE = Duration.ofMillis(900);
    static Emulator emulator;
    static PubSubTestClient client;

    @BeforeAll
    static void start() {
        emulator = FastOrg.fast().platformEvent("Order_Placed__e", "Order_Number__c", "Amount__c")
                .platformEvent("Idle_Test__e", "Note__c").platformEvent("Credit_Test__e", "Note__c")
                .pubSub(PubSubSettings.defaults().plaintext(true).keepaliveInterval(KEEPALIVE).idleTimeout(IDLE)
                        .publishStreamIdleTimeout(IDLE))
                .build().start();
        client = PubSubTestClient.loggedIn(emulator);
    }

    @AfterAll
    static void stop() {
        client.close();
        emulator.close();
    }

    @Test
    void getTopicAndGetSchemaGiveSalesforcesShapeOfADeclaredPlatformEvent() {
        TopicInfo topic = client.blocking().getTopic(TopicRequest.newBuilder().setTopicName("/event/Order_Placed__e")
                .build());
        assertThat(topic.getTopicName()).isEqualTo("/event/Order_Placed__e");
        assertThat(topic.getCanPublish()).isTrue();
        assertThat(topic.getCanSubscribe()).isTrue();
        assertThat(topic.getTenantGuid()).isEqualTo(emulator.orgId());
        assertThat(topic.getSchemaId()).matches("[A-Za-z0-9_-]{22}");
        assertThat(topic.getRpcId()).isNotEmpty();

        SchemaInfo info = client.blocking().getSchema(SchemaRequest.newBuilder().setSchemaId(topic.getSchemaId())
                .build());
        assertThat(info.getSchemaId()).isEqualTo(topic.getSchemaId());
        JsonNode json = RawHttp.parse(info.getSchemaJson());
        assertThat(json.path("namespace").asText()).isEqualTo("com.sforce.eventbus");
        assertThat(json.path("name").asText()).isEqualTo("Order_Placed__e");
        assertThat(json.path("uuid").asText()).isEqualTo(topic.getSchemaId());
        assertThat(json.path("fields").get(0).path("name").asText()).isEqualTo("CreatedDate");
        assertThat(json.path("fields").get(0).path("type").asText()).isEqualTo("long");
        assertThat(json.path("fields").get(1).path("name").asText()).isEqualTo("CreatedById");
        assertThat(json.path("fields").get(1).path("type").asText()).isEqualTo("string");
        JsonNode custom = json.path("fields").get(2);
        assertThat(custom.path("name").asText()).isEqualTo("Order_Number__c");
        assertThat(custom.path("type").toString()).isEqualTo("[\"null\",\"string\"]");
        assertThat(custom.has("default") && custom.get("default").isNull()).isTrue();
    }

    @Test
    void legacyAndUnknownTopicsAreNotFound() {
        for (String topic : List.of("/topic/LeadUpdates", "/u/notifications", "/event/Nobody_Published__e",
                "/data/InvoiceChangeEvent")) {
            assertThatThrownBy(() -> client.blocking().getTopic(TopicRequest.newBuilder().setTopicName(topic).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                        assertThat(e.getStatus().getDescription()).startsWith("The topic information for org CORE/prod/"
                                + emulator.orgId() + " and topic " + topic + " not found.");
                        assertSalesforceError(e.getStatus(), e.getTrailers(), "topic.not.found", "GetTopic");
                    });
        }
        assertThat(client.blocking().getTopic(TopicRequest.newBuilder().setTopicName("/data/AccountChangeEvent")
                .build()).getCanPublish()).isFalse();
    }

    @Test
    void earliestLatestAndCustomReadTheLogWithCreditAccounting() throws Exception {
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "E-1", "Amount__c", 1.5));
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "E-2"));
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "E-3"));

        PubSubTestClient.Stream earliest = client.subscribe("/event/Order_Placed__e", ReplayPreset.EARLIEST, 2);
        List<ConsumerEvent> received = new ArrayList<>();
        while (received.size() < 2) {
            FetchResponse r = earliest.nextWithEvents(WAIT);
            received.addAll(r.getEventsList());
            assertThat(r.getPendingNumRequested()).isEqualTo(2 - received.size());
            assertThat(PubSubTestClient.replayId(r.getLatestReplayId()))
                    .isEqualTo(PubSubTestClient.replayId(r.getEvents(r.getEventsCount() - 1).getReplayId()));
            assertThat(r.getRpcId()).isNotEmpty();
        }
        GenericRecord first = client.decode(received.get(0));
        assertThat(first.get("Order_Number__c").toString()).isEqualTo("E-1");
        assertThat(first.get("Amount__c")).isEqualTo(1.5);
        assertThat(first.get("CreatedById").toString()).isEqualTo(emulator.userId(Emulator.DEFAULT_USERNAME));
        assertThat((Long) first.get("CreatedDate")).isPositive();
        assertThat(received.get(0).getReplayId().size()).isEqualTo(8);
        long id1 = PubSubTestClient.replayId(received.get(0).getReplayId());
        long id2 = PubSubTestClient.replayId(received.get(1).getReplayId());
        assertThat(id2).isGreaterThan(id1);

        // No credit left: nothing more comes until the client asks; then the third, and keepalives with the rest.
        earliest.request(5);
        FetchResponse third = earliest.nextWithEvents(WAIT);
        assertThat(third.getEventsCount()).isEqualTo(1);
        assertThat(third.getPendingNumRequested()).isEqualTo(4);
        FetchResponse keepalive = earliest.next(WAIT);
        assertThat(keepalive.getEventsCount()).isZero();
        assertThat(keepalive.getPendingNumRequested()).isEqualTo(4);
        assertThat(keepalive.getLatestReplayId()).isEqualTo(third.getEvents(0).getReplayId());
        earliest.cancel();

        PubSubTestClient.Stream custom = client.subscribe("/event/Order_Placed__e", ReplayPreset.CUSTOM,
                received.get(0).getReplayId(), 10);
        List<ConsumerEvent> after = new ArrayList<>();
        while (after.size() < 2) {
            after.addAll(custom.nextWithEvents(WAIT).getEventsList());
        }
        assertThat(after.get(0).getReplayId()).isEqualTo(received.get(1).getReplayId());
        assertThat(client.decode(after.get(1)).get("Order_Number__c").toString()).isEqualTo("E-3");
        custom.cancel();

        PubSubTestClient.Stream latest = client.subscribe("/event/Order_Placed__e", ReplayPreset.LATEST, 1);
        assertThat(latest.next(WAIT).getEventsCount()).as("a keepalive first: nothing new yet").isZero();
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "L-1"));
        FetchResponse live = latest.nextWithEvents(WAIT);
        assertThat(client.decode(live.getEvents(0)).get("Order_Number__c").toString()).isEqualTo("L-1");
        assertThat(live.getPendingNumRequested()).isZero();
        latest.cancel();
    }

    @Test
    void creditIsCappedAtAHundredPendingAndOnlyTheFirstRequestsReplayOptionsCount() throws Exception {
        for (int i = 0; i < 3; i++) {
            emulator.publishEvent("Credit_Test__e", Map.of("Note__c", "n" + i));
        }
        PubSubTestClient.Stream stream = client.subscribe("/event/Credit_Test__e", ReplayPreset.LATEST, 150);
        FetchResponse first = stream.next(WAIT);
        assertThat(first.getEventsCount()).isZero();
        assertThat(first.getPendingNumRequested()).isEqualTo(100);
        // A later request's preset is ignored: EARLIEST here replays nothing.
        stream.requests.onNext(com.salesforce.eventbus.protobuf.FetchRequest.newBuilder()
                .setReplayPreset(ReplayPreset.EARLIEST).setNumRequested(50).build());
        FetchResponse next = stream.next(WAIT);
        assertThat(next.getEventsCount()).isZero();
        assertThat(next.getPendingNumRequested()).isEqualTo(100);
        stream.cancel();
    }

    @Test
    void aStreamWithNoCreditLeftIsClosedAfterTheIdleTimeout() throws Exception {
        emulator.publishEvent("Idle_Test__e", Map.of("Note__c", "one"));
        PubSubTestClient.Stream stream = client.subscribe("/event/Idle_Test__e", ReplayPreset.EARLIEST, 1);
        FetchResponse r = stream.nextWithEvents(WAIT);
        assertThat(r.getPendingNumRequested()).isZero();
        long sent = System.nanoTime();
        assertThat(stream.end(WAIT)).isEqualTo(Status.OK);
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(IDLE.minusMillis(50));
        assertThat(stream.responses).as("no keepalive without credit").isEmpty();
    }

    @Test
    void aBadTokenEndsEveryCallWithTheAuthError() throws Exception {
        PubSubTestClient bad = new PubSubTestClient(emulator, "00D000000000000!not-a-token");
        try {
            assertThatThrownBy(() -> bad.blocking().getTopic(TopicRequest.newBuilder()
                    .setTopicName("/event/Order_Placed__e").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertAuthError(e.getStatus(),
                            e.getTrailers(), "GetTopic"));
            PubSubTestClient.Stream stream = bad.subscribe("/event/Order_Placed__e", ReplayPreset.LATEST, 1);
            assertAuthError(stream.end(WAIT), stream.trailers, "Subscribe");
        } finally {
            bad.close();
        }
        String token = new RawHttp(emulator.url()).login().path("access_token").asText();
        PubSubTestClient otherOrg = new PubSubTestClient(emulator, token, "00D000000000001AAA");
        try {
            assertThatThrownBy(() -> otherOrg.blocking().getTopic(TopicRequest.newBuilder()
                    .setTopicName("/event/Order_Placed__e").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                            .isEqualTo(Status.Code.UNAUTHENTICATED));
        } finally {
            otherOrg.close();
        }
        PubSubTestClient fullTenant = new PubSubTestClient(emulator, token, "core/acme/" + emulator.orgId()
                .substring(0, 15));
        try {
            assertThat(fullTenant.blocking().getTopic(TopicRequest.newBuilder()
                    .setTopicName("/event/Order_Placed__e").build()).getRpcId()).isNotEmpty();
        } finally {
            fullTenant.close();
        }
    }

    @Test
    void badRequestsEndTheStreamWithSalesforcesErrors() throws Exception {
        PubSubTestClient.Stream none = client.subscribe("/event/Order_Placed__e", ReplayPreset.LATEST, 0);
        Status zero = none.end(WAIT);
        assertThat(zero.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(zero.getDescription()).startsWith("The requested number of events in a fetch request must be "
                + "greater than zero.");
        assertSalesforceError(zero, none.trailers, "subscription.fetch.requested.events.invalid", "Subscribe");

        PubSubTestClient.Stream garbage = client.subscribe("/event/Order_Placed__e", ReplayPreset.CUSTOM,
                ByteString.copyFromUtf8("12345"), 1);
        Status corrupted = garbage.end(WAIT);
        assertThat(corrupted.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(corrupted.getDescription()).startsWith("The Replay ID validation failed.");
        assertSalesforceError(corrupted, garbage.trailers, "subscription.fetch.replayid.corrupted", "Subscribe");

        PubSubTestClient.Stream unknown = client.subscribe("/event/Order_Placed__e", ReplayPreset.CUSTOM,
                PubSubTestClient.replayId(999_999_999L), 1);
        assertSalesforceError(unknown.end(WAIT), unknown.trailers, "subscription.fetch.replayid.corrupted",
                "Subscribe");

        PubSubTestClient.Stream missing = client.subscribe("/event/Order_Placed__e", ReplayPreset.CUSTOM, 1);
        assertSalesforceError(missing.end(WAIT), missing.trailers, "subscription.fetch.replayid.validation.failed",
                "Subscribe");

        PubSubTestClient.Stream mismatch = client.subscribe("/event/Order_Placed__e", ReplayPreset.LATEST, 1);
        mismatch.requests.onNext(com.salesforce.eventbus.protobuf.FetchRequest.newBuilder()
                .setTopicName("/event/Idle_Test__e").setNumRequested(1).build());
        Status mismatched = mismatch.end(WAIT);
        assertThat(mismatched.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertSalesforceError(mismatched, mismatch.trailers, "subscription.fetch.topic.mismatch", "Subscribe");
    }

    @Test
    void publishGivesOneResultPerEventInOrderAndSubscribersOfBothApisGetThePublishedEvents() throws Exception {
        RawHttp cometd = new RawHttp(emulator.url());
        cometd.login();
        cometd.connected();
        cometd.subscribe("/event/Order_Placed__e", -1);

        TopicInfo topic = client.blocking().getTopic(TopicRequest.newBuilder().setTopicName("/event/Order_Placed__e")
                .build());
        Schema schema = client.schema(topic.getSchemaId());
        String userId = emulator.userId(Emulator.DEFAULT_USERNAME);
        PublishRequest request = PublishRequest.newBuilder().setTopicName("/event/Order_Placed__e")
                .addEvents(event("corr-1", topic.getSchemaId(), schema, userId, "P-1"))
                .addEvents(event("", topic.getSchemaId(), schema, "", "P-2"))
                .addEvents(event("corr-3", "AAAAAAAAAAAAAAAAAAAAAA", schema, userId, "P-3"))
                .addEvents(ProducerEvent.newBuilder().setId("corr-4").setSchemaId(topic.getSchemaId())
                        .setPayload(ByteString.copyFrom(new byte[1_048_577])))
                .addEvents(event("corr-5", topic.getSchemaId(), schema, userId, "P-5"))
                .build();
        PublishResponse response = client.blocking().publish(request);
        assertThat(response.getRpcId()).isNotEmpty();
        assertThat(response.getResultsCount()).isEqualTo(5);
        List<PublishResult> results = response.getResultsList();
        assertThat(results.get(0).getCorrelationKey()).isEqualTo("corr-1");
        assertThat(results.get(0).hasError()).isFalse();
        assertThat(results.get(0).getReplayId().size()).isEqualTo(8);
        assertThat(results.get(1).getError().getMsg()).contains("CreatedById");
        assertThat(results.get(2).getError().getMsg()).contains("AAAAAAAAAAAAAAAAAAAAAA");
        assertThat(results.get(3).getError().getMsg()).isEqualTo("The event payload size of 1048577 bytes exceeds "
                + "the maximum allowed size of 1048576 bytes");
        assertThat(results.get(3).getCorrelationKey()).isEqualTo("corr-4");
        assertThat(results.get(4).hasError()).isFalse();

        List<JsonNode> received = cometd.receive(2, WAIT);
        assertThat(received).extracting(m -> m.path("data").path("payload").path("Order_Number__c").asText())
                .containsExactly("P-1", "P-5");
        assertThat(received.get(0).path("data").path("event").path("replayId").asLong())
                .isEqualTo(PubSubTestClient.replayId(results.get(0).getReplayId()));
    }

    @Test
    void aPublishStreamAnswersEachRequestAndClosesWhenNoRequestComesWithinItsIdleTimeout() throws Exception {
        TopicInfo topic = client.blocking().getTopic(TopicRequest.newBuilder().setTopicName("/event/Order_Placed__e")
                .build());
        Schema schema = client.schema(topic.getSchemaId());
        String userId = emulator.userId(Emulator.DEFAULT_USERNAME);
        List<PublishResponse> responses = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Status> ended = new CompletableFuture<>();
        StreamObserver<PublishRequest> requests = client.async().publishStream(new StreamObserver<>() {
            @Override
            public void onNext(PublishResponse value) {
                responses.add(value);
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                ended.complete(Status.OK);
            }
        });
        requests.onNext(PublishRequest.newBuilder().setTopicName("/event/Order_Placed__e")
                .addEvents(event("s-1", topic.getSchemaId(), schema, userId, "S-1")).build());
        requests.onNext(PublishRequest.newBuilder()
                .addEvents(event("s-2", topic.getSchemaId(), schema, userId, "S-2"))
                .addEvents(event("s-3", topic.getSchemaId(), schema, userId, "S-3")).build());
        long last = System.nanoTime();
        assertThat(ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(Status.OK);
        assertThat(Duration.ofNanos(System.nanoTime() - last)).isGreaterThanOrEqualTo(IDLE.minusMillis(50));
        assertThat(responses).hasSize(2);
        assertThat(responses.get(1).getResultsList()).extracting(PublishResult::getCorrelationKey)
                .containsExactly("s-2", "s-3");
    }

    static ProducerEvent event(String id, String schemaId, Schema schema, String userId, String orderNumber)
            throws Exception {
        GenericRecord record = new GenericData.Record(schema);
        record.put("CreatedDate", System.currentTimeMillis());
        record.put("CreatedById", userId);
        record.put("Order_Number__c", orderNumber);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return ProducerEvent.newBuilder().setId(id).setSchemaId(schemaId)
                .setPayload(ByteString.copyFrom(out.toByteArray())).build();
    }

    static void assertAuthError(Status status, Metadata trailers, String method) {
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).startsWith("An authentication exception occurred. Provide valid "
                + "authentication via metadata headers. rpcId: ");
        assertSalesforceError(status, trailers, "service.auth.error", method);
    }

    /** The error-code, rpc-id and type trailers, and the description ending with the same rpcId. */
    static void assertSalesforceError(Status status, Metadata trailers, String reason, String method) {
        assertThat(trailers).as("trailers of " + status).isNotNull();
        assertThat(trailers.get(PubSubTestClient.key("error-code"))).isEqualTo("sfdc.platform.eventbus.grpc."
                + reason);
        String rpcId = trailers.get(PubSubTestClient.key("rpc-id"));
        assertThat(rpcId).matches("[0-9a-f-]{36}");
        assertThat(status.getDescription()).endsWith(" rpcId: " + rpcId);
        assertThat(trailers.get(PubSubTestClient.key("type"))).isEqualTo(method);
    }
}
