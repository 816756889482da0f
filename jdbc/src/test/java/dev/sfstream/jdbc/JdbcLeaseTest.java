package dev.sfstream.jdbc;

import static dev.sfstream.jdbc.JdbcReplayStoreTest.marker;
import static dev.sfstream.jdbc.JdbcReplayStoreTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sfstream.FencedException;
import dev.sfstream.replay.Lease;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Leases and fencing on a real PostgreSQL: one holder per group, expiry by the database's clock, epochs. */
class JdbcLeaseTest {
    static PostgresServer pg;
    static JdbcReplayStore a;
    static JdbcReplayStore b;
    static final AtomicInteger GROUPS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresServer.start();
        a = JdbcReplayStore.builder(pg.url()).commitInterval(Duration.ofMillis(20)).build();
        b = JdbcReplayStore.builder(pg.url()).commitInterval(Duration.ofMillis(20)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        a.close();
        b.close();
        pg.close();
    }

    static String group() {
        return "g" + GROUPS.incrementAndGet();
    }

    /** Moves a lease's expiry, as the database's clock passing would. */
    static void expire(String group) throws Exception {
        pg.execute("UPDATE sfstream_lease SET expires_at = clock_timestamp() - interval '1 second' WHERE grp = '"
                + group + "'");
    }

    @Test
    void oneReplicaHoldsTheLeaseTheOtherGetsNothingUntilItExpires() throws Exception {
        String g = group();
        Lease first = a.acquire("ns", g, "replica-a", Duration.ofMinutes(5)).orElseThrow();
        assertThat(first.epoch()).isEqualTo(1);
        assertThat(b.acquire("ns", g, "replica-b", Duration.ofMinutes(5))).isEmpty();
        assertThat(a.acquire("ns", g, "replica-a", Duration.ofMinutes(5))).as("the holder renews, same epoch")
                .contains(first);

        expire(g);
        Lease second = b.acquire("ns", g, "replica-b", Duration.ofMinutes(5)).orElseThrow();
        assertThat(second.epoch()).isEqualTo(2);
        assertThat(a.renew(first, Duration.ofMinutes(5))).as("the old holder's renewal finds the loss").isEmpty();
        assertThat(rows(pg.url(), "SELECT holder, epoch FROM sfstream_lease WHERE grp = '" + g + "'"))
                .containsExactly("replica-b|2");
    }

    @Test
    void expiryIsJudgedByTheDatabasesClockNotTheReplicas() throws Exception {
        String g = group();
        // A TTL of one millisecond by the replica's reckoning, but the database says when it ends.
        a.acquire("ns", g, "replica-a", Duration.ofMillis(1)).orElseThrow();
        pg.execute("UPDATE sfstream_lease SET expires_at = clock_timestamp() + interval '1 hour' WHERE grp = '" + g
                + "'");
        assertThat(b.acquire("ns", g, "replica-b", Duration.ofSeconds(5))).isEmpty();
        // ...and a lease the replica thinks has an hour left is over once the database's clock says so.
        Lease held = a.acquire("ns", g, "replica-a", Duration.ofHours(1)).orElseThrow();
        expire(g);
        assertThat(b.acquire("ns", g, "replica-b", Duration.ofHours(1))).map(Lease::epoch).contains(held.epoch() + 1);
    }

    @Test
    void aReleasedLeaseIsTakenAtOnce() {
        String g = group();
        Lease first = a.acquire("ns", g, "replica-a", Duration.ofMinutes(5)).orElseThrow();
        a.release(first);
        assertThat(b.acquire("ns", g, "replica-b", Duration.ofMinutes(5))).map(Lease::epoch).contains(2L);
        a.release(first); // lost already: left alone
        assertThat(b.acquire("ns", g, "replica-b", Duration.ofMinutes(5))).map(Lease::epoch).contains(2L);
    }

    @Test
    void anExpiredLeaseNobodyTookIsRenewedWithItsEpoch() throws Exception {
        String g = group();
        Lease first = a.acquire("ns", g, "replica-a", Duration.ofMinutes(5)).orElseThrow();
        expire(g);
        assertThat(a.renew(first, Duration.ofMinutes(5))).contains(first);
        assertThat(b.acquire("ns", g, "replica-b", Duration.ofMinutes(5))).isEmpty();
    }

