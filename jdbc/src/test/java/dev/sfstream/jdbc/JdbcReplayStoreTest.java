package dev.sfstream.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sfstream.ReplayStoreException;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayPosition;
import dev.sfstream.replay.ReplayStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store's contract on a real PostgreSQL: where markers are, forward-only, grouped commits, reopen, errors. */
class JdbcReplayStoreTest {
    static PostgresServer pg;
    static final AtomicInteger COUNTER = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    static String namespace() {
        return "ns" + COUNTER.incrementAndGet();
    }

    static String database() throws SQLException {
        return pg.createDatabase("db" + COUNTER.incrementAndGet());
    }

    static ReplayMarker marker(long id) {
        return new ReplayMarker(id, Instant.parse("2026-11-23T10:00:00Z").plusSeconds(id));
    }

    static List<String> rows(String url, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = java.sql.DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    row.append(i > 1 ? "|" : "").append(r.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    @Test
    void storesMarkersInTheDocumentedTableAndReadsThemBack() throws Exception {
        String ns = namespace();
        try (ReplayStore store = ReplayStore.open(pg.url())) {
            assertThat(store).isInstanceOf(JdbcReplayStore.class);
            store.put(ns, "/topic/A", marker(42));
            store.flush();
            assertThat(store.get(ns, "/topic/A")).contains(marker(42));
            assertThat(store.get(ns, "/topic/Other")).isEmpty();
        }
        assertThat(rows(pg.url(), "SELECT channel, replay_id, position, created_date AT TIME ZONE 'UTC', epoch FROM "
                + "sfstream_replay_marker WHERE namespace = '" + ns + "'"))
                .containsExactly("/topic/A|42|42|2026-11-23 10:00:42|null");
    }

    @Test
    void markersNeverMoveBackwardsWhicheverStoreWrites() throws Exception {
        String ns = namespace();
        try (JdbcReplayStore a = JdbcReplayStore.builder(pg.url()).build();
             JdbcReplayStore b = JdbcReplayStore.builder(pg.url()).build()) {
            a.put(ns, "/topic/A", marker(100));
            a.flush();
            b.put(ns, "/topic/A", marker(50));
            b.flush();
            assertThat(b.get(ns, "/topic/A")).contains(marker(100));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                JdbcReplayStore store = t % 2 == 0 ? a : b;
                int offset = t;
                futures.add(pool.submit(() -> {
                    for (int i = 1; i <= 500; i++) {
                        store.put(ns, "/topic/A", marker(100 + i * 4L + offset));
                        if (i % 50 == 0) {
                            store.flush();
                        }
                    }
                    store.flush();
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            assertThat(a.get(ns, "/topic/A")).contains(marker(100 + 500 * 4L + 3));
        }
    }

    @Test
    void pubSubPositionsAreKeptExactlyAndOrderedByTheirNumber() throws Exception {
        String ns = namespace();
        ReplayMarker eight = new ReplayMarker(ReplayPosition.ofBytes(new byte[] {0, 0, 0, 0, 0, 0, 1, 0}),
                Instant.parse("2026-11-23T10:00:00Z"));
        ReplayMarker lower = new ReplayMarker(ReplayPosition.ofBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 9}),
                Instant.parse("2026-11-23T10:00:01Z"));
        ReplayMarker long12 = new ReplayMarker(ReplayPosition.ofBytes(new byte[12]), Instant.parse(
                "2026-11-23T10:00:02Z"));
        try (JdbcReplayStore store = JdbcReplayStore.builder(pg.url()).build()) {
            store.put(ns, "/event/E__e", eight);
            store.flush();
            store.put(ns, "/event/E__e", lower);
            store.flush();
            try (JdbcReplayStore other = JdbcReplayStore.builder(pg.url()).build()) {
                assertThat(other.get(ns, "/event/E__e")).contains(eight);
                other.put(ns, "/event/E__e", long12); // no number: later than anything else
                other.flush();
            }
            assertThat(store.get(ns, "/event/E__e")).contains(long12);
            assertThat(store.get(ns, "/event/E__e").orElseThrow().position().isBytes()).isTrue();
        }
    }

    @Test
    void commitsAreGroupedIntoOneStatementPerInterval() throws Exception {
        String url = database();
        String ns = namespace();
        try (JdbcReplayStore store = JdbcReplayStore.builder(url).commitInterval(Duration.ofSeconds(30)).build()) {
            // Counts the upsert statements that reach the table, whatever they write.
            try (Connection c = java.sql.DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE statements (n int)");
                s.execute("CREATE FUNCTION count_statement() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$ BEGIN INSERT INTO statements VALUES (1); RETURN NULL; END $$");
                s.execute("CREATE TRIGGER counted AFTER INSERT ON sfstream_replay_marker FOR EACH STATEMENT "
                        + "EXECUTE FUNCTION count_statement()");
            }
            for (int i = 1; i <= 10_000; i++) {
                store.put(ns, "/event/E" + (i % 10) + "__e", marker(i));
            }
            assertThat(rows(url, "SELECT count(*) FROM sfstream_replay_marker")).as("nothing written before the "
                    + "interval or a flush").containsExactly("0");
            assertThat(store.pendingMarkers()).isEqualTo(10);
            store.flush();
            assertThat(rows(url, "SELECT count(*) FROM statements")).containsExactly("1");
            assertThat(rows(url, "SELECT channel, replay_id FROM sfstream_replay_marker ORDER BY channel"))
                    .hasSize(10).contains("/event/E0__e|10000", "/event/E9__e|9999");
            assertThat(store.pendingMarkers()).isZero();
        }
    }

    @Test
    void theGroupCommitWritesByItselfWithinTheInterval() throws Exception {
        String ns = namespace();
        try (JdbcReplayStore store = JdbcReplayStore.builder(pg.url()).commitInterval(Duration.ofMillis(50))
                .build()) {
            store.put(ns, "/topic/A", marker(7));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> rows(pg.url(),
                    "SELECT replay_id FROM sfstream_replay_marker WHERE namespace = '" + ns + "'").equals(
                    List.of("7")));
        }
    }

    @Test
    void markersSurviveClosingAndReopening() throws Exception {
        String ns = namespace();
        try (ReplayStore store = ReplayStore.open(pg.url())) {
            store.put(ns, "/topic/A", marker(5));
            store.put(ns, "/topic/B", marker(9));
        } // close flushes
        try (ReplayStore store = ReplayStore.open(pg.url())) {
            assertThat(store.get(ns, "/topic/A")).contains(marker(5));
            assertThat(store.get(ns, "/topic/B")).contains(marker(9));
        }
    }

    @Test
    void aReplacementOverwritesTheRefusedMarkerWhateverTheOrder() throws Exception {
        String ns = namespace();
        try (JdbcReplayStore store = JdbcReplayStore.builder(pg.url()).build()) {
            store.put(ns, "/topic/A", marker(900));
            store.flush();
            store.replace(ns, "/topic/A", marker(900), marker(3));
            store.flush();
            assertThat(store.get(ns, "/topic/A")).contains(marker(3));
            store.replace(ns, "/topic/A", marker(900), marker(2)); // 900 is no longer stored: forward-only again
            store.flush();
            assertThat(store.get(ns, "/topic/A")).contains(marker(3));
        }
    }

    @Test
    void aClosedStoreSaysSo() {
        JdbcReplayStore store = JdbcReplayStore.builder(pg.url()).build();
        store.close();
        assertThatThrownBy(() -> store.put("ns", "/topic/A", marker(1))).isInstanceOf(ReplayStoreException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void createsItsTablesOnFirstUseAndTheirDdlIsTheOneInTheReadme() throws Exception {
        String url = database();
        assertThat(rows(url, "SELECT to_regclass('sfstream_replay_marker') IS NULL")).containsExactly("t");
        JdbcReplayStore.builder(url).build().close();
        assertThat(rows(url, "SELECT count(*) FROM pg_tables WHERE tablename IN ('sfstream_replay_marker', "
                + "'sfstream_lease')")).containsExactly("2");
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).as("jdbc/README.md shows the DDL the store runs").contains(JdbcReplayStore.schema().strip());
    }

    @Test
    void aMissingTableIsAClearErrorWhenCreatingIsOff() throws Exception {
        String url = database();
        assertThatThrownBy(() -> ReplayStore.open(url + "&createTables=false"))
                .isInstanceOf(ReplayStoreException.class)
                .hasMessageContaining("sfstream_replay_marker and sfstream_lease do not exist")
                .hasMessageContaining("schema public")
                .hasMessageContaining("createTables is off")
                .hasMessageContaining("JdbcReplayStore.schema()");
        assertThat(rows(url, "SELECT to_regclass('sfstream_replay_marker') IS NULL")).containsExactly("t");
    }

    @Test
    void aUserWhoMayNotCreateOrWriteTheTablesGetsAClearError() throws Exception {
        String url = database();
        String role = "app" + COUNTER.incrementAndGet();
        pg.execute("CREATE ROLE " + role + " LOGIN");
        String asRole = url.replace("user=postgres", "user=" + role);
        // PostgreSQL 15: only the owner of schema public may create in it
        assertThatThrownBy(() -> JdbcReplayStore.builder(asRole).build())
                .isInstanceOf(ReplayStoreException.class)
                .hasMessageContaining("user " + role + " may not create them in schema public")
                .hasMessageContaining("permission denied")
                .hasMessageContaining("grant SELECT, INSERT, UPDATE on both to " + role);
        JdbcReplayStore.builder(url).build().close(); // created by the superuser, nothing granted
        assertThatThrownBy(() -> JdbcReplayStore.builder(asRole).build())
                .isInstanceOf(ReplayStoreException.class)
                .hasMessageContaining("user " + role + " may not read and write the replay store's table "
                        + "sfstream_replay_marker")
                .hasMessageContaining("GRANT SELECT, INSERT, UPDATE ON sfstream_replay_marker TO " + role);
        try (Connection c = java.sql.DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("GRANT SELECT, INSERT, UPDATE ON sfstream_replay_marker, sfstream_lease TO " + role);
        }
        try (JdbcReplayStore store = JdbcReplayStore.builder(asRole).build()) {
            store.put("ns", "/topic/A", marker(1));
            store.flush();
            assertThat(store.get("ns", "/topic/A")).contains(marker(1));
        }
    }

    @Test
    void aTableOfAnotherProgramIsNotTakenForTheStores() throws Exception {
        String url = database();
        try (Connection c = java.sql.DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE sfstream_replay_marker (id int)");
            s.execute("CREATE TABLE sfstream_lease (id int)");
        }
        assertThatThrownBy(() -> JdbcReplayStore.builder(url).build()).isInstanceOf(ReplayStoreException.class)
                .hasMessageContaining("is not the replay store's");
    }

    @Test
    void badLocationsAreRefusedWithWhatIsWrong() throws Exception {
        assertThatThrownBy(() -> JdbcReplayStore.builder("jdbc:mysql://localhost/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a PostgreSQL JDBC URL");
        assertThatThrownBy(() -> ReplayStore.open("jdbc:postgresql://127.0.0.1:5432/db?createTables=maybe"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("createTables must be true or false");
        assertThatThrownBy(() -> ReplayStore.open(pg.url() + "&commitInterval=soon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commitInterval must be a duration");

        String nobody = "jdbc:postgresql://127.0.0.1:" + PostgresServer.freePort() + "/db?user=app&password=s3cret";
        assertThatThrownBy(() -> ReplayStore.open(nobody))
                .isInstanceOf(ReplayStoreException.class)
                .hasMessageContaining("cannot reach PostgreSQL at jdbc:postgresql://127.0.0.1:")
                .hasMessageContaining("password=***")
                .hasMessageNotContaining("s3cret")
                .hasRootCauseInstanceOf(java.net.ConnectException.class);
        assertThatThrownBy(() -> ReplayStore.open(pg.url("nosuchdb")))
                .isInstanceOf(ReplayStoreException.class).hasMessageContaining("has no such database")
                .hasMessageContaining("nosuchdb");
        assertThatThrownBy(() -> ReplayStore.open(pg.url().replace("user=postgres", "user=nobody")))
                .isInstanceOf(ReplayStoreException.class).hasMessageContaining("refused the credentials")
                .hasMessageContaining("nobody");
    }

    @Test
    void toStringShowsTheDatabaseWithoutThePassword() {
        try (JdbcReplayStore store = JdbcReplayStore.builder(pg.url() + "&password=s3cret").build()) {
            assertThat(store.toString()).contains("127.0.0.1:" + pg.port()).contains("password=***")
                    .doesNotContain("s3cret");
        }
    }
}
