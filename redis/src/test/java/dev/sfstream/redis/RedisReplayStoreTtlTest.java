package dev.sfstream.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/** Markers outlive Salesforce's retention: no expiry by default, and no TTL shorter than the longest retention. */
class RedisReplayStoreTtlTest {
    static RedisServer redis;
    static RedisClient raw;

    @BeforeAll
    static void start() throws Exception {
        redis = new RedisServer();
        raw = RedisClient.create(URI.create(redis.uri()));
    }

    @AfterAll
    static void stop() throws Exception {
        raw.close();
        redis.close();
    }

    private static ReplayMarker marker(long id) {
        return new ReplayMarker(id, Instant.parse("2026-11-23T10:00:00Z").plusSeconds(id));
    }

    @Test
    void markersDoNotExpireByDefault() {
        try (ReplayStore store = ReplayStore.open(redis.uri())) {
            store.put("default-ttl", "/event/Order__e", marker(7));
            store.flush();
        }
        assertThat(raw.pttl("sfstream:replay:default-ttl:/event/Order__e")).isEqualTo(-1L);
    }

    @Test
    void aTtlShorterThanTheLongestRetentionIsRefusedSayingWhatToUse() {
        URI uri = URI.create(redis.uri());
        assertThatThrownBy(() -> RedisReplayStore.builder(uri).ttl(Duration.ofHours(12)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl of 12h").hasMessageContaining("72 h")
                .hasMessageContaining("Use 0 (no expiry").hasMessageContaining("at least 73h");
        assertThatThrownBy(() -> RedisReplayStore.builder(uri).ttl(Duration.ofHours(72)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReplayStore.open(redis.uri() + "?ttl=12h"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl of 12h");
        assertThatThrownBy(() -> ReplayStore.open(redis.uri() + "?ttl=1d"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl of 1d");
    }

    @Test
    void aTtlOfAtLeast73HoursOrZeroIsAccepted() {
        try (ReplayStore store = ReplayStore.open(redis.uri() + "?ttl=73h")) {
            store.put("long-ttl", "/topic/A", marker(1));
            store.flush();
        }
        assertThat(raw.pttl("sfstream:replay:long-ttl:/topic/A"))
                .isBetween(Duration.ofHours(72).toMillis(), Duration.ofHours(73).toMillis());
        try (ReplayStore store = ReplayStore.open(redis.uri() + "?ttl=0")) {
            store.put("long-ttl", "/topic/A", marker(2));
            store.flush();
        }
        assertThat(raw.pttl("sfstream:replay:long-ttl:/topic/A")).isEqualTo(-1L);
    }

    @Test
    void aMarkerLeftWithATtlByAnEarlierVersionLosesItOnTheNextPut() {
        String later = "sfstream:replay:upgraded:/topic/A";
        String same = "sfstream:replay:upgraded:/topic/B";
        SetParams twelveHours = SetParams.setParams().px(Duration.ofHours(12).toMillis());
        raw.set(later, "5|" + marker(5).createdDate(), twelveHours);
        raw.set(same, "9|" + marker(9).createdDate(), twelveHours);
        try (ReplayStore store = ReplayStore.open(redis.uri())) {
            assertThat(store.put("upgraded", "/topic/A", marker(6))).isTrue();
            store.put("upgraded", "/topic/B", marker(9)); // not later: Redis keeps the value, and drops the TTL
            store.flush();
            assertThat(store.get("upgraded", "/topic/B")).contains(marker(9));
        }
        assertThat(raw.get(later)).startsWith("6|");
        assertThat(raw.pttl(later)).isEqualTo(-1L);
        assertThat(raw.pttl(same)).isEqualTo(-1L);
    }
}
