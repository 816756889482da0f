package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulator with its default settings in a child JVM of 320 MB of heap, which a stream of the largest platform
 * events Salesforce allows, each delivered to a live subscriber, does not exhaust: the retention budget keeps the
 * retained events, with the copies CometD makes of delivered messages, well inside the heap.
 */
class SmallHeapTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final int EVENTS = 120;

    @Test
    void survivesAStreamOfMaximumSizePlatformEventsInA320MegabyteHeap(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("emulator.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx320m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), EmulatorMain.class.getName(),
                "--port", "0", "--host", "127.0.0.1")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            String url = await().atMost(Duration.ofSeconds(30)).until(() -> listeningUrl(output), u -> u != null);
            RawHttp raw = new RawHttp(url);
            raw.login();
            raw.connected();
            raw.subscribeFrom("/event/Big__e", -1);
            Map<String, Object> fields = new LinkedHashMap<>();
            for (int i = 0; i < 8; i++) {
                fields.put("Text" + i + "__c", String.valueOf((char) ('a' + i)).repeat(130_000)); // 1,040,000 in all
            }
            for (int seq = 0; seq < EVENTS; seq++) {
                fields.put("Seq__c", seq);
                JsonNode published = raw.rest("POST", "/services/data/v64.0/sobjects/Big__e", fields);
                assertThat(published.path("status").asInt()).as("publish %d: %s", seq, published).isEqualTo(201);
                assertThat(raw.receive(1, Duration.ofSeconds(10))).hasSize(1);
            }

            JsonNode status = RawHttp.parse(raw.get("/emulator/status", null).body());
            assertThat(status.path("retention").path("bytes").asLong()).isLessThanOrEqualTo(64L * 1024 * 1024);
            assertThat(status.path("retention").path("events").asLong()).isLessThan(EVENTS);
            assertThat(child.isAlive()).isTrue();
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("the emulator failed; its output ends with:\n" + tail(output), e);
        } finally {
            child.destroy();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    private static String tail(Path output) throws IOException {
        String text = Files.readString(output);
        return text.substring(Math.max(0, text.length() - 2_000));
    }

    private static String listeningUrl(Path output) throws IOException {
        Matcher m = LISTENING.matcher(Files.exists(output) ? Files.readString(output) : "");
        return m.find() ? m.group(1) : null;
    }
}
