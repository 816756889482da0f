package dev.sfstream.jdbc;

import static dev.sfstream.jdbc.JdbcReplayStoreTest.marker;
import static dev.sfstream.jdbc.JdbcReplayStoreTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.ConnectionListener;
import dev.sfstream.ConnectionState;
import dev.sfstream.FencedException;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.StreamingException;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.auth.StaticTokenAuthenticator;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.Lease;
import dev.sfstream.replay.ReplayFrom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transactional commit: a handler's rows and its event's marker commit together, on a real PostgreSQL, and with
 * a real client on the emulator: an event whose transaction committed is never handled again.
 */
class TransactionalCommitTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    static PostgresServer pg;
    static final AtomicInteger COUNTER = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresServer.start();
        pg.execute("CREATE TABLE orders (number text PRIMARY KEY, handled_by text)");
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    static String ns() {
        return "tx" + COUNTER.incrementAndGet();
    }

    private static void insert(Connection c, String number) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO orders (number) VALUES (?)")) {
            s.setString(1, number);
            s.executeUpdate();
        }
    }

    @Test
    void theMarkerCommitsWithTheEffectAndARollbackLeavesNeither() throws Exception {
        String ns = ns();
        try (JdbcReplayStore store = JdbcReplayStore.builder(pg.url()).build();
             Connection c = DriverManager.getConnection(pg.url())) {
            c.setAutoCommit(false);
            assertThat(store.commit(c, ns, "/event/Order__e", marker(1), null)).isTrue();
            insert(c, ns + "-1");
            c.rollback();
            assertThat(store.get(ns, "/event/Order__e")).isEmpty();
            assertThat(rows(pg.url(), "SELECT count(*) FROM orders WHERE number = '" + ns + "-1'"))
                    .containsExactly("0");

            assertThat(store.commit(c, ns, "/event/Order__e", marker(1), null)).isTrue();
            insert(c, ns + "-1");
            c.commit();
            assertThat(store.get(ns, "/event/Order__e")).contains(marker(1));
            assertThat(rows(pg.url(), "SELECT count(*) FROM orders WHERE number = '" + ns + "-1'"))
                    .containsExactly("1");

            assertThat(store.commit(c, ns, "/event/Order__e", marker(1), null))
                    .as("the same event again: handled already").isFalse();
            c.rollback();
        }
    }

    @Test
    void anAutocommitConnectionIsRefused() throws Exception {
        try (JdbcReplayStore store = JdbcReplayStore.builder(pg.url()).build();
             Connection c = DriverManager.getConnection(pg.url())) {
            assertThatThrownBy(() -> store.commit(c, ns(), "/event/Order__e", marker(1), null))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("setAutoCommit(false)");
        }
    }

    @Test
    void aFencedTransactionalCommitThrowsAndItsTransactionRollsBack() throws Exception {
        String ns = ns();
        try (JdbcReplayStore a = JdbcReplayStore.builder(pg.url()).build();
             JdbcReplayStore b = JdbcReplayStore.builder(pg.url()).build();
             Connection c = DriverManager.getConnection(pg.url())) {
            Lease old = a.acquire(ns, "orders", "a", Duration.ofMinutes(1)).orElseThrow();
            pg.execute("UPDATE sfstream_lease SET expires_at = '-infinity' WHERE namespace = '" + ns + "'");
            b.acquire(ns, "orders", "b", Duration.ofMinutes(1)).orElseThrow();
            c.setAutoCommit(false);
            assertThatThrownBy(() -> a.commit(c, ns, "/event/Order__e", marker(1), old))
                    .isInstanceOf(FencedException.class).hasMessageContaining("took over (epoch 2 after 1)");
            c.rollback();
            assertThat(b.get(ns, "/event/Order__e")).isEmpty();
        }
    }

    @Test
    void aReplicaThatLostItsLeaseWhileHandlingAnEventCannotCommitIt() throws Exception {
        String ns = ns();
        try (JdbcReplayStore store = JdbcReplayStore.builder(pg.url()).build();
             StreamingClient replica = StreamingClient.builder().replayNamespace(ns).replayStore(store)
                     .authenticator(StaticTokenAuthenticator.of("https://acme.my.salesforce.com", "00Dxx!AQ"))
                     .exclusive("orders").build();
             Connection c = DriverManager.getConnection(pg.url())) {
            assertThat(replica.lease()).isEmpty(); // as after losing it while an event was being handled
            c.setAutoCommit(false);
            assertThatThrownBy(() -> store.commit(c, replica, event(7)))
                    .isInstanceOf(FencedException.class).hasMessageContaining("lost its lease")
                    .hasMessageContaining("/event/Order__e #7");
            c.rollback();
            assertThat(store.get(ns, "/event/Order__e")).isEmpty();
        }
    }

    private static StreamingEvent event(long replayId) {
        ObjectNode message = JsonNodeFactory.instance.objectNode().put("channel", "/event/Order__e");
        ObjectNode data = message.putObject("data");
        data.putObject("event").put("replayId", replayId).put("createdDate", "2026-11-30T12:00:00.000Z");
        data.putObject("payload").put("Number__c", "O" + replayId);
        return StreamingEvent.of(message, Instant.now());
    }

    private static StreamingClient.Builder client(Emulator emulator, JdbcReplayStore store, String ns) {
        return StreamingClient.builder()
                .authenticator(PasswordAuthenticator.builder().loginUrl(emulator.url())
                        .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                        .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD).build())
                .handshakeMinInterval(Duration.ofMillis(100)).backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .replayStore(store).replayNamespace(ns).replayFrom(ReplayFrom.ALL_EVENTS);
    }

    private static TransactionalHandler orders(String ns, String replica) {
        return (event, c) -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO orders (number, handled_by) VALUES (?, ?)")) {
                s.setString(1, ns + "-" + event.platformEvent().orElseThrow().payload().path("Number__c").asText());
                s.setString(2, replica);
                s.executeUpdate();
            }
        };
    }

    @Test
    void aClientsEventsAreHandledOnceEvenWhenTheyAreDeliveredAgain() throws Exception {
        String ns = ns();
        try (Emulator emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3)).build()
                .start();
             JdbcReplayStore store = JdbcReplayStore.builder(pg.url()).build()) {
            for (int i = 0; i < 30; i++) {
                emulator.publishEvent("Order__e", Map.of("Number__c", "O" + i));
            }
            try (StreamingClient first = client(emulator, store, ns).build()) {
                first.open();
                TransactionalListener listener = store.transactional(first, orders(ns, "first"));
                first.subscribe("/event/Order__e", listener);
                await().atMost(WAIT).until(() -> listener.committedEvents() == 30);
            }
            // Every retained event again, whatever the store says: each transaction finds its marker and skips.
            try (StreamingClient again = client(emulator, store, ns).startFrom(ReplayFrom.ALL_EVENTS).build()) {
                again.open();
                TransactionalListener listener = store.transactional(again, orders(ns, "again"));
                again.subscribe("/event/Order__e", listener);
                emulator.publishEvent("Order__e", Map.of("Number__c", "O30"));
                await().atMost(WAIT).until(() -> listener.committedEvents() == 1);
                assertThat(listener.skippedEvents()).isEqualTo(30);
            }
            assertThat(rows(pg.url(), "SELECT count(*), count(DISTINCT number) FROM orders WHERE number LIKE '"
                    + ns + "-%'")).containsExactly("31|31");
            assertThat(rows(pg.url(), "SELECT number FROM orders WHERE handled_by = 'again' AND number LIKE '" + ns
                    + "-%'")).containsExactly(ns + "-O30");
        }
    }

    @Test
    void aHandlerThatKeepsFailingStopsItsChannelBeforeTheFailedEvent() throws Exception {
        String ns = ns();
        try (Emulator emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3)).build()
                .start();
             JdbcReplayStore store = JdbcReplayStore.builder(pg.url()).build();
             StreamingClient client = client(emulator, store, ns).build()) {
            client.open();
            TransactionalHandler failsOnThree = (event, c) -> {
                String number = event.platformEvent().orElseThrow().payload().path("Number__c").asText();
                orders(ns, "client").handle(event, c);
                if (number.equals("O3")) {
                    throw new IllegalStateException("no stock for O3");
                }
            };
            TransactionalListener listener = store.transactional(client, failsOnThree)
                    .retries(1, Duration.ofMillis(10));
            client.subscribe("/event/Order__e", listener);
            for (int i = 0; i < 6; i++) {
                emulator.publishEvent("Order__e", Map.of("Number__c", "O" + i));
            }
            await().atMost(WAIT).until(() -> listener.stoppedChannels().contains("/event/Order__e"));
            await().atMost(WAIT).until(() -> client.subscriptions().isEmpty());
            assertThat(rows(pg.url(), "SELECT number FROM orders WHERE number LIKE '" + ns + "-%' ORDER BY number"))
                    .containsExactly(ns + "-O0", ns + "-O1", ns + "-O2");
            store.flush();
            assertThat(store.get(ns, "/event/Order__e").orElseThrow().replayId())
                    .as("the marker stays at O2, the event before the failed one")
                    .isEqualTo(Long.parseLong(rows(pg.url(), "SELECT replay_id FROM sfstream_replay_marker WHERE "
                            + "namespace = '" + ns + "'").get(0)));
            assertThat(listener.committedEvents()).isEqualTo(3);
        }
    }

    @Test
    void replicasOfAGroupTakeTurnsAndEachEventsRowIsWrittenOnce() throws Exception {
        String ns = ns();
        List<StreamingException> errors = new CopyOnWriteArrayList<>();
        try (Emulator emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3)).build()
                .start();
             JdbcReplayStore storeA = JdbcReplayStore.builder(pg.url()).build();
             JdbcReplayStore storeB = JdbcReplayStore.builder(pg.url()).build();
             StreamingClient a = client(emulator, storeA, ns).exclusive("orders").leaseTtl(Duration.ofSeconds(1))
                     .build();
             StreamingClient b = client(emulator, storeB, ns).exclusive("orders").leaseTtl(Duration.ofSeconds(1))
                     .connectionListener(new ConnectionListener() {
                         @Override
                         public void onError(StreamingException error) {
                             errors.add(error);
                         }
                     }).build()) {
            a.open();
            b.open();
            assertThat(a.state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(b.state()).isEqualTo(ConnectionState.STANDBY);
            assertThat(a.lease()).map(Lease::epoch).contains(1L);
            assertThat(b.lease()).isEmpty();
            TransactionalListener onA = store(storeA, a, ns, "a");
            TransactionalListener onB = store(storeB, b, ns, "b");
            a.subscribe("/event/Order__e", onA);
            b.subscribe("/event/Order__e", onB);
            for (int i = 0; i < 10; i++) {
                emulator.publishEvent("Order__e", Map.of("Number__c", "O" + i));
            }
            await().atMost(WAIT).until(() -> onA.committedEvents() == 10);
            a.close(); // releases the lease: b takes over at its next try
            await().atMost(WAIT).until(() -> b.state() == ConnectionState.CONNECTED);
            for (int i = 10; i < 20; i++) {
                emulator.publishEvent("Order__e", Map.of("Number__c", "O" + i));
            }
            await().atMost(WAIT).until(() -> onB.committedEvents() == 10);
            assertThat(b.lease()).map(Lease::epoch).contains(2L);
            assertThat(rows(pg.url(), "SELECT handled_by, count(*) FROM orders WHERE number LIKE '" + ns
                    + "-%' GROUP BY handled_by ORDER BY handled_by")).containsExactly("a|10", "b|10");
            assertThat(rows(pg.url(), "SELECT epoch FROM sfstream_replay_marker WHERE namespace = '" + ns + "'"))
                    .containsExactly("2");
            assertThat(errors).isEmpty();
        }
    }

    private static TransactionalListener store(JdbcReplayStore store, StreamingClient client, String ns,
            String replica) {
        return store.transactional(client, orders(ns, replica));
    }

    @Test
    void aReplicaWhoseTransactionIsFencedStopsConsumingAtOnce() throws Exception {
        String ns = ns();
        List<StreamingException> errors = new CopyOnWriteArrayList<>();
        try (Emulator emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3)).build()
                .start();
             JdbcReplayStore store = JdbcReplayStore.builder(pg.url()).build();
             JdbcReplayStore other = JdbcReplayStore.builder(pg.url()).build();
             StreamingClient client = client(emulator, store, ns).exclusive("orders")
                     .leaseTtl(Duration.ofMinutes(1)).connectionListener(new ConnectionListener() {
                         @Override
                         public void onError(StreamingException error) {
                             errors.add(error);
                         }
                     }).build()) {
            client.open();
            TransactionalListener listener = store.transactional(client, orders(ns, "client"));
            client.subscribe("/event/Order__e", listener);
            emulator.publishEvent("Order__e", Map.of("Number__c", "O0"));
            await().atMost(WAIT).until(() -> listener.committedEvents() == 1);

            // Another replica takes the lease over behind this one's back (its renewals are a minute apart).
            try (Connection c = DriverManager.getConnection(pg.url()); Statement s = c.createStatement()) {
                s.execute("UPDATE sfstream_lease SET expires_at = '-infinity' WHERE namespace = '" + ns + "'");
            }
            other.acquire(ns, "orders", "someone-else", Duration.ofMinutes(1)).orElseThrow();
            emulator.publishEvent("Order__e", Map.of("Number__c", "O1"));
            await().atMost(WAIT).until(() -> client.state() == ConnectionState.STANDBY);
            assertThat(errors).anySatisfy(e -> assertThat(e).isInstanceOf(FencedException.class)
                    .hasMessageContaining("group orders"));
            assertThat(rows(pg.url(), "SELECT number FROM orders WHERE number LIKE '" + ns + "-%'"))
                    .containsExactly(ns + "-O0");
            assertThat(client.lease()).isEmpty();
        }
    }
}
