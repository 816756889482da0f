package dev.sfstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sfstream.emulator.Emulator;
import dev.sfstream.jdbc.PostgresServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code listen --exclusive}, the shipped jar run as replicas on one PostgreSQL store: one prints, the other says on
 * stderr that it waits as a standby, and takes over (saying so) when the active one is killed.
 */
class CliExclusiveIT {
    private static final Path JAR = Path.of("target", "sfstream-cli.jar");
    static PostgresServer pg;

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    /** A running listen: its stdout lines as they come, its stderr in a file. */
    record Listen(Process process, List<String> out, Path err) {
        String stderr() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        List<String> numbers() {
            return out.stream().map(l -> l.replaceAll(".*\"Number__c\":\"([^\"]*)\".*", "$1")).toList();
        }
    }

    private static Listen listen(Path dir, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toAbsolutePath().toString(), "listen"));
        command.addAll(List.of(args));
        Path err = dir.resolve(name + "-stderr.txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(err.toFile()).start();
        List<String> out = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    out.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, "listen-" + name);
        reader.setDaemon(true);
        reader.start();
        return new Listen(p, out, err);
    }

    private static long storedReplayId(String url, String channel) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT max(replay_id) FROM sfstream_replay_marker WHERE channel = '"
                     + channel + "'")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void aStandbySaysItWaitsAndTakesOverWhenTheActiveListenIsKilled(@TempDir Path dir) throws Exception {
        String url = pg.createDatabase("exclusive");
        try (Emulator emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3)).build()
                .start()) {
            String[] args = {"/event/Order__e", "--emulator", emulator.url(), "--store", url, "--exclusive",
                "--lease-ttl", "2s", "--replay", "all"}; // all: for a channel without a marker only
            Listen active = listen(dir, "active", args);
            await().atMost(Duration.ofSeconds(60)).until(() -> active.stderr().contains("active in group "
                    + "listen:/event/Order__e"));
            Listen standby = listen(dir, "standby", args);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> standby.stderr().contains(
                        "waiting as a standby of group listen:/event/Order__e"));
                for (int i = 0; i < 5; i++) {
                    emulator.publishEvent("Order__e", Map.of("Number__c", "O" + i));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> active.out().size() == 5);
                long last = dev.sfstream.internal.Json.MAPPER.readTree(active.out().get(4)).path("data")
                        .path("event").path("replayId").asLong();
                assertThat(last).isPositive();
                await().atMost(Duration.ofSeconds(10)).until(() -> storedReplayId(url, "/event/Order__e") == last);
                assertThat(standby.out()).isEmpty();

                active.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9
                long killedAt = System.nanoTime();
                for (int i = 5; i < 10; i++) {
                    emulator.publishEvent("Order__e", Map.of("Number__c", "O" + i));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> standby.stderr().contains(
                        "took over group listen:/event/Order__e"));
                long tookOver = System.nanoTime() - killedAt;
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(standby.numbers())
                        .as(standby.stderr()).hasSize(5));
                assertThat(active.numbers()).containsExactly("O0", "O1", "O2", "O3", "O4");
                assertThat(standby.numbers()).containsExactly("O5", "O6", "O7", "O8", "O9");
                assertThat(Duration.ofNanos(tookOver)).as("takeover after kill -9 with a 2 s lease")
                        .isLessThan(Duration.ofSeconds(10));
            } finally {
                standby.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                active.process().destroyForcibly();
            }
        }
    }

    @Test
    void exclusiveWithoutAStoreTheReplicasShareIsAUsageError(@TempDir Path dir) throws Exception {
        try (Emulator emulator = Emulator.builder().quiet(true).build().start()) {
            Listen p = listen(dir, "alone", "/event/Order__e", "--emulator", emulator.url(), "--exclusive=orders",
                    "--store", dir.resolve("replay.json").toString());
            assertThat(p.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.process().exitValue()).isEqualTo(2);
            assertThat(p.stderr()).contains("--exclusive needs a replay store that the replicas share");
        }
    }
}