    @Test
    void aWriteWithAnOlderEpochIsRefusedInTheDatabaseAndTheNextPutThrows() throws Exception {
        String g = group();
        String ns = "fence-" + g;
        Lease old = a.acquire(ns, g, "replica-a", Duration.ofMinutes(5)).orElseThrow();
        a.put(ns, "/topic/A", marker(10), old);
        a.flush();
        expire(g);
        Lease newer = b.acquire(ns, g, "replica-b", Duration.ofMinutes(5)).orElseThrow();

        // Store a has not seen the takeover: its put is accepted locally, then refused by the statement that writes.
        assertThat(a.put(ns, "/topic/A", marker(20), old)).isTrue();
        a.flush();
        assertThat(rows(pg.url(), "SELECT replay_id, epoch FROM sfstream_replay_marker WHERE namespace = '" + ns
                + "'")).containsExactly("10|1");
        assertThatThrownBy(() -> a.put(ns, "/topic/A", marker(30), old)).isInstanceOf(FencedException.class)
                .hasMessageContaining("another replica of group " + g + " took over (epoch 2 after 1)")
                .satisfies(e -> assertThat(((FencedException) e).epoch()).isEqualTo(1));

        b.put(ns, "/topic/A", marker(15), newer);
        b.flush();
        assertThat(rows(pg.url(), "SELECT replay_id, epoch FROM sfstream_replay_marker WHERE namespace = '" + ns
                + "'")).containsExactly("15|2");
    }

    @Test
    void aTakeoverWaitsForTheOldHoldersOpenTransactionThenReadsWhatItCommitted() throws Exception {
        String g = group();
        String ns = "claim-" + g;
        Lease old = a.acquire(ns, g, "replica-a", Duration.ofSeconds(30)).orElseThrow();
        try (Connection handler = DriverManager.getConnection(pg.url())) {
            handler.setAutoCommit(false);
            assertThat(a.commit(handler, ns, "/topic/A", marker(7), old)).isTrue();
            expire(g);
            // The handler transaction of epoch 1 is open: the takeover must not slip in before it ends.
            assertThat(b.acquire(ns, g, "replica-b", Duration.ofSeconds(3))).isEmpty();
            handler.commit();
        }
        Lease newer = b.acquire(ns, g, "replica-b", Duration.ofSeconds(30)).orElseThrow();
        assertThat(newer.epoch()).isEqualTo(old.epoch() + 1);
        assertThat(b.get(ns, "/topic/A")).contains(marker(7));
    }

    @Test
    void aPausedHoldersIdleTransactionIsEndedByTheDatabaseSoATakeoverIsBounded() throws Exception {
        String g = group();
        String ns = "idle-" + g;
        Lease old = a.acquire(ns, g, "replica-a", Duration.ofSeconds(1)).orElseThrow();
        Connection paused = DriverManager.getConnection(pg.url());
        paused.setAutoCommit(false);
        assertThat(a.commit(paused, ns, "/topic/A", marker(7), old)).isTrue();
        // The replica stops here, in the middle of its transaction, as a SIGSTOPped process would.
        AtomicReference<Optional<Lease>> taken = new AtomicReference<>(Optional.empty());
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            taken.set(b.acquire(ns, g, "replica-b", Duration.ofSeconds(30)));
            return taken.get().isPresent();
        });
        assertThat(taken.get().orElseThrow().epoch()).isEqualTo(old.epoch() + 1);
        assertThatThrownBy(paused::commit).isInstanceOf(java.sql.SQLException.class);
        paused.close();
        assertThat(b.get(ns, "/topic/A")).as("the paused transaction never committed").isEmpty();
    }

    @Test
    void statementsTakeNoLockThatBlocksTheHoldersRenewal() throws Exception {
        String g = group();
        String ns = "renew-" + g;
        Lease held = a.acquire(ns, g, "replica-a", Duration.ofSeconds(30)).orElseThrow();
        try (Connection handler = DriverManager.getConnection(pg.url())) {
            handler.setAutoCommit(false);
            a.commit(handler, ns, "/topic/A", marker(1), held);
            // A renewal while a handler transaction is open never waits for it.
            assertThat(CompletableFuture.supplyAsync(() -> a.renew(held, Duration.ofSeconds(30)))
                    .get(5, TimeUnit.SECONDS)).contains(held);
            handler.commit();
        }
    }
}
