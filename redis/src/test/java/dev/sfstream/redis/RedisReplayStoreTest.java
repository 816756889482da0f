package dev.sfstream.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

class RedisReplayStoreTest {
    static RedisServer redis;
    static int namespaceCounter;

    @BeforeAll
    static void start() throws Exception {
        redis = new RedisServer();
    }

    @AfterAll
    static void stop() throws Exception {
        redis.close();
    }

    private static String namespace() {
        return "ns" + (++namespaceCounter);
    }

    private static ReplayMarker marker(long id) {
        return new ReplayMarker(id, Instant.parse("2026-11-23T10:00:00Z").plusSeconds(id));
    }

    @Test
    void storesMarkersUnderTheDocumentedKey() {
        String ns = namespace();
        try (ReplayStore store = ReplayStore.open(redis.uri())) {
            assertThat(store).isInstanceOf(RedisReplayStore.class);
            store.put(ns, "/topic/A", marker(42));
            store.flush();
            assertThat(store.get(ns, "/topic/A")).contains(marker(42));
        }
        try (RedisClient raw = RedisClient.create(URI.create(redis.uri()))) {
            assertThat(raw.get("sfstream:replay:" + ns + ":/topic/A")).isEqualTo("42|" + marker(42).createdDate());
        }
    }

    @Test
    void markersNeverMoveBackwardsEvenAcrossProcesses() throws Exception {
        String ns = namespace();
        try (ReplayStore a = ReplayStore.open(redis.uri()); ReplayStore b = ReplayStore.open(redis.uri())) {
            a.put(ns, "/topic/A", marker(100));
            a.flush();
            b.put(ns, "/topic/A", marker(50));
            b.flush();
            assertThat(a.get(ns, "/topic/A")).contains(marker(100));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                ReplayStore store = t % 2 == 0 ? a : b;
                int offset = t;
                futures.add(pool.submit(() -> {
                    for (int i = 1; i <= 500; i++) {
                        store.put(ns, "/topic/A", marker(100 + i * 4L + offset));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            a.flush();
            b.flush();
            assertThat(b.get(ns, "/topic/A").orElseThrow().replayId()).isEqualTo(100 + 500 * 4L + 3);
        }
    }

    @Test
    void aPubSubPositionIsKeptExactlyAndNeverMovesBackwards() {
        String ns = "pubsub-" + System.nanoTime();
        dev.sfstream.replay.ReplayPosition p258 = dev.sfstream.replay.ReplayPosition.ofBytes(
                new byte[] {0, 0, 0, 0, 0, 0, 1, 2});
        dev.sfstream.replay.ReplayPosition p257 = dev.sfstream.replay.ReplayPosition.ofBytes(
                new byte[] {0, 0, 0, 0, 0, 0, 1, 1});
        ReplayMarker later = new ReplayMarker(p258, Instant.parse("2026-11-30T10:00:00Z"));
        try (ReplayStore store = ReplayStore.open(redis.uri())) {
            store.put(ns, "/data/AccountChangeEvent", later);
            store.flush();
        }
        try (ReplayStore other = ReplayStore.open(redis.uri())) {
            assertThat(other.get(ns, "/data/AccountChangeEvent")).contains(later);
            other.put(ns, "/data/AccountChangeEvent", new ReplayMarker(p257, Instant.now()));
            other.flush();
        }
        try (ReplayStore third = ReplayStore.open(redis.uri())) {
            assertThat(third.get(ns, "/data/AccountChangeEvent")).contains(later);
        }
    }

    @Test
    void aRefusedMarkerIsReplacedByALowerOneButNothingElseIs() {
        String ns = namespace();
        try (ReplayStore store = ReplayStore.open(redis.uri())) {
            store.put(ns, "/topic/A", marker(999_999));
            store.flush();
            store.replace(ns, "/topic/A", marker(123), marker(5));
            store.flush();
            assertThat(store.get(ns, "/topic/A")).as("not the refused one: kept").contains(marker(999_999));
            store.replace(ns, "/topic/A", marker(999_999), marker(5));
            store.flush();
        }
        try (ReplayStore again = ReplayStore.open(redis.uri())) {
            assertThat(again.get(ns, "/topic/A")).contains(marker(5));
        }
    }

    @Test
    void namespacesAreIsolated() {
        try (ReplayStore store = ReplayStore.open(redis.uri())) {
            store.put("orgA", "/topic/X", marker(7));
            store.flush();
            assertThat(store.get("orgB", "/topic/X")).isEmpty();
        }
    }

    @Test
    void commitsRideOutARedisRestart() throws Exception {
        String ns = namespace();
        try (ReplayStore store = RedisReplayStore.builder(URI.create(redis.uri())).retryFor(Duration.ofSeconds(30))
                .build()) {
            store.put(ns, "/topic/A", marker(1));
            store.flush();
            redis.stop();
            assertThat(store.put(ns, "/topic/A", marker(2))).isTrue(); // accepted while Redis is away
            redis.start();
            store.flush();
            assertThat(store.get(ns, "/topic/A")).contains(marker(2));
        }
    }

    @Test
    void passwordsAreRedactedFromMessages() {
        assertThat(RedisReplayStore.redact(URI.create("redis://user:s3cret@host:6379/0")))
                .isEqualTo("redis://user:***@host:6379/0").doesNotContain("s3cret");
        assertThat(RedisReplayStore.redact(URI.create("rediss://s3cret@host:6379"))).doesNotContain("s3cret");
        assertThatThrownBy(() -> ReplayStore.open("redis://127.0.0.1:1?colour=blue"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("colour");
    }

    @Test
    void twoClientsTakingTurnsOnOneNamespaceResumeWhereTheOtherStopped() {
        try (Emulator emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3)).build()
                .start()) {
            emulator.create("PushTopic", Map.of("Name", "Leads", "Query", "SELECT Id, LastName FROM Lead",
                    "ApiVersion", 64.0));
            PasswordAuthenticator auth = PasswordAuthenticator.builder().loginUrl(emulator.url())
                    .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                    .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD).build();
            String ns = namespace();
            List<String> seen = new ArrayList<>();
            for (int turn = 0; turn < 3; turn++) {
                try (ReplayStore store = ReplayStore.open(redis.uri());
                        StreamingClient client = StreamingClient.builder().authenticator(auth).replayStore(store)
                                .replayNamespace(ns).build()) {
                    client.open();
                    client.subscribe("/topic/Leads");
                    emulator.create("Lead", Map.of("LastName", "T" + turn + "a", "Company", "X"));
                    emulator.create("Lead", Map.of("LastName", "T" + turn + "b", "Company", "X"));
                    // take what this turn can; the last event is left for the next turn. Each event taken is
                    // committed explicitly: close() commits nothing more (the client's delivery contract)
                    for (int i = 0; i < (turn == 0 ? 1 : 2); i++) {
                        StreamingEvent e = client.receive(Duration.ofSeconds(10)).orElseThrow();
                        seen.add(e.pushTopic().orElseThrow().sobject().path("LastName").asText());
                        client.commit(e);
                    }
                }
            }
            assertThat(seen).containsExactly("T0a", "T0b", "T1a", "T1b", "T2a");
        }
    }
}
