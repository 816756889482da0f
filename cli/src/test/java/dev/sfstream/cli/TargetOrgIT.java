package dev.sfstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.auth.SfStandIn;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.internal.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --target-org} and {@code SF_TARGET_ORG}: the built jar as a real subprocess, with a stand-in {@code sf} first
 * on its PATH that hands out real tokens of an emulator in this JVM.
 */
class TargetOrgIT {
    private static final Path JAR = Path.of("target", "sfstream-cli.jar");
    static Emulator emulator;

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3)).build().start();
        emulator.create("PushTopic", Map.of("Name", "Leads", "Query", "SELECT Id, LastName FROM Lead",
                "ApiVersion", 64.0));
        emulator.create("Lead", Map.of("LastName", "Retained", "Company", "X"));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    /** A real token from the emulator's OAuth endpoint, as sf would hold after {@code sf org login web}. */
    private static String freshToken() {
        return PasswordAuthenticator.builder().loginUrl(emulator.url())
                .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD).build().token().token();
    }

    /** Starts {@code sfstream args} with {@code path} as its whole PATH and these variables added. */
    private static Process start(Path dir, String path, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(dir.resolve("stderr.txt").toFile());
        builder.environment().remove("SF_TARGET_ORG");
        builder.environment().put("PATH", path);
        builder.environment().putAll(env);
        return builder.start();
    }

    /** The stand-in's folder first, then the system's (sh, sleep, cat). */
    private static String pathWith(SfStandIn sf) {
        return sf.dir + java.io.File.pathSeparator + "/usr/bin:/bin";
    }

    private static String finish(Process p, Path dir) throws Exception {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("no exit within 60 s; stderr: " + Files.readString(dir.resolve("stderr.txt")));
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, "cli-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static JsonNode next(BlockingQueue<String> lines, Process p, Path dir) throws Exception {
        String line = lines.poll(60, TimeUnit.SECONDS);
        if (line == null) {
            p.destroyForcibly();
            throw new AssertionError("no event within 60 s; stderr: " + Files.readString(dir.resolve("stderr.txt")));
        }
        return Json.MAPPER.readTree(line);
    }

    @Test
    void listenWithATargetOrgStreamsAndAsksSfAgainAfterTheTokenIsRevoked(@TempDir Path dir) throws Exception {
        String first = freshToken();
        SfStandIn sf = SfStandIn.in(dir, emulator.orgId(), emulator.url()).token(1, first);
        Process p = start(dir, pathWith(sf), Map.of(), "listen", "/topic/Leads", "--target-org", SfStandIn.ORG,
                "--replay", "all", "--count", "2");
        BlockingQueue<String> out = lines(p);
        assertThat(next(out, p, dir).path("data").path("sobject").path("LastName").asText()).isEqualTo("Retained");

        emulator.revokeTokens();
        String second = freshToken();
        sf.token(2, second);
        emulator.create("Lead", Map.of("LastName", "AfterRevoke", "Company", "X"));

        assertThat(next(out, p, dir).path("data").path("sobject").path("LastName").asText()).isEqualTo("AfterRevoke");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(dir.resolve("stderr.txt"));
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(sf.calls()).containsExactly("org display --json --target-org myorg",
                "org display --json --target-org myorg");
        assertThat(err).doesNotContain(first).doesNotContain(second);
    }

    @Test
    void sfTargetOrgInTheEnvironmentChoosesTheOrg(@TempDir Path dir) throws Exception {
        String token = freshToken();
        SfStandIn sf = SfStandIn.in(dir, emulator.orgId(), emulator.url()).token(1, token);
        Process p = start(dir, pathWith(sf), Map.of("SF_TARGET_ORG", SfStandIn.ORG), "topic", "list");
        String out = finish(p, dir);
        String err = Files.readString(dir.resolve("stderr.txt"));
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(out).contains("Leads").contains("SELECT Id, LastName FROM Lead").doesNotContain(token);
        assertThat(sf.calls()).containsExactly("org display --json --target-org myorg");
    }

    @Test
    void anUnknownAliasExitsThreeWithSfsMessageAndWhatToRun(@TempDir Path dir) throws Exception {
        SfStandIn sf = SfStandIn.in(dir, emulator.orgId(), emulator.url()).token(1, freshToken());
        Process p = start(dir, pathWith(sf), Map.of(), "topic", "list", "--target-org", "nope");
        finish(p, dir);
        String err = Files.readString(dir.resolve("stderr.txt"));
        assertThat(p.exitValue()).as(err).isEqualTo(3);
        assertThat(err).contains("No authorization information found for nope.").contains("'sf org list'")
                .contains("'sf org login web --alias nope'");
        assertThat(err.lines()).hasSize(1);
    }

    @Test
    void withoutSfOnThePathItSaysHowToInstallIt(@TempDir Path dir) throws Exception {
        Process p = start(dir, dir.toString(), Map.of(), "topic", "list", "--target-org", "dev");
        finish(p, dir);
        String err = Files.readString(dir.resolve("stderr.txt"));
        assertThat(p.exitValue()).as(err).isEqualTo(3);
        assertThat(err).contains("the Salesforce CLI ('sf') was not found on the PATH: install the Salesforce CLI "
                + "(https://developer.salesforce.com/tools/salesforcecli) or give its path");
    }
}
