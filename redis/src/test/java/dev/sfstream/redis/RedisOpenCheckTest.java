package dev.sfstream.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sfstream.ReplayStoreException;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * Wrong credentials and a Redis that is not there fail at once, with one line that says which; neither is waited
 * out for {@code retryFor}.
 */
class RedisOpenCheckTest {
    private static final String PASSWORD = "Redis-Heron-41";
    private static final String WRONG_PASSWORD = "Wrong-Osprey-17";
    /** Long enough that a test finishing well within it shows nothing waited for it. */
    private static final Duration RETRY_FOR = Duration.ofSeconds(60);
    private static final Duration FAST = Duration.ofSeconds(10);
    static RedisServer redis;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.withPassword(PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        redis.close();
    }

    private static URI uri(String password) {
        return URI.create("redis://default:" + password + "@127.0.0.1:" + redis.port());
    }

    @Test
    void aWrongPasswordFailsAtBuildInOneLineWithoutThePassword() {
        ReplayStoreException e = assertTimeoutPreemptively(FAST, () -> catchStoreException(() ->
                RedisReplayStore.builder(uri(WRONG_PASSWORD)).retryFor(RETRY_FOR).build()));
        assertThat(e.getMessage())
                .startsWith("Redis at redis://default:***@127.0.0.1:" + redis.port() + " refused the credentials")
                .contains("WRONGPASS").doesNotContain(WRONG_PASSWORD).doesNotContain("\n");
        assertThat(e.toString()).doesNotContain(WRONG_PASSWORD);
    }

    @Test
    void aMissingPasswordFailsAtOpenAsRefusedCredentials() {
        ReplayStoreException e = assertTimeoutPreemptively(FAST, () -> catchStoreException(() ->
                ReplayStore.open(redis.uri())));
        assertThat(e.getMessage()).contains("refused the credentials").contains("NOAUTH");
    }

    @Test
    void anUnreachableRedisFailsAtBuildFastNamingTheAddress() throws Exception {
        int nothingThere = RedisServer.freePort();
        ReplayStoreException e = assertTimeoutPreemptively(FAST, () -> catchStoreException(() ->
                RedisReplayStore.builder(URI.create("redis://127.0.0.1:" + nothingThere)).retryFor(RETRY_FOR)
                        .build()));
        assertThat(e.getMessage()).startsWith("cannot reach Redis at redis://127.0.0.1:" + nothingThere)
                .contains("check that Redis runs there").doesNotContain("\n");
    }

    @Test
    void credentialsRefusedLaterFailAtOnceAndAreNotRetriedAsAnOutage() {
        RedisReplayStore store = RedisReplayStore.builder(uri(PASSWORD)).retryFor(RETRY_FOR).build();
        ReplayMarker first = new ReplayMarker(1, Instant.parse("2026-11-23T10:00:00Z"));
        store.put("rotated", "/topic/A", first);
        store.flush();
        try (RedisClient admin = RedisClient.create(uri(PASSWORD))) {
            // the password changes under the running store, and its open connections are dropped
            admin.configSet("requirepass", "Rotated-Crane-99");
            admin.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "normal", "SKIPME", "yes");
        }
        AtomicLong id = new AtomicLong(1);
        await().atMost(FAST).untilAsserted(() -> assertThatThrownBy(() -> store.put("rotated", "/topic/A",
                new ReplayMarker(id.incrementAndGet(), first.createdDate())))
                .isInstanceOf(ReplayStoreException.class).hasMessageContaining("refused the credentials"));
        assertTimeoutPreemptively(FAST, () -> {
            assertThatThrownBy(store::flush).hasMessageContaining("refused the credentials");
            assertThatThrownBy(() -> store.get("rotated", "/topic/A")).hasMessageContaining("refused the credentials");
            assertThatThrownBy(store::close).hasMessageContaining("refused the credentials");
        });
        assertThat(store.pendingMarkers()).isEqualTo(1); // kept, but only in memory
    }

    private static ReplayStoreException catchStoreException(Runnable open) {
        try {
            open.run();
        } catch (ReplayStoreException e) {
            return e;
        }
        throw new AssertionError("the store opened");
    }
}
