package dev.sfstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a StreamingObserver is told, end to end against the emulator. */
class StreamingObserverTest {
    Emulator emulator;

    @BeforeEach
    void start() {
        emulator = EmulatorFixture.emulator().build().start();
        EmulatorFixture.leadTopic(emulator, "Leads");
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    /** Counts by kind and channel. */
    static final class Counting implements StreamingObserver {
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final List<ConnectionState> states = new CopyOnWriteArrayList<>();

        int count(String what) {
            return counts.getOrDefault(what, new AtomicInteger()).get();
        }

        private void add(String what) {
            counts.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void received(String channel) {
            add("received " + channel);
        }

        @Override
        public void delivered(StreamingEvent event) {
            add("delivered " + event.channel());
        }

        @Override
        public void handled(String channel, Duration took, Throwable failure) {
            add("handled " + channel);
            if (failure != null) {
                failures.add(failure);
            }
        }

        @Override
        public void committed(String channel, ReplayMarker marker) {
            add("committed " + channel);
        }

        @Override
        public void stateChanged(ConnectionState state, String reason) {
            states.add(state);
        }

        @Override
        public void tokenRenewed() {
            add("tokenRenewed");
        }

        @Override
        public void gap(ReplayGap gap) {
            add("gap " + gap.channel());
        }
    }

    @Test
    void aListenerSubscriptionIsObservedFromReceiptToCommit() {
        Counting seen = new Counting();
        ReplayStore store = ReplayStore.inMemory();
        store.put(emulator.orgId(), "/topic/Leads", new ReplayMarker(999_999, Instant.now()));
        try (StreamingClient client = EmulatorFixture.client(emulator).replayStore(store).observer(seen).build()) {
            client.open();
            client.subscribe("/topic/Leads", e -> {
                if (e.pushTopic().orElseThrow().sobject().path("LastName").asText().equals("Bad")) {
                    throw new IllegalStateException("bad");
                }
            });
            EmulatorFixture.lead(emulator, "Good");
            EmulatorFixture.lead(emulator, "Bad");
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.count("handled /topic/Leads") == 2);
            emulator.revokeTokens();
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.count("tokenRenewed") == 1);
        }
        assertThat(seen.count("received /topic/Leads")).isEqualTo(2);
        assertThat(seen.count("delivered /topic/Leads")).isEqualTo(2);
        assertThat(seen.count("committed /topic/Leads")).isEqualTo(1);
        assertThat(seen.count("gap /topic/Leads")).isEqualTo(1);
        assertThat(seen.failures).singleElement().satisfies(f -> assertThat(f).hasMessage("bad"));
        assertThat(seen.states).startsWith(ConnectionState.CONNECTING, ConnectionState.CONNECTED)
                .contains(ConnectionState.RECONNECTING).endsWith(ConnectionState.CLOSED);
    }

    @Test
    void anObserverThatThrowsDisturbsNothing() {
        StreamingObserver broken = new StreamingObserver() {
            @Override
            public void delivered(StreamingEvent event) {
                throw new IllegalStateException("observer bug");
            }
        };
        try (StreamingClient client = EmulatorFixture.client(emulator).observer(broken).build()) {
            client.open();
            client.subscribe("/topic/Leads");
            EmulatorFixture.lead(emulator, "Fine");
            assertThat(client.receive(Duration.ofSeconds(10))).isPresent();
        }
    }
}
