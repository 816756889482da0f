package dev.sfstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.internal.Json;
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

/** The built jar, run as a real subprocess, as users run it (after {@code package}, so a failsafe test). */
class CliProcessIT {
    private static final Path JAR = Path.of("target", "sfstream-cli.jar");

    private static Process start(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectError(dir.resolve("stderr.txt").toFile())
                .start();
    }

    private static String finish(Process p, int seconds) throws Exception {
        boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
            throw new AssertionError("the command did not finish within " + seconds + " s");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void demoRunsAsAProcessAndExitsZero(@TempDir Path dir) throws Exception {
        assertThat(JAR).exists();
        Process p = start(dir, "demo", "--count", "4", "--interval", "100ms");
        String out = finish(p, 60);
        assertThat(p.exitValue()).as(out + Files.readString(dir.resolve("stderr.txt"))).isZero();
        assertThat(out.lines().filter(l -> l.startsWith("  <- "))).hasSize(4);
        assertThat(dir.resolve(".sfstream").resolve("demo-replay.json")).exists();
    }

    @Test
    void listenPrintsJsonLinesForJq(@TempDir Path dir) throws Exception {
        try (Emulator emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3)).build()
                .start()) {
            emulator.create("PushTopic", Map.of("Name", "Leads", "Query", "SELECT Id, LastName FROM Lead",
                    "ApiVersion", 64.0));
            for (int i = 0; i < 2; i++) {
                emulator.create("Lead", Map.of("LastName", "P" + i, "Company", "X"));
            }
            Process p = start(dir, "listen", "/topic/Leads", "--emulator", emulator.url(), "--replay", "all",
                    "--count", "2");
            String out = finish(p, 60);
            assertThat(p.exitValue()).as(Files.readString(dir.resolve("stderr.txt"))).isZero();
            List<String> lines = out.lines().toList();
            assertThat(lines).hasSize(2);
            for (String line : lines) {
                JsonNode json = Json.MAPPER.readTree(line);
                assertThat(json.path("data").path("sobject").path("LastName").asText()).startsWith("P");
            }
        }
    }

    @Test
    void aWrongPasswordExitsThreeWithoutPrintingIt(@TempDir Path dir) throws Exception {
        try (Emulator emulator = Emulator.builder().quiet(true).build().start()) {
            Process p = start(dir, "topic", "list", "--login-url", emulator.url(), "--client-id",
                    Emulator.DEFAULT_CLIENT_ID, "--client-secret", Emulator.DEFAULT_CLIENT_SECRET, "--username",
                    Emulator.DEFAULT_USERNAME, "--password", "hunter2-not-it");
            String out = finish(p, 60);
            String err = Files.readString(dir.resolve("stderr.txt"));
            assertThat(p.exitValue()).isEqualTo(3);
            assertThat(err).contains("invalid_grant").doesNotContain("hunter2-not-it");
            assertThat(out).doesNotContain("hunter2-not-it");
        }
    }
}
