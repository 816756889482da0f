package dev.sfstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sfstream.emulator.Emulator;
import dev.sfstream.jdbc.PostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas in child JVMs on a real PostgreSQL (and Redis), killed with {@code kill -9} and paused with
 * {@code SIGSTOP} while events flow:
 * <ul>
 *   <li>a consumer that commits its marker in its handler's transaction leaves every event's row exactly once,
 *       whatever point it is killed at;</li>
 *   <li>three replicas of a group under repeated kills of the active one: nothing lost, nothing twice, never two
 *       replicas handling at the same time, each takeover within the bound;</li>
 *   <li>an active replica paused past its lease finds its writes refused when it resumes, stops without moving a
 *       marker and waits as a standby (PostgreSQL and Redis).</li>
 * </ul>
 */
class ReplicasTest {
    private static final Duration TTL = Duration.ofSeconds(2);
    private static final AtomicInteger DATABASES = new AtomicInteger();
    static PostgresServer pg;

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    private static String database() throws Exception {
        String url = pg.createDatabase("replicas" + DATABASES.incrementAndGet());
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE handled (id bigserial PRIMARY KEY, seq int NOT NULL, replica text NOT NULL, "
                    + "epoch bigint NOT NULL, at timestamptz NOT NULL)");
        }
        return url;
    }

    private static List<List<String>> query(String url, String sql) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    row.add(r.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static long count(String url, String sql) throws Exception {
        return Long.parseLong(query(url, sql).get(0).get(0));
    }

    private static Emulator emulator(int events) {
        return Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3))
                .retainedEventsPerChannel(events + 100).build().start();
    }

    /** Publishes {@code events} events with Seq__c 0.., about {@code perSecond} a second, on a thread of its own. */
    private static Thread publish(Emulator emulator, int from, int events, int perSecond) {
        Thread t = new Thread(() -> {
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                emulator.publishEvent("Crash__e", Map.of("Seq__c", from + i));
                long due = start + (long) (i + 1) * 1_000_000_000L / perSecond;
                LockSupport.parkNanos(due - System.nanoTime());
            }
        }, "publisher");
        t.start();
        return t;
    }

    @Test
    void aTransactionalConsumerKilledAtRandomPointsLeavesEveryEventsRowExactlyOnce(@TempDir Path dir)
            throws Exception {
        int events = 3000;
        String url = database();
        Random random = new Random(18);
        try (Emulator emulator = emulator(events)) {
            ReplicaProcess consumer = ReplicaProcess.start(emulator.url(), url, "tx", "c0", null, TTL,
                    Duration.ZERO, null);
            Thread publisher = publish(emulator, 0, events, 600);
            List<Long> rowsAtKill = new ArrayList<>();
            for (int kill = 1; kill <= 5; kill++) {
                long target = count(url, "SELECT count(*) FROM handled") + 150 + random.nextInt(400);
                ReplicaProcess running = consumer;
                await().atMost(Duration.ofSeconds(40)).until(() -> count(url, "SELECT count(*) FROM handled")
                        >= Math.min(target, events) || !running.process.isAlive());
                consumer.kill9(); // in the middle of whatever it was doing: a transaction, a group commit, a poll
                rowsAtKill.add(count(url, "SELECT count(*) FROM handled"));
                consumer = ReplicaProcess.start(emulator.url(), url, "tx", "c" + kill, null, TTL, Duration.ZERO,
                        null);
            }
            publisher.join();
            await().atMost(Duration.ofSeconds(60)).until(() -> count(url, "SELECT count(DISTINCT seq) FROM handled")
                    == events);
            consumer.kill9();
            long rows = count(url, "SELECT count(*) FROM handled");
            System.out.printf("transactional commit: %d events, 5 kills (rows at each kill: %s), %d rows%n", events,
                    rowsAtKill, rows);
            assertThat(rows).as("every event's row exactly once").isEqualTo(events);
            assertThat(query(url, "SELECT seq FROM handled GROUP BY seq HAVING count(*) > 1")).isEmpty();
        }
    }

    @Test
    void threeReplicasUnderRepeatedKillsOfTheActiveOneLoseNothingAndNeverOverlap(@TempDir Path dir)
            throws Exception {
        int events = 3000;
        int kills = 3;
        String url = database();
        List<ReplicaProcess> replicas = new ArrayList<>();
        List<Double> takeovers = new ArrayList<>();
        try (Emulator emulator = emulator(events)) {
            for (int i = 0; i < 3; i++) {
                replicas.add(ReplicaProcess.start(emulator.url(), url, "group", "r" + i, "crash-consumers", TTL,
                        Duration.ZERO, null));
            }
            assertThat(replicas.get(0).active()).isTrue();
            assertThat(replicas.subList(1, 3)).noneMatch(ReplicaProcess::active);
            Thread publisher = publish(emulator, 0, events, 150);
            for (int k = 0; k < kills; k++) {
                long target = (k + 1L) * events / (kills + 1);
                await().atMost(Duration.ofSeconds(40)).until(() -> count(url, "SELECT count(*) FROM handled")
                        >= target);
                ReplicaProcess active = replicas.stream().filter(r -> r.process.isAlive() && r.active()).findFirst()
                        .orElseThrow(() -> new AssertionError("no active replica: " + replicas));
                active.kill9();
                String killedAt = query(url, "SELECT clock_timestamp()").get(0).get(0);
                await().atMost(Duration.ofSeconds(30)).until(() -> count(url, "SELECT count(*) FROM handled WHERE "
                        + "at > '" + killedAt + "' AND replica <> '" + active.name + "'") > 0);
                takeovers.add(Double.parseDouble(query(url, "SELECT extract(epoch FROM min(at) - '" + killedAt
                        + "'::timestamptz) FROM handled WHERE at > '" + killedAt + "'").get(0).get(0)));
                replicas.add(ReplicaProcess.start(emulator.url(), url, "group", "r" + (3 + k), "crash-consumers",
                        TTL, Duration.ZERO, null));
            }
            publisher.join();
            await().atMost(Duration.ofSeconds(60)).until(() -> count(url, "SELECT count(DISTINCT seq) FROM handled")
                    == events);

            long rows = count(url, "SELECT count(*) FROM handled");
            List<List<String>> order = query(url, "SELECT replica, epoch FROM handled ORDER BY id");
            List<String> runs = new ArrayList<>();
            List<Long> epochs = new ArrayList<>();
            for (List<String> row : order) {
                if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(row.get(0))) {
                    runs.add(row.get(0));
                    epochs.add(Long.parseLong(row.get(1)));
                }
            }
            System.out.printf("three replicas: %d events, %d kills, %d rows, active in turn: %s (epochs %s), "
                    + "takeover after kill -9 (s): %s%n", events, kills, rows, runs, epochs, takeovers);
            assertThat(rows).as("no event lost, none handled twice").isEqualTo(events);
            assertThat(new HashSet<>(runs)).as("each replica handled in one stretch: never two at the same time")
                    .hasSameSizeAs(runs);
            assertThat(runs).hasSize(kills + 1);
            assertThat(epochs).as("each takeover raised the epoch").isSorted().doesNotHaveDuplicates();
            assertThat(takeovers).as("takeover within the lease TTL (%s) and a renewal period, plus the "
                    + "resubscription", TTL).allSatisfy(t -> assertThat(t).isLessThan(TTL.toSeconds() * 4.0));
        } finally {
            for (ReplicaProcess r : replicas) {
                r.close();
            }
        }
    }

    @Test
    void aPausedActiveReplicaIsFencedWhenItResumesAndStopsWithoutMovingAMarker() throws Exception {
        int events = 30;
        String url = database();
        try (Emulator emulator = emulator(events + 10);
             ReplicaProcess a = ReplicaProcess.start(emulator.url(), url, "pause", "a", "paused", TTL,
                     Duration.ofMillis(150), null);
             ReplicaProcess b = ReplicaProcess.start(emulator.url(), url, "pause", "b", "paused", TTL,
                     Duration.ofMillis(150), null)) {
            assertThat(a.active()).isTrue();
            publish(emulator, 0, events, 1000).join();
            await().atMost(Duration.ofSeconds(30)).until(() -> count(url, "SELECT count(*) FROM handled") >= 3);

            a.signal("STOP"); // in the middle of a handler transaction, most likely: it holds the fence
            String pausedAt = query(url, "SELECT clock_timestamp()").get(0).get(0);
            await().atMost(Duration.ofSeconds(30)).until(b::active);
            await().atMost(Duration.ofSeconds(60)).until(() -> count(url, "SELECT count(DISTINCT seq) FROM handled")
                    == events);
            String beforeResume = query(url, "SELECT replay_id, epoch FROM sfstream_replay_marker").toString();

            a.signal("CONT");
            await().atMost(Duration.ofSeconds(30)).until(() -> a.lines.stream().anyMatch(l -> l.startsWith(
                    "state STANDBY")));
            assertThat(a.lines).anySatisfy(l -> assertThat(l).startsWith("error FencedException"));
            assertThat(query(url, "SELECT replay_id, epoch FROM sfstream_replay_marker").toString())
                    .as("a's resumption moved no marker").isEqualTo(beforeResume);
            // One more event: only b handles it.
            publish(emulator, events, 1, 100).join();
            await().atMost(Duration.ofSeconds(30)).until(() -> count(url, "SELECT count(*) FROM handled WHERE seq = "
                    + events) == 1);

            System.out.printf("paused replica: a %s%n", a.lines);
            assertThat(count(url, "SELECT count(*) FROM handled")).as("every event once").isEqualTo(events + 1);
            assertThat(count(url, "SELECT count(*) FROM handled WHERE replica = 'a' AND at > '" + pausedAt + "'"))
                    .as("nothing of a's committed after its pause").isZero();
            assertThat(query(url, "SELECT epoch FROM sfstream_replay_marker").get(0).get(0)).isEqualTo("2");
            assertThat(count(url, "SELECT count(*) FROM handled h WHERE replica = 'a' AND EXISTS (SELECT 1 FROM "
                    + "handled later WHERE later.replica = 'b' AND later.id < h.id)")).as("a never after b").isZero();
        }
    }

    @Test
    void aPausedActiveReplicaIsFencedInRedisToo(@TempDir Path dir) throws Exception {
        int events = 30;
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process redisServer = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        String location = "redis://127.0.0.1:" + port;
        Path output = dir.resolve("handled.txt");
        try {
            int p = port;
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (Socket ignored = new Socket("127.0.0.1", p)) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            try (Emulator emulator = emulator(events + 10);
                 ReplicaProcess a = ReplicaProcess.start(emulator.url(), location, "pause", "a", "paused", TTL,
                         Duration.ofMillis(150), output);
                 ReplicaProcess b = ReplicaProcess.start(emulator.url(), location, "pause", "b", "paused", TTL,
                         Duration.ofMillis(150), output)) {
                assertThat(a.active()).isTrue();
                publish(emulator, 0, events, 1000).join();
                await().atMost(Duration.ofSeconds(30)).until(() -> handled(output).size() >= 3);
                a.signal("STOP");
                await().atMost(Duration.ofSeconds(30)).until(b::active);
                await().atMost(Duration.ofSeconds(60)).until(() -> distinctSeqs(output).size() == events);
                String marker;
                try (redis.clients.jedis.RedisClient raw = redis.clients.jedis.RedisClient.create(
                        java.net.URI.create(location))) {
                    marker = raw.get("sfstream:replay:pause:/event/Crash__e");
                    a.signal("CONT");
                    await().atMost(Duration.ofSeconds(30)).until(() -> a.lines.stream().anyMatch(l -> l.startsWith(
                            "state STANDBY")));
                    assertThat(a.lines).anySatisfy(l -> assertThat(l).startsWith("error FencedException"));
                    publish(emulator, events, 1, 100).join();
                    await().atMost(Duration.ofSeconds(30)).until(() -> distinctSeqs(output).contains(events));
                    String last = raw.get("sfstream:replay:pause:/event/Crash__e");
                    System.out.printf("paused replica (Redis): marker at the pause's end %s, at the end %s; a %s%n",
                            marker, last, a.lines);
                    assertThat(Long.parseLong(last.split("\\|")[0])).as("the marker only moved forward, by b")
                            .isGreaterThan(Long.parseLong(marker.split("\\|")[0]));
                    assertThat(raw.get("sfstream:epoch:pause:paused")).isEqualTo("2");
                }
                List<String[]> lines = handled(output);
                assertThat(lines.stream().filter(l -> l[0].equals(Integer.toString(events)))).as("only b handles "
                        + "after a was fenced").allSatisfy(l -> assertThat(l[1]).isEqualTo("b"));
            }
        } finally {
            redisServer.destroy();
            redisServer.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static List<String[]> handled(Path output) throws IOException {
        if (!Files.exists(output)) {
            return List.of();
        }
        return Files.readAllLines(output).stream().filter(l -> !l.isBlank()).map(l -> l.split(" ")).toList();
    }

    private static Set<Integer> distinctSeqs(Path output) throws IOException {
        Set<Integer> seqs = new HashSet<>();
        for (String[] l : handled(output)) {
            seqs.add(Integer.parseInt(l[0]));
        }
        return seqs;
    }
}
