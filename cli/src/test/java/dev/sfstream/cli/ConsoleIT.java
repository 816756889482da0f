package dev.sfstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sfstream.Notifications;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Browser;
import dev.sfstream.emulator.Emulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulator's web console end to end, as a user meets it: {@code sfstream emulator} (the built jar, as a process)
 * prints the console's URL, a real headless Chromium opens it, and what is done in its forms reaches a
 * {@link StreamingClient}; {@code sfstream demo} prints the URL too.
 */
class ConsoleIT {
    private static final Path JAR = Path.of("target", "sfstream-cli.jar");
    private static final Duration SOON = Duration.ofSeconds(10);
    private static final Pattern CONSOLE = Pattern.compile("^  web console: (http://\\S+)/ \\(.*\\)$");

    private static void soon(ThrowingRunnable assertion) {
        await().atMost(SOON).pollInterval(Duration.ofMillis(50)).untilAsserted(assertion);
    }

    @Test
    void aRecordCreatedInTheConsoleOfSfstreamEmulatorReachesAStreamingClient(@TempDir Path dir) throws Exception {
        assertThat(JAR).exists();
        Process emulator = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toAbsolutePath().toString(), "emulator", "--port", "0")
                .directory(dir.toFile()).redirectError(dir.resolve("stderr.txt").toFile()).start();
        try (Browser browser = Browser.start()) {
            String url = consoleUrl(emulator, dir);
            browser.open(url + "/");
            soon(() -> assertThat(browser.text("#feed-status")).isEqualTo("live"));

            browser.find("#topic-name").replaceText("LeadUpdates");
            browser.find("#topic-query").replaceText("SELECT Id, LastName, Company FROM Lead");
            browser.find("#topic-declare").click();
            soon(() -> assertThat(browser.text("#topic-result")).startsWith("Created PushTopic LeadUpdates"));

            try (StreamingClient client = StreamingClient.builder().authenticator(PasswordAuthenticator.builder()
                    .loginUrl(url).consumerKey(Emulator.DEFAULT_CLIENT_ID)
                    .consumerSecret(Emulator.DEFAULT_CLIENT_SECRET).username(Emulator.DEFAULT_USERNAME)
                    .password(Emulator.DEFAULT_PASSWORD).build()).build().open()) {
                client.subscribe("/topic/LeadUpdates");
                soon(() -> assertThat(browser.script("return [...document.querySelectorAll('#channels tbody tr')]"
                        + ".map(r => r.cells[0].textContent + '=' + r.cells[1].textContent)").toString())
                        .contains("/topic/LeadUpdates=1"));

                browser.find("#record-type").replaceText("Lead");
                browser.find("#record-fields").replaceText("{\"LastName\": \"Console\", \"Company\": \"Browser Inc\"}");
                browser.find("#record-create").click();
                soon(() -> assertThat(browser.text("#record-result")).startsWith("Created Lead 00Q"));
                String id = browser.value("#record-id");

                StreamingEvent event = client.receive(SOON).orElseThrow(() ->
                        new AssertionError("the StreamingClient received nothing within " + SOON));
                assertThat(event.channel()).isEqualTo("/topic/LeadUpdates");
                Notifications.PushTopic notification = event.pushTopic().orElseThrow();
                assertThat(notification.type()).isEqualTo("created");
                assertThat(notification.sobject().path("Id").asText()).isEqualTo(id);
                assertThat(notification.sobject().path("LastName").asText()).isEqualTo("Console");
                assertThat(notification.sobject().path("Company").asText()).isEqualTo("Browser Inc");
                soon(() -> assertThat(browser.text("#events tbody")).contains("/topic/LeadUpdates",
                        Long.toString(event.replayId())));
            }
        } finally {
            emulator.destroy(); // SIGTERM: the emulator closes through its shutdown hook
            if (!emulator.waitFor(30, TimeUnit.SECONDS)) {
                emulator.destroyForcibly();
            }
        }
    }

    /** Reads what {@code sfstream emulator} prints until its console line, and returns the emulator's URL. */
    private static String consoleUrl(Process emulator, Path dir) throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(emulator.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, "console-it-stdout");
        reader.setDaemon(true);
        reader.start();
        String first = lines.poll(60, TimeUnit.SECONDS);
        assertThat(first).as("stderr: %s", Files.readString(dir.resolve("stderr.txt")))
                .startsWith("sfstream emulator listening on http://127.0.0.1:");
        String listening = first.substring("sfstream emulator listening on ".length());
        String second = lines.poll(10, TimeUnit.SECONDS);
        Matcher console = CONSOLE.matcher(String.valueOf(second));
        assertThat(console.matches()).as("the line after the URL: %s", second).isTrue();
        assertThat(console.group(1)).isEqualTo(listening);
        return listening;
    }

    @Test
    void theDemoPrintsTheConsoleUrl(@TempDir Path dir) {
        Cli demo = Cli.run("demo", "--count", "1", "--dir", dir.toString(), "--interval", "100ms");
        assertThat(demo.exitCode).as(demo.toString()).isZero();
        List<String> lines = demo.out.lines().toList();
        String started = lines.get(0);
        assertThat(started).startsWith("Started a local Salesforce org (the sfstream emulator) at http://127.0.0.1:");
        String url = started.substring(started.lastIndexOf(' ') + 1);
        assertThat(lines.get(1)).startsWith("Watch it in a browser: " + url + "/ ");
    }
}
