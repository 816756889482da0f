package dev.sfstream.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sfstream.ServerErrorException;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.TransportException;
import dev.sfstream.emulator.Emulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Publishing over PublishStream: Avro against the topic's schema, one result per event, faults healed. */
class PublisherTest {
    static final String TOPIC = "/event/Order_Placed__e";
    static final Duration WAIT = Duration.ofSeconds(15);

    Emulator emulator;
    PubSubTransport transport;
    PubSubPublisher publisher;
    StreamingClient subscriber;

    @BeforeEach
    void start() {
        emulator = PubSubFixture.emulator().build().start();
        transport = PubSubFixture.transport(emulator).build();
        publisher = publisher(PubSubFixture.auth(emulator));
        subscriber = PubSubFixture.client(emulator, transport).build().open();
        subscriber.subscribe(TOPIC);
    }

    private PubSubPublisher publisher(dev.sfstream.auth.Authenticator auth) {
        return PubSubPublisher.builder().authenticator(auth).transport(transport).topic(TOPIC)
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500)).build();
    }

    @AfterEach
    void stop() {
        publisher.close();
        subscriber.close();
        emulator.close();
    }

    private static PublishResult result(CompletableFuture<PublishResult> f) throws Exception {
        return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void publishesAMapAgainstTheTopicsSchemaAndSubscribersOfBothApisGetIt() throws Exception {
        StreamingClient cometd = StreamingClient.builder().authenticator(PubSubFixture.auth(emulator)).build().open();
        try {
            cometd.subscribe(TOPIC);
            PublishResult r = result(publisher.publish(Map.of("Order_Number__c", "O-1", "Amount__c", 12.5), "key-1"));
            assertThat(r.isPublished()).isTrue();
            assertThat(r.correlationKey()).isEqualTo("key-1");
            StreamingEvent viaPubSub = subscriber.receive(WAIT).orElseThrow();
            StreamingEvent viaCometd = cometd.receive(WAIT).orElseThrow();
            for (StreamingEvent e : List.of(viaPubSub, viaCometd)) {
                assertThat(e.replayId()).isEqualTo(r.replayId().replayId());
                assertThat(e.platformEvent().orElseThrow().payload().path("Order_Number__c").asText()).isEqualTo("O-1");
                assertThat(e.platformEvent().orElseThrow().payload().path("Amount__c").asDouble()).isEqualTo(12.5);
                assertThat(e.platformEvent().orElseThrow().payload().path("CreatedById").asText()).isNotBlank();
            }
        } finally {
            cometd.close();
        }
    }

    @Test
    void publishesAnAvroRecord() throws Exception {
        result(publisher.publish(Map.of("Order_Number__c", "first")));
        Schema schema = PubSubEvents.schema(subscriber.receive(WAIT).orElseThrow()).orElseThrow();
        GenericRecord record = new GenericData.Record(schema);
        record.put("Order_Number__c", "from-a-record");
        record.put("CreatedDate", System.currentTimeMillis());
        record.put("CreatedById", "005000000000001AAA");
        assertThat(result(publisher.publish(record)).isPublished()).isTrue();
        assertThat(subscriber.receive(WAIT).orElseThrow().platformEvent().orElseThrow().payload()
                .path("Order_Number__c").asText()).isEqualTo("from-a-record");
    }

    @Test
    void manyEventsGoInBatchesAndEachGetsItsOwnResultInOrder() throws Exception {
        List<CompletableFuture<PublishResult>> results = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            results.add(publisher.publish(Map.of("Order_Number__c", "N-" + i), "k" + i));
        }
        publisher.flush(WAIT);
        long previous = 0;
        for (int i = 0; i < results.size(); i++) {
            PublishResult r = results.get(i).getNow(null);
            assertThat(r.correlationKey()).isEqualTo("k" + i);
            assertThat(r.replayId().replayId()).isGreaterThan(previous);
            previous = r.replayId().replayId();
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(subscriber.receive(WAIT).orElseThrow().platformEvent().orElseThrow().payload()
                    .path("Order_Number__c").asText()).isEqualTo("N-" + i);
        }
    }

    @Test
    void anEventSalesforceRefusesSaysWhichAndWhyWhileTheOthersArePublished() throws Exception {
        CompletableFuture<PublishResult> big = publisher.publish(Map.of("Order_Number__c", "x".repeat(1_100_000)),
                "too-big");
        CompletableFuture<PublishResult> fine = publisher.publish(Map.of("Order_Number__c", "fine"), "fine");
        PublishResult refused = result(big);
        assertThat(refused.isPublished()).isFalse();
        assertThat(refused.toString()).contains("too-big").contains(TOPIC).contains("exceeds the maximum");
        assertThat(result(fine).isPublished()).isTrue();
    }

    @Test
    void aFieldTheTopicDoesNotHaveFailsThatEventNamingTheField() {
        CompletableFuture<PublishResult> f = publisher.publish(Map.of("No_Such_Field__c", "x"));
        assertThatThrownBy(() -> f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).hasCauseInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("No_Such_Field__c")
                .hasMessageContaining("Order_Number__c");
    }

    @Test
    void anUnknownTopicFailsWithSalesforcesReason() {
        try (PubSubPublisher nowhere = PubSubPublisher.builder().authenticator(PubSubFixture.auth(emulator))
                .transport(transport).topic("/event/Nowhere__e").build()) {
            CompletableFuture<PublishResult> f = nowhere.publish(Map.of("A__c", "x"));
            assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(ServerErrorException.class).hasMessageContaining("topic.not.found")
                    .hasMessageContaining("/event/Nowhere__e");
        }
    }

    @Test
    void aRevokedTokenIsRenewedOnceAndPublishingGoesOn() throws Exception {
        CountingAuthenticator auth = new CountingAuthenticator(PubSubFixture.auth(emulator));
        publisher.close();
        publisher = publisher(auth);
        assertThat(result(publisher.publish(Map.of("Order_Number__c", "before"))).isPublished()).isTrue();
        emulator.revokeTokens();
        assertThat(result(publisher.publish(Map.of("Order_Number__c", "after"))).isPublished()).isTrue();
        assertThat(auth.renewals()).isEqualTo(1);
    }

    @Test
    void noEventIsLostSilentlyWhenStreamsAreReset() throws Exception {
        List<CompletableFuture<PublishResult>> results = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            results.add(publisher.publish(Map.of("Order_Number__c", "R-" + i)));
            if (i == 700) {
                emulator.pubSub().resetStreams();
            }
        }
        publisher.flush(Duration.ofSeconds(30));
        Set<String> published = new HashSet<>();
        int uncertain = 0;
        for (int i = 0; i < results.size(); i++) {
            CompletableFuture<PublishResult> f = results.get(i);
            if (f.isCompletedExceptionally()) {
                assertThatThrownBy(f::join).cause().isInstanceOf(TransportException.class)
                        .hasMessageContaining("may have been published");
                uncertain++;
            } else {
                assertThat(f.join().isPublished()).isTrue();
                published.add("R-" + i);
            }
        }
        assertThat(published.size() + uncertain).isEqualTo(2000);
        Set<String> received = new HashSet<>();
        while (received.size() < published.size()) {
            received.add(subscriber.receive(WAIT).orElseThrow().platformEvent().orElseThrow().payload()
                    .path("Order_Number__c").asText());
        }
        assertThat(received).containsAll(published);
    }
}
