package dev.sfstream.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sfstream.ConnectionState;
import dev.sfstream.FencedException;
import dev.sfstream.StreamingClient;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.Lease;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayMarker;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** Leases and fencing in Redis: one holder per group, expiry by Redis's clock, epochs refused in the put script. */
class RedisLeaseTest {
    static RedisServer redis;
    static RedisReplayStore a;
    static RedisReplayStore b;
    static RedisClient raw;
    static final AtomicInteger GROUPS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        redis = new RedisServer();
        a = RedisReplayStore.builder(URI.create(redis.uri())).build();
        b = RedisReplayStore.builder(URI.create(redis.uri())).build();
        raw = RedisClient.create(URI.create(redis.uri()));
    }

    @AfterAll
    static void stop() throws Exception {
        a.close();
        b.close();
        raw.close();
        redis.close();
    }

    static String group() {
        return "g" + GROUPS.incrementAndGet();
    }

    static ReplayMarker marker(long id) {
        return new ReplayMarker(id, Instant.parse("2026-11-23T10:00:00Z").plusSeconds(id));
    }

    /** Ends a lease now, as Redis's clock passing its expiry would. */
    static void expire(String ns, String group) {
        raw.del(RedisReplayStore.leaseKey(ns, group));
    }

    @Test
    void oneReplicaHoldsTheLeaseTheOtherGetsNothingUntilItExpires() {
        String g = group();
        Lease first = a.acquire("ns", g, "replica-a", Duration.ofMinutes(5)).orElseThrow();
        assertThat(first.epoch()).isEqualTo(1);
        assertThat(b.acquire("ns", g, "replica-b", Duration.ofMinutes(5))).isEmpty();
        assertThat(a.acquire("ns", g, "replica-a", Duration.ofMinutes(5))).contains(first);
        assertThat(raw.get("sfstream:lease:ns:" + g)).isEqualTo("replica-a|1");

        expire("ns", g);
        Lease second = b.acquire("ns", g, "replica-b", Duration.ofMinutes(5)).orElseThrow();
        assertThat(second.epoch()).isEqualTo(2);
        assertThat(a.renew(first, Duration.ofMinutes(5))).as("the old holder's renewal finds the loss").isEmpty();
        assertThat(raw.get("sfstream:epoch:ns:" + g)).isEqualTo("2");
        assertThat(raw.ttl("sfstream:epoch:ns:" + g)).as("the epoch counter never expires").isEqualTo(-1);
    }

    @Test
    void expiryIsJudgedByRedisNotTheReplicas() {
        String g = group();
        a.acquire("ns", g, "replica-a", Duration.ofMillis(200)).orElseThrow();
        raw.pexpire(RedisReplayStore.leaseKey("ns", g), 3_600_000); // Redis says: an hour left
        await().pollDelay(Duration.ofMillis(400)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(b.acquire("ns", g, "replica-b", Duration.ofSeconds(5))).isEmpty();
        raw.pexpire(RedisReplayStore.leaseKey("ns", g), 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.acquire("ns", g, "replica-b", Duration.ofSeconds(5))
                .isPresent());
    }

    @Test
    void aReleasedLeaseIsTakenAtOnceAndAnExpiredOneNobodyTookIsRenewed() {
        String g = group();
        Lease first = a.acquire("ns", g, "replica-a", Duration.ofMinutes(5)).orElseThrow();
        expire("ns", g);
        assertThat(a.renew(first, Duration.ofMinutes(5))).contains(first);
        a.release(first);
        assertThat(b.acquire("ns", g, "replica-b", Duration.ofMinutes(5))).map(Lease::epoch).contains(2L);
        a.release(first); // lost already: left alone
        assertThat(raw.get("sfstream:lease:ns:" + g)).isEqualTo("replica-b|2");
    }

    @Test
    void aWriteWithAnOlderEpochIsRefusedInTheScriptAndTheNextPutThrows() {
        String g = group();
        String ns = "fence-" + g;
        Lease old = a.acquire(ns, g, "replica-a", Duration.ofMinutes(5)).orElseThrow();
        a.put(ns, "/topic/A", marker(10), old);
        a.flush();
        expire(ns, g);
        Lease newer = b.acquire(ns, g, "replica-b", Duration.ofMinutes(5)).orElseThrow();

        assertThat(a.put(ns, "/topic/A", marker(20), old)).as("accepted for writing; Redis decides").isTrue();
        a.flush();
        assertThat(raw.get(RedisReplayStore.key(ns, "/topic/A"))).startsWith("10|");
        assertThat(a.pendingMarkers()).isZero();
        assertThatThrownBy(() -> a.put(ns, "/topic/A", marker(30), old)).isInstanceOf(FencedException.class)
                .hasMessageContaining("another replica of group " + g + " took over (epoch 2 after 1)");

        b.put(ns, "/topic/A", marker(15), newer);
        b.flush();
        assertThat(raw.get(RedisReplayStore.key(ns, "/topic/A"))).startsWith("15|");
    }

    @Test
    void replicasOfAGroupTakeTurnsWithNothingLostOrDeliveredTwice() throws Exception {
        String ns = "clients-" + group();
        List<String> onA = new CopyOnWriteArrayList<>();
        List<String> onB = new CopyOnWriteArrayList<>();
        try (Emulator emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3)).build()
                .start();
             RedisReplayStore storeA = RedisReplayStore.builder(URI.create(redis.uri())).build();
             RedisReplayStore storeB = RedisReplayStore.builder(URI.create(redis.uri())).build();
             StreamingClient first = client(emulator, storeA, ns);
             StreamingClient second = client(emulator, storeB, ns)) {
            first.open();
            second.open();
            assertThat(first.state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(second.state()).isEqualTo(ConnectionState.STANDBY);
            first.subscribe("/event/Order__e", e -> onA.add(number(e)));
            second.subscribe("/event/Order__e", e -> onB.add(number(e)));
            for (int i = 0; i < 5; i++) {
                emulator.publishEvent("Order__e", Map.of("Number__c", "O" + i));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> onA.size() == 5);
            first.close();
            for (int i = 5; i < 10; i++) {
                emulator.publishEvent("Order__e", Map.of("Number__c", "O" + i));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> onB.size() == 5);
            assertThat(onA).containsExactly("O0", "O1", "O2", "O3", "O4");
            assertThat(onB).containsExactly("O5", "O6", "O7", "O8", "O9");
            assertThat(second.lease()).map(Lease::epoch).contains(2L);
        }
    }

    private static StreamingClient client(Emulator emulator, RedisReplayStore store, String ns) {
        return StreamingClient.builder()
                .authenticator(PasswordAuthenticator.builder().loginUrl(emulator.url())
                        .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                        .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD).build())
                .handshakeMinInterval(Duration.ofMillis(100)).backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .replayStore(store).replayNamespace(ns).replayFrom(ReplayFrom.ALL_EVENTS)
                .exclusive("orders").leaseTtl(Duration.ofSeconds(1)).build();
    }

    private static String number(dev.sfstream.StreamingEvent e) {
        return e.platformEvent().orElseThrow().payload().path("Number__c").asText();
    }
}
