package dev.sfstream.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sfstream.ReplayStoreException;
import dev.sfstream.replay.ReplayMarker;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Redis going away and coming back: nothing sticks, nothing is lost while the store is open. */
class RedisOutageTest {
    private static final Duration RETRY_FOR = Duration.ofSeconds(1);
    RedisServer redis;

    @BeforeEach
    void start() throws Exception {
        redis = new RedisServer();
    }

    @AfterEach
    void stop() throws Exception {
        redis.close();
    }

    private static ReplayMarker marker(long id) {
        return new ReplayMarker(id, Instant.parse("2026-11-23T10:00:00Z").plusSeconds(id));
    }

    private static boolean failingLongerThan(RedisReplayStore store, Duration bound) {
        return store.failingSince().map(s -> Duration.between(s, Instant.now()).compareTo(bound) > 0).orElse(false);
    }

    @Test
    void anOutageLongerThanRetryForHealsByItselfWhenRedisIsBack() throws Exception {
        try (RedisReplayStore store = RedisReplayStore.builder(URI.create(redis.uri())).retryFor(RETRY_FOR)
                .build()) {
            store.put("outage", "/topic/A", marker(1));
            store.flush();
            assertThat(store.failingSince()).isEmpty();

            redis.stop();
            assertThat(store.put("outage", "/topic/A", marker(2))).isTrue();
            await().atMost(Duration.ofSeconds(15)).until(() -> failingLongerThan(store, RETRY_FOR));
            assertThat(store.put("outage", "/topic/A", marker(3))).isTrue(); // still accepted, never thrown
            assertThat(store.put("outage", "/topic/B", marker(4))).isTrue();
            assertThatThrownBy(store::flush).isInstanceOf(ReplayStoreException.class)
                    .hasMessageStartingWith("2 replay marker(s) could not be written to Redis at " + redis.uri())
                    .hasMessageContaining("kept in memory and retried");
            assertThat(store.pendingMarkers()).isEqualTo(2); // a failed flush keeps them

            redis.start(); // same port, empty: the writer must find it by itself
            await().atMost(Duration.ofSeconds(15)).until(() -> store.pendingMarkers() == 0);
            assertThat(store.failingSince()).isEmpty();
            assertThat(store.get("outage", "/topic/A")).contains(marker(3));
            assertThat(store.get("outage", "/topic/B")).contains(marker(4));

            assertThat(store.put("outage", "/topic/A", marker(5))).isTrue();
            store.flush();
            assertThat(store.get("outage", "/topic/A")).contains(marker(5));
        }
    }

    @Test
    void closeDuringAnOutageSaysHowManyMarkersAreNotWritten() throws Exception {
        RedisReplayStore store = RedisReplayStore.builder(URI.create(redis.uri())).retryFor(RETRY_FOR).build();
        redis.stop();
        store.put("closing", "/topic/A", marker(1));
        assertThatThrownBy(store::close).isInstanceOf(ReplayStoreException.class)
                .hasMessageStartingWith("1 replay marker(s) could not be written");
        assertThatThrownBy(() -> store.put("closing", "/topic/A", marker(2)))
                .isInstanceOf(ReplayStoreException.class).hasMessageContaining("is closed");
    }
}
