package dev.sfstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sfstream.emulator.Emulator;
import dev.sfstream.redis.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar opens every replay store the project has through {@code ReplayStore.open}, run as users run it
 * (a failsafe test): a real {@code redis-server} behind {@code listen --store redis://...}; a store that cannot be
 * reached is a network error (exit 4), a corrupt one a refusal (exit 1).
 */
class CliReplayStoreIT {
    private static final Path JAR = Path.of("target", "sfstream-cli.jar");

    /** Runs the jar to its end and returns its exit code; stdout and stderr go to files in {@code dir}. */
    private static int run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("sfstream " + String.join(" ", args) + " did not finish within 60 s");
        }
        return p.exitValue();
    }

    private static String read(Path dir, String file) throws IOException {
        return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
    }

    @Test
    void listenKeepsItsMarkersInRedisAndTheNextListenResumesFromThem(@TempDir Path dir) throws Exception {
        try (RedisServer redis = new RedisServer();
             Emulator emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3)).build()
                     .start()) {
            emulator.create("PushTopic", Map.of("Name", "Leads", "Query", "SELECT Id, LastName FROM Lead",
                    "ApiVersion", 64.0));
            emulator.create("Lead", Map.of("LastName", "P0", "Company", "X"));
            emulator.create("Lead", Map.of("LastName", "P1", "Company", "X"));

            int first = run(dir, "listen", "/topic/Leads", "--emulator", emulator.url(), "--replay", "all",
                    "--store", redis.uri(), "--count", "2");
            assertThat(first).as(read(dir, "stderr.txt")).isZero();
            assertThat(read(dir, "stdout.txt").lines()).hasSize(2);

            emulator.create("Lead", Map.of("LastName", "P2", "Company", "X"));
            int again = run(dir, "listen", "/topic/Leads", "--emulator", emulator.url(), "--replay", "stored",
                    "--store", redis.uri(), "--count", "1");
            assertThat(again).as(read(dir, "stderr.txt")).isZero();
            assertThat(read(dir, "stdout.txt").lines().map(l -> l.contains("\"LastName\":\"P2\"")))
                    .as("the second listen starts after the marker the first one stored in Redis")
                    .containsExactly(true);
        }
    }

    @Test
    void listenExitsFourWhenRedisCannotBeReached(@TempDir Path dir) throws Exception {
        String nobody = "redis://127.0.0.1:" + RedisServer.freePort();
        try (Emulator emulator = Emulator.builder().quiet(true).build().start()) {
            int code = run(dir, "listen", "/topic/Leads", "--emulator", emulator.url(), "--store", nobody,
                    "--count", "1");
            String err = read(dir, "stderr.txt");
            assertThat(code).as(err).isEqualTo(4);
            assertThat(err).contains("cannot reach Redis at " + nobody).doesNotContain("\tat ");
        }
    }

    @Test
    void listenExitsOneOnACorruptFileStore(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("replay.json"), "{ not json");
        try (Emulator emulator = Emulator.builder().quiet(true).build().start()) {
            int code = run(dir, "listen", "/topic/Leads", "--emulator", emulator.url(), "--store", "replay.json",
                    "--count", "1");
            String err = read(dir, "stderr.txt");
            assertThat(code).as(err).isEqualTo(1);
            assertThat(err).contains("replay.json").doesNotContain("\tat ");
            assertThat(dir.resolve("replay.json")).as("a corrupt store is never reset").hasContent("{ not json");
        }
    }
}
