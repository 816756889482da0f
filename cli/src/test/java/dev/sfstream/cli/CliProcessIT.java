package dev.sfstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.internal.Json;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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

    /** An emulator with the PushTopic Leads and two Leads, P0 and P1, retained on it. */
    private static Emulator leadsWithTwoEvents() {
        Emulator emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3)).build().start();
        emulator.create("PushTopic", Map.of("Name", "Leads", "Query", "SELECT Id, LastName FROM Lead",
                "ApiVersion", 64.0));
        for (int i = 0; i < 2; i++) {
            emulator.create("Lead", Map.of("LastName", "P" + i, "Company", "X"));
        }
        return emulator;
    }

    @Test
    void listenPrintsJsonLinesForJq(@TempDir Path dir) throws Exception {
        try (Emulator emulator = leadsWithTwoEvents()) {
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

    /** Collects a process's stdout lines on a thread of their own, so that a test can wait for one with a bound. */
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

    private static String next(BlockingQueue<String> lines, Process p, Path dir) throws Exception {
        String line = lines.poll(60, TimeUnit.SECONDS);
        if (line == null) {
            p.destroyForcibly();
            throw new AssertionError("no output within 60 s; stderr: " + Files.readString(dir.resolve("stderr.txt")));
        }
        return line;
    }

    /** Sends SIGINT, as Ctrl-C does, and checks that the command stopped as a JVM does on it: 130, no trace. */
    private static void interrupt(Process p, Path dir) throws Exception {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Ctrl-C did not stop the command within 30 s");
        }
        String err = Files.readString(dir.resolve("stderr.txt"));
        assertThat(p.exitValue()).as(err).isEqualTo(130);
        assertThat(err).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void ctrlCStopsListenCleanlyAndARestartResumesAfterTheLastEvent(@TempDir Path dir) throws Exception {
        try (Emulator emulator = leadsWithTwoEvents()) {
            Process p = start(dir, "listen", "/topic/Leads", "--emulator", emulator.url(), "--replay", "all",
                    "--store", "replay.json");
            BlockingQueue<String> out = lines(p);
            next(out, p, dir);
            long last = Json.MAPPER.readTree(next(out, p, dir)).path("data").path("event").path("replayId").asLong();

            interrupt(p, dir);

            JsonNode stored = Json.MAPPER.readTree(dir.resolve("replay.json").toFile());
            assertThat(stored.findValues("replayId")).extracting(JsonNode::asLong).containsExactly(last);
            emulator.create("Lead", Map.of("LastName", "P2", "Company", "X"));
            Process again = start(dir, "listen", "/topic/Leads", "--emulator", emulator.url(), "--replay", "stored",
                    "--store", "replay.json", "--count", "1");
            String resumed = finish(again, 60);
            assertThat(again.exitValue()).as(Files.readString(dir.resolve("stderr.txt"))).isZero();
            assertThat(resumed.lines().map(l -> l.contains("\"LastName\":\"P2\""))).containsExactly(true);
        }
    }

    @Test
    void listenStopsWithExitFiveWhenItsReaderExitsAndCommitsNoEventItCouldNotWrite(@TempDir Path dir)
            throws Exception {
        try (Emulator emulator = leadsWithTwoEvents()) {
            Process p = start(dir, "listen", "/topic/Leads", "--emulator", emulator.url(), "--replay", "all",
                    "--store", "replay.json");
            BlockingQueue<String> out = lines(p);
            next(out, p, dir);
            p.getInputStream().close(); // the reader exits, as `| head -n 1` does
            for (int i = 2; i < 6; i++) {
                emulator.create("Lead", Map.of("LastName", "P" + i, "Company", "X"));
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("listen went on writing into a closed pipe");
            }
            String err = Files.readString(dir.resolve("stderr.txt"));
            assertThat(p.exitValue()).as(err).isEqualTo(5);
            java.util.regex.Matcher failed = java.util.regex.Pattern.compile("#(\\d+) and later events are not "
                    + "committed").matcher(err);
            assertThat(failed.find()).as(err).isTrue();

            Process again = start(dir, "listen", "/topic/Leads", "--emulator", emulator.url(), "--store",
                    "replay.json", "--count", "1");
            String resumed = finish(again, 60);
            assertThat(again.exitValue()).as(Files.readString(dir.resolve("stderr.txt"))).isZero();
            assertThat(Json.MAPPER.readTree(resumed).path("data").path("event").path("replayId").asText())
                    .as("the next run starts with the event that could not be written").isEqualTo(failed.group(1));
        }
    }

    @Test
    void aReplayGapIsPrintedOnce(@TempDir Path dir) throws Exception {
        try (Emulator emulator = leadsWithTwoEvents()) {
            try (ReplayStore store = ReplayStore.file(dir.resolve("replay.json"))) {
                store.put(emulator.orgId(), "/topic/Leads", new ReplayMarker(999_999, Instant.now()));
            }
            Process p = start(dir, "listen", "/topic/Leads", "--emulator", emulator.url(), "--store", "replay.json",
                    "--count", "2");
            finish(p, 60);
            String err = Files.readString(dir.resolve("stderr.txt"));
            assertThat(p.exitValue()).as(err).isZero();
            assertThat(err.split("999999", -1)).as(err).hasSize(2);
        }
    }

    @Test
    void outsideATerminalAnOutageIsSaidOnceWhenItStartsAndOnceWhenItEnds(@TempDir Path dir) throws Exception {
        // No events before the listen: resubscribing for new events after an outage asks for every retained event
        // and drops those created before the subscription, less a second of margin, so earlier ones could print.
        try (Emulator emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3)).build()
                .start()) {
            emulator.create("PushTopic", Map.of("Name", "Leads", "Query", "SELECT Id, LastName FROM Lead",
                    "ApiVersion", 64.0));
            Process p = start(dir, "listen", "/topic/Leads", "--emulator", emulator.url(), "--count", "1");
            BlockingQueue<String> out = lines(p);
            Path err = dir.resolve("stderr.txt");
            // Subscribed, not merely existing: the topic's channel is in the status from its first event on.
            await().atMost(Duration.ofSeconds(30)).until(() -> emulator.status().get("subscriptions").toString()
                    .contains("/topic/Leads"));
            emulator.busy(Duration.ofSeconds(2));
            emulator.dropSessions();
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(err).contains("connected again"));
            emulator.create("Lead", Map.of("LastName", "Back", "Company", "X"));
            assertThat(next(out, p, dir)).contains("Back");
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String said = Files.readString(err);
            assertThat(said.lines().filter(l -> l.startsWith("sfstream: connection lost (")).count()).as(said)
                    .isEqualTo(1);
            // The cause is the first failure seen: the dropped session, or the busy server when that came first.
            assertThat(said).containsPattern(
                    "sfstream: connection lost \\(.*(Unknown client|busy).*\\); reconnecting");
            assertThat(said.lines().filter(l -> l.startsWith("sfstream: connected again after ")).count())
                    .isEqualTo(1);
        }
    }

    @Test
    void inATerminalEventsArePlainJsonLinesAndTheStatusLineEndsWithANewline(@TempDir Path dir) throws Exception {
        try (Emulator emulator = leadsWithTwoEvents()) {
            // script(1) runs the command in a pseudo-terminal, as a person at a terminal would.
            String command = String.join(" ", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", JAR.toAbsolutePath().toString(), "listen", "/topic/Leads", "--emulator", emulator.url(),
                    "--replay", "all", "--count", "3");
            Process p = new ProcessBuilder("script", "-qfec", command, "/dev/null").directory(dir.toFile())
                    .redirectErrorStream(true).start();
            StringBuffer screen = new StringBuffer();
            Thread reader = new Thread(() -> {
                try {
                    byte[] buffer = new byte[4096];
                    for (int n; (n = p.getInputStream().read(buffer)) > 0; ) {
                        screen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException ended) {
                    // the process is gone
                }
            });
            reader.setDaemon(true);
            reader.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> screen.toString().contains("ev/s"));
            emulator.create("Lead", Map.of("LastName", "Live", "Company", "X"));
            finish(p, 60);
            reader.join(10_000);
            String shown = screen.toString();
            assertThat(p.exitValue()).as(shown).isZero();
            List<String> jsonLines = new ArrayList<>();
            for (String line : shown.split("\n")) {
                // What the terminal shows of a line: the text after its last carriage return or erase.
                String visible = line.replaceAll(".*(\r(?!$)|\u001b\\[K)", "").replace("\r", "");
                if (visible.contains("\"channel\"")) {
                    jsonLines.add(visible);
                }
            }
            assertThat(jsonLines).as(shown).hasSize(3);
            for (String json : jsonLines) {
                assertThat(Json.MAPPER.readTree(json).path("channel").asText()).isEqualTo("/topic/Leads");
            }
            assertThat(shown).as("the status line is ended by a newline").endsWith("\n");
        }
    }

    @Test
    void listenAndPublishOverThePubSubApiFindTheEmulatorsEndpoint(@TempDir Path dir) throws Exception {
        try (Emulator emulator = Emulator.builder().quiet(true).platformEvent("Order_Placed__e", "Order_Number__c")
                .build().start()) {
            Process listen = start(dir, "listen", "/event/Order_Placed__e", "--transport", "pubsub", "--emulator",
                    emulator.url(), "--replay", "all", "--count", "2", "--store", "replay.json");
            BlockingQueue<String> out = lines(listen);
            Process publish = start(dir, "publish", "--transport", "pubsub", "/event/Order_Placed__e",
                    "{\"Order_Number__c\":\"O-1\"}", "--emulator", emulator.url());
            String published = finish(publish, 60);
            assertThat(publish.exitValue()).as(Files.readString(dir.resolve("stderr.txt"))).isZero();
            assertThat(published).startsWith("published at replay ID ");
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-2"));
            JsonNode first = Json.MAPPER.readTree(next(out, listen, dir));
            JsonNode second = Json.MAPPER.readTree(next(out, listen, dir));
            assertThat(first.path("data").path("payload").path("Order_Number__c").asText()).isEqualTo("O-1");
            assertThat(second.path("data").path("payload").path("Order_Number__c").asText()).isEqualTo("O-2");
            assertThat(listen.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(listen.exitValue()).isZero();
            assertThat(Files.readString(dir.resolve("replay.json"))).contains("pubsub:");
        }
    }

    @Test
    void aPushTopicOverThePubSubApiIsRefusedWithWhereItLives(@TempDir Path dir) throws Exception {
        try (Emulator emulator = leadsWithTwoEvents()) {
            Process p = start(dir, "listen", "/topic/Leads", "--transport", "pubsub", "--emulator", emulator.url());
            finish(p, 60);
            String err = Files.readString(dir.resolve("stderr.txt"));
            assertThat(p.exitValue()).as(err).isEqualTo(2);
            assertThat(err).contains("Streaming API");
        }
    }

    @Test
    void emulatorWithAConfigurationServesItsUsersWithoutPrintingTheirPasswords(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("emulator.json"), """
                {"users": [{"username": "ci@acme.test", "password": "ci-pass-8812"}],
                 "connectedApps": [{"clientId": "ci-app", "clientSecret": "ci-secret-5521", "runAs": "ci@acme.test"}],
                 "platformEvents": {"Order_Placed__e": ["Order_Number__c"]}}
                """);
        Process p = start(dir, "emulator", "--config", "emulator.json", "--port", "0");
        BlockingQueue<String> out = lines(p);
        try {
            String first = next(out, p, dir);
            assertThat(first).startsWith("sfstream emulator listening on http://127.0.0.1:");
            String url = first.substring("sfstream emulator listening on ".length()).trim();
            List<String> banner = new ArrayList<>();
            for (String line = next(out, p, dir); !line.startsWith("Ctrl-C"); line = next(out, p, dir)) {
                banner.add(line);
            }
            assertThat(String.join("\n", banner)).contains("ci@acme.test").contains("client id ci-app")
                    .doesNotContain("ci-pass-8812").doesNotContain("ci-secret-5521");

            HttpResponse<String> token = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(url + "/services/oauth2/token")).header("Content-Type",
                            "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=ci-app"
                            + "&client_secret=ci-secret-5521&username=ci%40acme.test&password=ci-pass-8812"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(token.body()).path("instance_url").asText()).isEqualTo(url);
        } finally {
            interrupt(p, dir);
        }
    }
}
