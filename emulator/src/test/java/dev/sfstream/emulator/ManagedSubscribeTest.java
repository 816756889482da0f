package dev.sfstream.emulator;

import static dev.sfstream.emulator.PubSubContractTest.assertSalesforceError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.CommitReplayRequest;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.ManagedFetchRequest;
import com.salesforce.eventbus.protobuf.ManagedFetchResponse;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Managed subscriptions: a {@code ManagedEventSubscription} record made over the emulator's REST as over Salesforce's
 * Tooling API, found by developer name, a stream that starts from the committed replay ID, commits answered with
 * {@code CommitReplayResponse}, one active stream per subscription, and STOP.
 */
class ManagedSubscribeTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    Emulator emulator;
    RawHttp http;
    PubSubTestClient client;
    String subscriptionId;

    @BeforeEach
    void start() {
        emulator = FastOrg.fast().platformEvent("Order_Placed__e", "Order_Number__c")
                .pubSub(PubSubSettings.defaults().plaintext(true).keepaliveInterval(Duration.ofMillis(200)))
                .build().start();
        http = new RawHttp(emulator.url());
        http.login();
        client = PubSubTestClient.loggedIn(emulator);
        JsonNode created = http.rest("POST", "/services/data/v64.0/tooling/sobjects/ManagedEventSubscription",
                Map.of("FullName", "Order_Sync", "DeveloperName", "Order_Sync", "Metadata", Map.of("label",
                        "Order sync", "topicName", "/event/Order_Placed__e", "defaultReplay", "EARLIEST",
                        "errorRecoveryReplay", "LATEST", "state", "RUN")));
        assertThat(created.path("status").asInt()).isEqualTo(201);
        subscriptionId = created.path("body").path("id").asText();
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    /** One ManagedSubscribe stream. */
    final class Managed implements StreamObserver<ManagedFetchResponse> {
        final BlockingQueue<ManagedFetchResponse> responses = new LinkedBlockingQueue<>();
        final CompletableFuture<Status> ended = new CompletableFuture<>();
        volatile Metadata trailers;
        final StreamObserver<ManagedFetchRequest> requests = client.async().managedSubscribe(this);

        @Override
        public void onNext(ManagedFetchResponse value) {
            responses.add(value);
        }

        @Override
        public void onError(Throwable t) {
            trailers = ((StatusRuntimeException) t).getTrailers();
            ended.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            ended.complete(Status.OK);
        }

        List<ConsumerEvent> events(int count) throws InterruptedException {
            List<ConsumerEvent> events = new ArrayList<>();
            while (events.size() < count) {
                ManagedFetchResponse r = responses.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(r).as("a response").isNotNull();
                events.addAll(r.getEventsList());
            }
            return events;
        }

        ManagedFetchResponse commitResponse() throws InterruptedException {
            while (true) {
                ManagedFetchResponse r = responses.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(r).as("a commit response").isNotNull();
                if (r.hasCommitResponse()) {
                    return r;
                }
            }
        }
    }

    @Test
    void startsFromTheDefaultReplayThenFromTheCommittedReplayIdAndAllowsOneActiveStream() throws Exception {
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "M-1"));
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "M-2"));
        Managed first = new Managed();
        first.requests.onNext(ManagedFetchRequest.newBuilder().setDeveloperName("Order_Sync").setNumRequested(10)
                .build());
        List<ConsumerEvent> events = first.events(2);
        assertThat(client.decode(events.get(0)).get("Order_Number__c").toString()).as("defaultReplay EARLIEST")
                .isEqualTo("M-1");

        Managed second = new Managed();
        second.requests.onNext(ManagedFetchRequest.newBuilder().setSubscriptionId(subscriptionId).setNumRequested(1)
                .build());
        Status refused = second.ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(refused.getDescription()).startsWith("An active managed subscription with the same ID already "
                + "exists. If a previous subscription with the same ID was stopped, there can be a delay before it "
                + "expires. Try subscribing again later.");
        assertSalesforceError(refused, second.trailers, "managed.subscription.already.active", "ManagedSubscribe");

        first.requests.onNext(ManagedFetchRequest.newBuilder().setCommitReplayIdRequest(CommitReplayRequest
                .newBuilder().setCommitRequestId("c-1").setReplayId(events.get(0).getReplayId())).build());
        ManagedFetchResponse committed = first.commitResponse();
        assertThat(committed.getCommitResponse().getCommitRequestId()).isEqualTo("c-1");
        assertThat(committed.getCommitResponse().getReplayId()).isEqualTo(events.get(0).getReplayId());
        assertThat(committed.getCommitResponse().hasError()).isFalse();
        assertThat(committed.getCommitResponse().getProcessTime()).isPositive();
        first.requests.onNext(ManagedFetchRequest.newBuilder().setCommitReplayIdRequest(CommitReplayRequest
                .newBuilder().setCommitRequestId("c-bad").setReplayId(ByteString.copyFromUtf8("x"))).build());
        assertThat(first.commitResponse().getCommitResponse().getError().getMsg()).contains("8 bytes");
        first.requests.onError(Status.CANCELLED.asRuntimeException());

        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> emulator.pubSub().streams().isEmpty());
        Managed third = new Managed();
        third.requests.onNext(ManagedFetchRequest.newBuilder().setDeveloperName("Order_Sync").setNumRequested(10)
                .build());
        assertThat(client.decode(third.events(1).get(0)).get("Order_Number__c").toString())
                .as("after the committed M-1").isEqualTo("M-2");
    }

    @Test
    void stoppingTheSubscriptionEndsItsStreamAndForgetsItsCommit() throws Exception {
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "S-1"));
        Managed stream = new Managed();
        stream.requests.onNext(ManagedFetchRequest.newBuilder().setDeveloperName("Order_Sync").setNumRequested(10)
                .build());
        stream.events(1);
        JsonNode query = http.rest("GET", "/services/data/v64.0/tooling/query?q=SELECT+Id,DeveloperName,Metadata+"
                + "FROM+ManagedEventSubscription+WHERE+DeveloperName='Order_Sync'", null);
        assertThat(query.path("body").path("records").get(0).path("Metadata").path("state").asText()).isEqualTo("RUN");
        http.rest("PATCH", "/services/data/v64.0/tooling/sobjects/ManagedEventSubscription/" + subscriptionId,
                Map.of("Metadata", Map.of("topicName", "/event/Order_Placed__e", "state", "STOP")));
        Status stopped = stream.ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(stopped.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        Managed refused = new Managed();
        refused.requests.onNext(ManagedFetchRequest.newBuilder().setDeveloperName("Order_Sync").setNumRequested(1)
                .build());
        assertSalesforceError(refused.ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), refused.trailers,
                "managed.subscription.config.stopped", "ManagedSubscribe");
    }
}
