package dev.sfstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.InMemoryReplayStore;
import dev.sfstream.replay.Lease;
import dev.sfstream.replay.LeasedReplayStore;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replicas of one exclusive group, sharing one store: one consumes, the others wait, one takes over. */
class ExclusiveGroupTest {
    private static final String LEADS = "/topic/Leads";
    private static final Duration WAIT = Duration.ofSeconds(15);

    Emulator emulator;
    final PausableStore store = new PausableStore();
    final List<StreamingClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        emulator = EmulatorFixture.emulator().build().start();
        EmulatorFixture.leadTopic(emulator, "Leads");
    }

    @AfterEach
    void stop() {
        clients.forEach(StreamingClient::close);
        emulator.close();
    }

    private StreamingClient replica(List<String> handled, List<StreamingException> errors) {
        StreamingClient c = EmulatorFixture.client(emulator).replayStore(store).exclusive("leads-service")
                .leaseTtl(Duration.ofMillis(900)).connectionListener(new ConnectionListener() {
                    @Override
                    public void onError(StreamingException error) {
                        errors.add(error);
                    }
                }).build();
        clients.add(c);
        c.open();
        c.subscribe(LEADS, e -> handled.add(e.pushTopic().orElseThrow().sobject().path("LastName").asText()));
        return c;
    }

    @Test
    void oneReplicaConsumesTheOtherWaitsAndTakesOverAfterTheActiveOneClosesWithNothingLost() {
        List<String> a = new CopyOnWriteArrayList<>();
        List<String> b = new CopyOnWriteArrayList<>();
        StreamingClient first = replica(a, new CopyOnWriteArrayList<>());
        StreamingClient second = replica(b, new CopyOnWriteArrayList<>());
        assertThat(first.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(second.state()).isEqualTo(ConnectionState.STANDBY);
        assertThat(second.subscriptions()).containsExactly(LEADS);

        EmulatorFixture.lead(emulator, "One");
        EmulatorFixture.lead(emulator, "Two");
        await().atMost(WAIT).until(() -> a.size() == 2);
        first.close();
        EmulatorFixture.lead(emulator, "Three");
        await().atMost(WAIT).until(() -> b.contains("Three"));
        assertThat(second.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(a).containsExactly("One", "Two");
        assertThat(b).containsExactly("Three");
    }

    @Test
    void aPausedActiveReplicaIsFencedStopsConsumingAndTheStandbyTakesOver() {
        List<String> a = new CopyOnWriteArrayList<>();
        List<String> b = new CopyOnWriteArrayList<>();
        List<StreamingException> aErrors = new CopyOnWriteArrayList<>();
        StreamingClient first = replica(a, aErrors);
        StreamingClient second = replica(b, new CopyOnWriteArrayList<>());
        EmulatorFixture.lead(emulator, "BeforeThePause");
        await().atMost(WAIT).until(() -> a.size() == 1);

        store.paused = true; // the active replica's renewals no longer reach the store, as in a long GC pause
        await().atMost(WAIT).until(() -> second.state() == ConnectionState.CONNECTED);
        await().atMost(WAIT).until(() -> first.state() == ConnectionState.STANDBY);
        assertThat(aErrors).anySatisfy(e -> assertThat(e).isInstanceOf(FencedException.class)
                .hasMessageContaining("leads-service"));
        EmulatorFixture.lead(emulator, "AfterTheTakeover");
        await().atMost(WAIT).until(() -> b.contains("AfterTheTakeover"));
        assertThat(a).containsExactly("BeforeThePause");
        assertThat(b).doesNotContain("BeforeThePause");
    }

    @Test
    void aWriteWithAnOlderEpochIsRefused() {
        Lease old = store.acquire("ns", "g", "a", Duration.ofMillis(1)).orElseThrow();
        await().atMost(WAIT).until(() -> store.acquire("ns", "g", "b", Duration.ofSeconds(5)).isPresent());
        assertThatThrownBy(() -> store.put("ns", "/topic/X", new ReplayMarker(5, java.time.Instant.now()), old))
                .isInstanceOf(FencedException.class);
        assertThat(store.get("ns", "/topic/X")).isEmpty();
    }

    @Test
    void aStoreThatCannotElectIsRefusedAtBuild() {
        assertThatThrownBy(() -> EmulatorFixture.client(emulator).exclusive("g").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Redis or JDBC");
        assertThatThrownBy(() -> EmulatorFixture.client(emulator).replayStore(ReplayStore.file(
                java.nio.file.Path.of("target", "exclusive-" + System.nanoTime() + ".json"))).exclusive("g").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The in-memory store, whose lease renewals can be cut off as a paused process's would be. */
    static final class PausableStore implements LeasedReplayStore {
        final InMemoryReplayStore delegate = new InMemoryReplayStore();
        volatile boolean paused;

        @Override
        public Optional<Lease> acquire(String namespace, String group, String owner, Duration ttl) {
            return delegate.acquire(namespace, group, owner, ttl);
        }

        @Override
        public Optional<Lease> renew(Lease lease, Duration ttl) {
            if (paused) {
                throw new ReplayStoreException("the replica is paused", null);
            }
            return delegate.renew(lease, ttl);
        }

        @Override
        public void release(Lease lease) {
            delegate.release(lease);
        }

        @Override
        public boolean put(String namespace, String channel, ReplayMarker marker, Lease lease) {
            return delegate.put(namespace, channel, marker, lease);
        }

        @Override
        public Optional<ReplayMarker> get(String namespace, String channel) {
            return delegate.get(namespace, channel);
        }

        @Override
        public boolean put(String namespace, String channel, ReplayMarker marker) {
            return delegate.put(namespace, channel, marker);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
