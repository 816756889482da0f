package dev.sfstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.ReplayFallback;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replay from the client's side: markers, fallbacks and gap notices, start overrides. */
class ReplayBehaviourTest {
    Emulator emulator;
    StreamingClient client;
    ReplayStore store = ReplayStore.inMemory();

    @BeforeEach
    void start() {
        emulator = EmulatorFixture.emulator().build().start();
        EmulatorFixture.leadTopic(emulator, "Leads");
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        emulator.close();
    }

    private List<StreamingEvent> take(int n) {
        List<StreamingEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(client.receive(Duration.ofSeconds(10)).orElseThrow(() -> new AssertionError("missing event")));
        }
        return out;
    }

    private static String lastName(StreamingEvent e) {
        return e.pushTopic().orElseThrow().sobject().path("LastName").asText();
    }

    private String namespace() {
        return emulator.orgId();
    }

    @Test
    void refusedReplayIdFallsBackToAllEventsWithAGapNotice() {
        EmulatorFixture.lead(emulator, "Retained");
        store.put(namespace(), "/topic/Leads", new ReplayMarker(999_999, Instant.now()));
        client = EmulatorFixture.client(emulator, store);
        client.open();
        client.subscribe("/topic/Leads");
        List<StreamingEvent> events = take(2);
        assertThat(events.get(0).isReplayGap()).isTrue();
        assertThat(events.get(0).replayGap()).get().satisfies(g -> {
            assertThat(g.channel()).isEqualTo("/topic/Leads");
            assertThat(g.refusedReplayId()).isEqualTo(999_999);
            assertThat(g.fallback()).isEqualTo(ReplayFallback.ALL_EVENTS);
        });
        assertThat(lastName(events.get(1))).isEqualTo("Retained");
    }

    @Test
    void aRefusedMarkerIsReplacedByTheNextCommitSoTheNextRunResumesWithoutAnotherGap() {
        store.put(namespace(), "/topic/Leads", new ReplayMarker(999_999, Instant.now()));
        client = EmulatorFixture.client(emulator).replayStore(store).replayFallback(ReplayFallback.NEW_EVENTS)
                .build().open();
        client.subscribe("/topic/Leads");
        assertThat(take(1).get(0).isReplayGap()).isTrue();
        EmulatorFixture.lead(emulator, "AfterTheGap");
        StreamingEvent after = take(1).get(0);
        client.commit(after);
        assertThat(store.get(namespace(), "/topic/Leads").orElseThrow().replayId())
                .as("the refused 999999 no longer holds the channel").isEqualTo(after.replayId());
        emulator.dropSessions();
        EmulatorFixture.lead(emulator, "AfterAReHandshake");
        assertThat(lastName(take(1).get(0))).isEqualTo("AfterAReHandshake");
        client.close();

        EmulatorFixture.lead(emulator, "WhileStopped");
        client = EmulatorFixture.client(emulator, store);
        client.open();
        client.subscribe("/topic/Leads");
        StreamingEvent first = take(1).get(0);
        assertThat(first.isReplayGap()).as("no second gap: " + first).isFalse();
        assertThat(lastName(first)).isIn("AfterAReHandshake", "WhileStopped");
    }

    @Test
    void refusedReplayIdWithNewEventsFallbackSkipsRetainedEvents() {
        EmulatorFixture.lead(emulator, "Retained");
        store.put(namespace(), "/topic/Leads", new ReplayMarker(999_999, Instant.now()));
        client = EmulatorFixture.client(emulator).replayStore(store).replayFallback(ReplayFallback.NEW_EVENTS)
                .build().open();
        client.subscribe("/topic/Leads");
        StreamingEvent gap = take(1).get(0);
        assertThat(gap.replayGap().orElseThrow().fallback()).isEqualTo(ReplayFallback.NEW_EVENTS);
        EmulatorFixture.lead(emulator, "New");
        assertThat(lastName(take(1).get(0))).isEqualTo("New");
    }

    @Test
    void refusedReplayIdWithFailFallbackFailsTheSubscriptionAndKeepsTheMarker() {
        ReplayMarker bogus = new ReplayMarker(999_999, Instant.now());
        store.put(namespace(), "/topic/Leads", bogus);
        client = EmulatorFixture.client(emulator).replayStore(store).replayFallback(ReplayFallback.FAIL).build()
                .open();
        assertThatThrownBy(() -> client.subscribe("/topic/Leads"))
                .isInstanceOfSatisfying(ReplayIdInvalidException.class, e -> {
                    assertThat(e.channel()).isEqualTo("/topic/Leads");
                    assertThat(e.replayId()).isEqualTo(999_999);
                });
        assertThat(store.get(namespace(), "/topic/Leads")).contains(bogus);
    }

    @Test
    void markerOlderThanTheRetentionWindowFallsBackWithoutAskingSalesforce() {
        EmulatorFixture.lead(emulator, "Retained");
        StreamingClient probe = EmulatorFixture.client(emulator).replayFrom(ReplayFrom.ALL_EVENTS).build().open();
        probe.subscribe("/topic/Leads");
        long retainedId = probe.receive(Duration.ofSeconds(10)).orElseThrow().replayId();
        probe.close();
        // A real, retained replay ID, but the marker says it is two days old: the client must not use it.
        store.put(namespace(), "/topic/Leads", new ReplayMarker(retainedId, Instant.now().minus(Duration.ofDays(2))));
        client = EmulatorFixture.client(emulator, store);
        client.open();
        client.subscribe("/topic/Leads");
        List<StreamingEvent> events = take(2);
        assertThat(events.get(0).replayGap().orElseThrow().reason()).contains("older than the retention window");
        assertThat(lastName(events.get(1))).isEqualTo("Retained");
    }

    @Test
    void startFromOverridesTheStoredMarkerOnlyForTheFirstSubscription() {
        EmulatorFixture.lead(emulator, "Old1");
        EmulatorFixture.lead(emulator, "Old2");
        client = EmulatorFixture.client(emulator).replayStore(store).startFrom(ReplayFrom.ALL_EVENTS).build().open();
        client.subscribe("/topic/Leads");
        assertThat(take(2)).extracting(ReplayBehaviourTest::lastName).containsExactly("Old1", "Old2");
        emulator.dropSessions();
        EmulatorFixture.lead(emulator, "New");
        assertThat(take(1)).extracting(ReplayBehaviourTest::lastName).containsExactly("New");
        assertThat(client.receive(Duration.ofMillis(500))).isEmpty();
    }

    @Test
    void markersNeverMoveBackwards() {
        client = EmulatorFixture.client(emulator, store);
        client.open();
        client.subscribe("/topic/Leads");
        EmulatorFixture.lead(emulator, "A");
        EmulatorFixture.lead(emulator, "B");
        List<StreamingEvent> events = take(2);
        client.commit(events.get(1));
        client.commit(events.get(0));
        assertThat(store.get(namespace(), "/topic/Leads").orElseThrow().replayId())
                .isEqualTo(events.get(1).replayId());
    }

    @Test
    void gapNoticesAreNeverCommitted() {
        store.put(namespace(), "/topic/Leads", new ReplayMarker(999_999, Instant.now()));
        client = EmulatorFixture.client(emulator, store);
        client.open();
        client.subscribe("/topic/Leads");
        StreamingEvent gap = take(1).get(0);
        client.commit(gap);
        assertThat(store.get(namespace(), "/topic/Leads").orElseThrow().replayId()).isEqualTo(999_999);
    }
}
