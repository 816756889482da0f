package dev.sfstream.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sfstream.ConnectionListener;
import dev.sfstream.ConnectionState;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.ReplayFallback;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayPosition;
import dev.sfstream.replay.ReplayStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every healing rule of the Pub/Sub transport, proven against the emulator's faults over real gRPC: while events are
 * published, a fault hits the stream; the consumer gets every event once and in order, and the replay store ends at
 * the last one.
 */
class HealingTest {
    static final String CHANNEL = "/event/Seq__e";
    static final int EVENTS = 300;
    static final Duration WAIT = Duration.ofSeconds(30);

    Emulator emulator;
    StreamingClient client;
    final ReplayStore store = ReplayStore.inMemory();
    final List<String> states = new CopyOnWriteArrayList<>();
    final List<Long> stateTimes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        emulator = PubSubFixture.emulator().build().start();
        emulator.publishEvent("Seq__e", Map.of("Seq__c", -1)); // before the subscription: not asked for
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        emulator.close();
    }

    private StreamingClient client(StreamingClient.Builder builder) {
        client = builder.replayStore(store).connectionListener(new ConnectionListener() {
            @Override
            public void onStateChanged(ConnectionState state, String reason) {
                states.add(state + ": " + reason);
                stateTimes.add(System.nanoTime());
            }
        }).build().open();
        return client;
    }

    /** Publishes the events 0..EVENTS-1, running the fault a third of the way through. */
    private Thread publishWith(Runnable fault) {
        Thread t = new Thread(() -> {
            for (int i = 0; i < EVENTS; i++) {
                emulator.publishEvent("Seq__e", Map.of("Seq__c", i));
                if (i == EVENTS / 3) {
                    fault.run();
                }
                if (i % 10 == 0) {
                    LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                }
            }
        }, "publisher");
        t.start();
        return t;
    }

    /** Receives until every event came (or none comes for a while): the sequence numbers, gaps left out. */
    private List<Integer> consume(int events) {
        List<Integer> seen = new ArrayList<>();
        StreamingEvent last = null;
        while (seen.size() < events) {
            Optional<StreamingEvent> e = client.receive(WAIT);
            if (e.isEmpty()) {
                break;
            }
            if (!e.get().isReplayGap()) {
                seen.add(e.get().platformEvent().orElseThrow().payload().path("Seq__c").asInt());
                last = e.get();
            }
        }
        if (last != null) {
            client.commit(last);
            ReplayPosition lastPosition = last.position().orElseThrow();
            assertThat(store.get(client.replayNamespace(), CHANNEL)).get().extracting(ReplayMarker::position)
                    .as("the store ends at the last event").isEqualTo(lastPosition);
        }
        return seen;
    }

    private void everyEventOnceAndInOrderDespite(Runnable fault) throws InterruptedException {
        client.subscribe(CHANNEL);
        Thread publisher = publishWith(fault);
        List<Integer> seen = consume(EVENTS);
        publisher.join();
        assertThat(seen).as("every event once, in order").containsExactlyElementsOf(
                IntStream.range(0, EVENTS).boxed().toList());
        assertThat(client.receive(Duration.ofMillis(300))).as("nothing more").isEmpty();
    }

    @Test
    void resumesAfterResetStreams() throws Exception {
        client(PubSubFixture.client(emulator));
        everyEventOnceAndInOrderDespite(() -> assertThat(emulator.pubSub().resetStreams()).isEqualTo(1));
        assertThat(states).anyMatch(s -> s.startsWith("RECONNECTING") && s.contains("RST_STREAM"));
    }

    @Test
    void theWatchdogResumesAStalledStream() throws Exception {
        client(PubSubFixture.client(emulator));
        everyEventOnceAndInOrderDespite(() -> emulator.pubSub().stall(Duration.ofSeconds(3)));
        assertThat(states).anyMatch(s -> s.startsWith("RECONNECTING") && s.contains("keepalives included"));
    }

    @Test
    void backsOffWhileTheServiceIsUnavailable() throws Exception {
        client(PubSubFixture.client(emulator));
        everyEventOnceAndInOrderDespite(() -> emulator.busy(Duration.ofSeconds(2)));
        assertThat(states).anyMatch(s -> s.startsWith("RECONNECTING") && s.contains("service.unavailable"));
    }

    @Test
    void backsOffWhileResourcesAreExhausted() throws Exception {
        client(PubSubFixture.client(emulator));
        everyEventOnceAndInOrderDespite(() -> {
            emulator.pubSub().exhaust(Duration.ofSeconds(2));
            emulator.pubSub().resetStreams();
        });
        // Reset, then refused with RESOURCE_EXHAUSTED for 2 s: the stream was back only once the refusals ended.
        int reconnecting = states.indexOf(states.stream().filter(s -> s.startsWith("RECONNECTING")).findFirst()
                .orElseThrow());
        assertThat(states.get(reconnecting + 1)).startsWith("CONNECTED");
        assertThat(Duration.ofNanos(stateTimes.get(reconnecting + 1) - stateTimes.get(reconnecting)))
                .isGreaterThan(Duration.ofMillis(1500));
    }

    @Test
    void renewsARevokedTokenOnceForEveryStreamThenResumes() throws Exception {
        CountingAuthenticator auth = new CountingAuthenticator(PubSubFixture.auth(emulator));
        client(PubSubFixture.client(emulator).authenticator(auth));
        client.subscribe("/event/Order_Placed__e");
        everyEventOnceAndInOrderDespite(emulator::revokeTokens);
        assertThat(auth.renewals()).as("one renewal for both streams").isEqualTo(1);
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "after"));
        StreamingEvent order = client.receive(WAIT).orElseThrow();
        assertThat(order.platformEvent().orElseThrow().payload().path("Order_Number__c").asText()).isEqualTo("after");
    }

    @Test
    void resumesAfterTheServerEndsAnIdleStream() throws Exception {
        // A consumer that holds a full queue lets the credit run out; the server ends the stream after its idle
        // timeout, and the stream opens again when the consumer takes events.
        client(PubSubFixture.client(emulator).queueCapacity(20));
        client.subscribe(CHANNEL);
        for (int i = 0; i < 150; i++) {
            emulator.publishEvent("Seq__e", Map.of("Seq__c", i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> emulator.pubSub().streams().isEmpty());
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            seen.add(client.receive(WAIT).orElseThrow().platformEvent().orElseThrow().payload().path("Seq__c").asInt());
        }
        assertThat(seen).containsExactlyElementsOf(IntStream.range(0, 150).boxed().toList());
        assertThat(emulator.pubSub().streams()).hasSize(1);
    }

    @Test
    void creditNeverRunsDryForALiveConsumer() {
        client(PubSubFixture.client(emulator).queueCapacity(5));
        client.subscribe(CHANNEL);
        Object rpcId = emulator.pubSub().streams().get(0).get("rpcId");
        // Longer than the server's idle close (3 s), a few events at a time, taken as they come.
        for (int i = 0; i < 40; i++) {
            emulator.publishEvent("Seq__e", Map.of("Seq__c", i));
            assertThat(client.receive(WAIT).orElseThrow().platformEvent().orElseThrow().payload().path("Seq__c")
                    .asInt()).isEqualTo(i);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        assertThat(emulator.pubSub().streams()).singleElement().extracting(s -> s.get("rpcId")).isEqualTo(rpcId);
        assertThat(states).noneMatch(s -> s.startsWith("RECONNECTING"));
    }

    @Test
    void anExpiredReplayIdFallsBackWithAGapNotice() {
        client(PubSubFixture.client(emulator).replayFrom(ReplayFrom.ALL_EVENTS));
        client.subscribe(CHANNEL);
        StreamingEvent first = client.receive(WAIT).orElseThrow();
        client.commit(first);
        client.close();
        emulator.advanceClock(Duration.ofHours(73)); // past the 72 h retention: the stored replay ID has expired
        emulator.publishEvent("Seq__e", Map.of("Seq__c", 1));

        client(PubSubFixture.client(emulator).replayFallback(ReplayFallback.ALL_EVENTS));
        client.subscribe(CHANNEL);
        StreamingEvent gap = client.receive(WAIT).orElseThrow();
        assertThat(gap.isReplayGap()).isTrue();
        assertThat(gap.replayGap().orElseThrow().refusedReplayId()).isEqualTo(first.replayId());
        StreamingEvent after = client.receive(WAIT).orElseThrow();
        assertThat(after.platformEvent().orElseThrow().payload().path("Seq__c").asInt()).isEqualTo(1);
        client.commit(after);
        assertThat(store.get(client.replayNamespace(), CHANNEL).orElseThrow().position())
                .isEqualTo(after.position().orElseThrow());
    }

    @Test
    void anUnknownReplayIdFallsBackToNewEventsWhenAskedTo() {
        byte[] unknown = {0, 0, 0, 0, 0, 0x0f, 0x42, 0x3f};
        store.put(emulator.orgId(), CHANNEL, new ReplayMarker(ReplayPosition.ofBytes(unknown), Instant.now()));
        client(PubSubFixture.client(emulator).replayFallback(ReplayFallback.NEW_EVENTS));
        client.subscribe(CHANNEL);
        StreamingEvent gap = client.receive(WAIT).orElseThrow();
        assertThat(gap.replayGap().orElseThrow().fallback()).isEqualTo(ReplayFallback.NEW_EVENTS);
        emulator.publishEvent("Seq__e", Map.of("Seq__c", 7));
        assertThat(client.receive(WAIT).orElseThrow().platformEvent().orElseThrow().payload().path("Seq__c").asInt())
                .isEqualTo(7);
    }
}
