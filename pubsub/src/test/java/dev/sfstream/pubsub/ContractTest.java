package dev.sfstream.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sfstream.ReplayIdInvalidException;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.SubscriptionException;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.ReplayFallback;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayPosition;
import dev.sfstream.replay.ReplayStore;
import dev.sfstream.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The delivery scenarios of the client's contract, run on both transports against one emulator: the Streaming API
 * (CometD) and the Pub/Sub API (gRPC) must behave alike for platform and change events.
 */
class ContractTest {
    static final String ORDERS = "/event/Seq__e";
    static final Duration WAIT = Duration.ofSeconds(15);

    /** The two transports, and the fault that makes each resubscribe (a dropped session, reset streams). */
    enum Api {
        COMETD, PUBSUB;

        Transport transport(Emulator emulator) {
            return this == COMETD ? Transport.bayeux() : PubSubFixture.transport(emulator).build();
        }

        void breakTheConnection(Emulator emulator) {
            if (this == COMETD) {
                emulator.dropSessions();
            } else {
                emulator.pubSub().resetStreams();
            }
        }

        ReplayMarker bogusMarker() {
            return this == COMETD ? new ReplayMarker(999_999, Instant.now())
                    : new ReplayMarker(ReplayPosition.ofBytes(new byte[] {0, 0, 0, 0, 0, 0x0f, 0x42, 0x3f}),
                            Instant.now());
        }
    }

    @TempDir
    Path dir;
    Emulator emulator;
    final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() {
        emulator = PubSubFixture.emulator().build().start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        emulator.close();
    }

    private StreamingClient client(Api api, StreamingClient.Builder builder) {
        StreamingClient c = builder.build();
        toClose.add(c);
        return c;
    }

    private StreamingClient.Builder builder(Api api) {
        return PubSubFixture.client(emulator, api.transport(emulator));
    }

    private void publish(int seq) {
        emulator.publishEvent("Seq__e", Map.of("Seq__c", seq));
    }

    private static int seq(StreamingEvent e) {
        return e.platformEvent().orElseThrow().payload().path("Seq__c").asInt();
    }

