package dev.sfstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;

/** Replay IDs as Connect source offsets: the partition and offset shapes, reading them, altering them. */
class SourceOffsetsTest {
    /** An offset reader over a fixed map, as Connect's would answer after reading its offsets topic. */
    private static OffsetStorageReader reader(Map<Map<String, Object>, Map<String, Object>> stored) {
        return new OffsetStorageReader() {
            @Override
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                return stored.get(partition);
            }

            @Override
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
                partitions.forEach(p -> out.put(p, stored.get(p)));
                return out;
            }
        };
    }

    @Test
    void readsTheStoredReplayIdOfEachChannelOfThisOrgOnly() {
        Map<Map<String, Object>, Map<String, Object>> stored = new HashMap<>();
        stored.put(Map.of("org", "00D1", "channel", "/topic/Leads"), Map.of("replayId", 41L));
        stored.put(Map.of("org", "00D2", "channel", "/event/Order__e"), Map.of("replayId", 7L));
        stored.put(Map.of("org", "00D1", "channel", "/u/notes"), Map.of("other", 1));

        Map<String, Long> read = SourceOffsets.read(reader(stored), "00D1",
                List.of("/topic/Leads", "/event/Order__e", "/u/notes"));

        assertThat(read).containsExactly(Map.entry("/topic/Leads", 41L));
    }

    @Test
    void aPartitionSerializesAsConnectReadsItBackInEveryJvm() {
        // Connect finds offsets by the serialized partition, and re-serializes the partitions it read back (as
        // HashMaps) when it lists offsets: both must give the same bytes, whatever order a map iterates in.
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "false"), true);
        Map<String, String> orgFirst = new LinkedHashMap<>();
        orgFirst.put("org", "00D1");
        orgFirst.put("channel", "/topic/Leads");
        Map<String, String> channelFirst = new LinkedHashMap<>();
        channelFirst.put("channel", "/topic/Leads");
        channelFirst.put("org", "00D1");

        byte[] canonical = roundTrip(converter, orgFirst);
        assertThat(roundTrip(converter, channelFirst)).isEqualTo(canonical);
        assertThat(converter.fromConnectData("", null, List.of("sf", SourceOffsets.partition("00D1", "/topic/Leads"))))
                .isEqualTo(canonical);
    }

    /** What Connect writes after reading {@code partition} back from the offsets topic. */
    private static byte[] roundTrip(JsonConverter converter, Map<String, String> partition) {
        Object readBack = converter.toConnectData("", converter.fromConnectData("", null, List.of("sf", partition)))
                .value();
        return converter.fromConnectData("", null, readBack);
    }

    @Test
    void anIntegerReplayIdReadsAsALong() {
        assertThat(SourceOffsets.replayId(Map.of("replayId", 12))).hasValue(12L);
        assertThat(SourceOffsets.replayId(Map.of("replayId", 0L))).isEmpty();
        assertThat(SourceOffsets.replayId(null)).isEmpty();
    }

    @Test
    void alteredOffsetsMustHaveTheConnectorsShape() {
        SalesforceStreamingSourceConnector connector = new SalesforceStreamingSourceConnector();
        Map<Map<String, ?>, Map<String, ?>> good = new HashMap<>();
        good.put(Map.of("org", "00D1", "channel", "/topic/Leads"), Map.of("replayId", 10L));
        good.put(Map.of("org", "00D1", "channel", "/event/Order__e"), null);

        assertThat(connector.alterOffsets(Map.of(), good)).isTrue();
        assertThatThrownBy(() -> connector.alterOffsets(Map.of(), Map.of(Map.of("channel", "/topic/Leads"),
                Map.of("replayId", 10L)))).isInstanceOf(ConnectException.class).hasMessageContaining("org");
        assertThatThrownBy(() -> connector.alterOffsets(Map.of(), Map.of(Map.of("org", "00D1", "channel",
                "/topic/Leads"), Map.of("replayId", "ten")))).isInstanceOf(ConnectException.class)
                .hasMessageContaining("/topic/Leads");
    }
}
