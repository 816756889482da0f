package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The org's byte budget for retained events ({@code retainedEventBytes}): over it, the oldest events of the org,
 * whichever their channel, drop out as if they had aged out of the retention window, and a replay from one of them
 * is refused as from an expired ID.
 */
class RetainedBytesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String INVALID = "400::The replayId {%d} you provided was invalid.  Please provide a valid "
            + "ID, -2 to replay all events, or -1 to replay only new events.";

    Emulator emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private static Map<String, Object> event(int seq) {
        return Map.of("Seq__c", seq, "Text__c", "t".repeat(1_000));
    }

    private Map<?, ?> retention() {
        return (Map<?, ?>) emulator.status().get("retention");
    }

    private long channelBytes(String channel) {
        Map<?, ?> info = (Map<?, ?>) ((Map<?, ?>) emulator.status().get("channels")).get(channel);
        return ((Number) info.get("retainedBytes")).longValue();
    }

    private static long number(Map<?, ?> map, String key) {
        return ((Number) map.get(key)).longValue();
    }

    private static List<Integer> seqs(List<JsonNode> messages) {
        return messages.stream().map(m -> m.path("data").path("payload").path("Seq__c").asInt()).toList();
    }

    @Test
    void overItsByteBudgetTheOrgDropsItsOldestEventsAndRefusesReplayFromThemAsFromExpiredOnes() {
        emulator = FastOrg.fast().retainedEventBytes(20_000).build().start();
        RawHttp live = new RawHttp(emulator.url());
        live.login();
        live.connected();
        live.subscribeFrom("/event/Alpha__e", -1);
        live.subscribeFrom("/event/Beta__e", -1);

        for (int seq = 0; seq < 40; seq++) { // about 1.7 KB each, alternating between two channels
            emulator.publishEvent(seq % 2 == 0 ? "Alpha__e" : "Beta__e", event(seq));
        }

        List<JsonNode> received = live.receive(40, WAIT);
        assertThat(seqs(received)).as("live subscribers get every event").hasSize(40);
        Map<Integer, Long> replayIdBySeq = new HashMap<>();
        received.forEach(m -> replayIdBySeq.put(m.path("data").path("payload").path("Seq__c").asInt(),
                m.path("data").path("event").path("replayId").asLong()));

        Map<?, ?> retention = retention();
        assertThat(number(retention, "maxBytes")).isEqualTo(20_000);
        assertThat(number(retention, "bytes")).isPositive().isLessThanOrEqualTo(20_000);
        long kept = number(retention, "events");
        assertThat(kept).isBetween(5L, 20L);
        assertThat(channelBytes("/event/Alpha__e") + channelBytes("/event/Beta__e"))
                .isEqualTo(number(retention, "bytes"));

        RawHttp late = new RawHttp(emulator.url());
        late.login();
        late.connected();
        long firstAlpha = replayIdBySeq.get(0);
        assertThat(late.subscribeFrom("/event/Alpha__e", firstAlpha).path("error").asText())
                .isEqualTo(INVALID.formatted(firstAlpha));
        late.subscribeFrom("/event/Alpha__e", -2);
        late.subscribeFrom("/event/Beta__e", -2);
        List<Integer> replayed = new ArrayList<>(seqs(late.receive((int) kept, WAIT)));
        replayed.sort(null);
        assertThat(replayed).as("the newest events of the org, from both channels")
                .isEqualTo(java.util.stream.IntStream.range(40 - (int) kept, 40).boxed().toList());
        long oldestKept = replayIdBySeq.get(40 - (int) kept);
        String channel = (40 - kept) % 2 == 0 ? "/event/Alpha__e" : "/event/Beta__e";
        assertThat(late.subscribeFrom(channel, oldestKept).path("successful").asBoolean())
                .as("the oldest event kept can still be replayed from").isTrue();
    }

    @Test
    void theDefaultBudgetKeepsAtMost64MebibytesOfEvents() {
        emulator = FastOrg.fast().build().start();
        Map<String, Object> fields = new HashMap<>();
        for (int i = 0; i < 7; i++) {
            fields.put("Text" + i + "__c", "x".repeat(130_000));
        }
        for (int seq = 0; seq < 80; seq++) { // 80 events of 910,000 characters
            fields.put("Seq__c", seq);
            emulator.publishEvent("Big__e", fields);
        }

        Map<?, ?> channel = (Map<?, ?>) ((Map<?, ?>) emulator.status().get("channels")).get("/event/Big__e");
        assertThat(number(channel, "retained")).as("events of about 0.9 MB kept").isBetween(60L, 74L);
        Map<?, ?> retention = retention();
        assertThat(number(retention, "maxBytes")).isEqualTo(64L * 1024 * 1024);
        assertThat(number(retention, "bytes")).isLessThanOrEqualTo(64L * 1024 * 1024);
        assertThat(number(retention, "events")).isEqualTo(number(channel, "retained"));
    }

    @Test
    void anOrgRestoredIntoASmallerBudgetKeepsItsNewestEvents(@TempDir Path dir) {
        Path data = dir.resolve("org.json");
        emulator = FastOrg.fast().dataFile(data).build().start();
        for (int seq = 0; seq < 10; seq++) {
            emulator.publishEvent(seq % 2 == 0 ? "Alpha__e" : "Beta__e", event(seq));
        }
        emulator.close();

        emulator = FastOrg.fast().dataFile(data).retainedEventBytes(6_000).build().start();
        RawHttp raw = new RawHttp(emulator.url());
        raw.login();
        raw.connected();
        raw.subscribeFrom("/event/Alpha__e", -2);
        raw.subscribeFrom("/event/Beta__e", -2);
        long kept = number(retention(), "events");
        assertThat(kept).isBetween(2L, 4L);
        List<Integer> replayed = new ArrayList<>(seqs(raw.receive((int) kept, WAIT)));
        replayed.sort(null);
        assertThat(replayed).isEqualTo(java.util.stream.IntStream.range(10 - (int) kept, 10).boxed().toList());
    }

    @Test
    void theBudgetIsSetInTheConfigurationFileAndChecked(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("emulator.json");
        Files.writeString(config, "{\"retainedEventBytes\": 5000000}");
        emulator = EmulatorConfig.apply(config, FastOrg.fast().port(0)).build().start();
        assertThat(number(retention(), "maxBytes")).isEqualTo(5_000_000);

        Files.writeString(config, "{\"retainedEventBytes\": \"lots\"}");
        assertThatThrownBy(() -> EmulatorConfig.apply(config, Emulator.builder()))
                .hasMessageContaining("'retainedEventBytes' must be a whole number");
        assertThatThrownBy(() -> Emulator.builder().retainedEventBytes(0).build())
                .hasMessageContaining("retainedEventBytes");
        assertThat(new TreeMap<>(emulator.status())).containsKey("retention");
    }
}