    private static StreamingEvent next(StreamingClient c) {
        return c.receive(WAIT).orElseThrow(() -> new AssertionError("no event within " + WAIT));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void receivesNewEventsInOrder(Api api) {
        StreamingClient c = client(api, builder(api)).open();
        c.subscribe(ORDERS);
        for (int i = 0; i < 5; i++) {
            publish(i);
        }
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            seen.add(seq(next(c)));
        }
        assertThat(seen).containsExactly(0, 1, 2, 3, 4);
        assertThat(c.receive(Duration.ofMillis(300))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void allEventsReplaysEverythingRetained(Api api) {
        publish(-1);
        publish(0);
        StreamingClient c = client(api, builder(api).replayFrom(ReplayFrom.ALL_EVENTS)).open();
        c.subscribe(ORDERS);
        assertThat(seq(next(c))).isEqualTo(-1);
        assertThat(seq(next(c))).isEqualTo(0);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void aRestartResumesAfterTheLastCommittedEvent(Api api) {
        ReplayStore store = ReplayStore.inMemory();
        StreamingClient first = builder(api).replayStore(store).build().open();
        first.subscribe(ORDERS);
        publish(1);
        publish(2);
        StreamingEvent one = next(first);
        first.commit(one);
        first.close();
        publish(3);

        StreamingClient again = client(api, builder(api).replayStore(store)).open();
        again.subscribe(ORDERS);
        assertThat(List.of(seq(next(again)), seq(next(again)))).containsExactly(2, 3);
        assertThat(again.receive(Duration.ofMillis(300))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void aListenerGetsEventsInOrderAndEachIsCommittedWhenItReturns(Api api) {
        ReplayStore store = ReplayStore.inMemory();
        StreamingClient c = client(api, builder(api).replayStore(store)).open();
        List<StreamingEvent> seen = new CopyOnWriteArrayList<>();
        c.subscribe(ORDERS, seen::add);
        publish(1);
        publish(2);
        await().atMost(WAIT).until(() -> seen.size() == 2);
        assertThat(seen).extracting(ContractTest::seq).containsExactly(1, 2);
        await().atMost(WAIT).until(() -> store.get(c.replayNamespace(), ORDERS)
                .map(m -> m.position().equals(seen.get(1).position().orElseThrow())).orElse(false));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void theReadmeLoopThatFailsOnAnEventLeavesItForTheNextRun(Api api) throws Exception {
        for (int i = 0; i <= 3; i++) {
            publish(i);
        }
        Path file = dir.resolve("replay-" + api + ".json");
        List<Integer> handled = new ArrayList<>();
        assertThatThrownBy(() -> {
            ReplayStore store = ReplayStore.file(file);
            StreamingClient c = builder(api).replayStore(store).replayFrom(ReplayFrom.ALL_EVENTS).build();
            try (store; c) {
                c.open();
                c.subscribe(ORDERS);
                for (StreamingEvent e : c) {
                    if (seq(e) == 2) {
                        throw new IllegalStateException("cannot handle 2");
                    }
                    handled.add(seq(e));
                }
            }
        }).hasMessage("cannot handle 2");
        assertThat(handled).containsExactly(0, 1);
        try (ReplayStore store = ReplayStore.file(file);
                StreamingClient again = builder(api).replayStore(store).build()) {
            again.open();
            again.subscribe(ORDERS);
            assertThat(seq(next(again))).isEqualTo(2);
            assertThat(seq(next(again))).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void aBrokenConnectionResumesWithoutLossOrDuplicates(Api api) {
        StreamingClient c = client(api, builder(api)).open();
        c.subscribe(ORDERS);
        publish(1);
        assertThat(seq(next(c))).isEqualTo(1);
        api.breakTheConnection(emulator);
        publish(2);
        assertThat(seq(next(c))).isEqualTo(2);
        assertThat(c.receive(Duration.ofMillis(500))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void aSubscriptionForNewEventsThatBrokeBeforeAnyEventMissesNothingPublishedMeanwhile(Api api) {
        StreamingClient c = client(api, builder(api)).open();
        c.subscribe(ORDERS);
        api.breakTheConnection(emulator);
        publish(1);
        assertThat(seq(next(c))).isEqualTo(1);
        assertThat(c.receive(Duration.ofMillis(500))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void reauthenticatesAfterRevokedTokens(Api api) {
        StreamingClient c = client(api, builder(api)).open();
        c.subscribe(ORDERS);
        emulator.revokeTokens();
        publish(1);
        assertThat(seq(next(c))).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void aRefusedReplayIdFallsBackToAllEventsWithAGapNotice(Api api) {
        ReplayStore store = ReplayStore.inMemory();
        ReplayMarker bogus = api.bogusMarker();
        store.put(emulator.orgId(), ORDERS, bogus);
        publish(0);
        StreamingClient c = client(api, builder(api).replayStore(store)).open();
        c.subscribe(ORDERS);
        StreamingEvent gap = next(c);
        assertThat(gap.replayGap()).get().satisfies(g -> {
            assertThat(g.channel()).isEqualTo(ORDERS);
            assertThat(g.refusedReplayId()).isEqualTo(bogus.position().replayId());
            assertThat(g.fallback()).isEqualTo(ReplayFallback.ALL_EVENTS);
        });
        assertThat(seq(next(c))).isEqualTo(0);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void aRefusedReplayIdWithTheFailFallbackFailsTheSubscribeAndKeepsTheMarker(Api api) {
        ReplayStore store = ReplayStore.inMemory();
        ReplayMarker bogus = api.bogusMarker();
        store.put(emulator.orgId(), ORDERS, bogus);
        StreamingClient c = client(api, builder(api).replayStore(store).replayFallback(ReplayFallback.FAIL)).open();
        assertThatThrownBy(() -> c.subscribe(ORDERS)).isInstanceOfSatisfying(ReplayIdInvalidException.class,
                e -> assertThat(e.channel()).isEqualTo(ORDERS));
        assertThat(store.get(emulator.orgId(), ORDERS)).contains(bogus);
        assertThat(c.subscriptions()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void changeEventsCarryTheirHeaderAndCommitTime(Api api) {
        StreamingClient c = client(api, builder(api)).open();
        c.subscribe("/data/AccountChangeEvent");
        String id = emulator.create("Account", Map.of("Name", "Acme"));
        StreamingEvent e = next(c);
        assertThat(e.changeEvent()).get().satisfies(ce -> {
            assertThat(ce.header().changeType()).isEqualTo("CREATE");
            assertThat(ce.header().recordIds()).containsExactly(id);
            assertThat(ce.payload().path("Name").asText()).isEqualTo("Acme");
            assertThat(e.createdDate()).isEqualTo(Instant.ofEpochMilli(ce.header().commitTimestamp()));
        });
    }

    @Test
    void anUnknownTopicIsASubscriptionExceptionNamingItOnThePubSubApi() {
        StreamingClient c = client(Api.PUBSUB, builder(Api.PUBSUB)).open();
        assertThatThrownBy(() -> c.subscribe("/event/Nobody_Declared__e"))
                .isInstanceOfSatisfying(SubscriptionException.class, e -> {
                    assertThat(e.channel()).isEqualTo("/event/Nobody_Declared__e");
                    assertThat(e.getMessage()).contains("/event/Nobody_Declared__e").contains("NOT_FOUND")
                            .contains("topic.not.found");
                });
        assertThat(c.subscriptions()).isEmpty();
    }
}
