package dev.sfstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sfstream.replay.ReplayPosition;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;

/**
 * Replay positions as Connect source offsets: the partition and offset shapes, Pub/Sub replay IDs kept to the byte,
 * offsets of earlier versions still read, altering them.
 */
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

    /** What Connect stores and reads back for an offset: its JSON through the worker's internal converter. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> throughConnect(Map<String, Object> offset) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "false"), false);
        return (Map<String, Object>) converter.toConnectData("", converter.fromConnectData("", null, offset)).value();
    }

    @Test
    void readsTheStoredReplayIdOfEachChannelOfThisOrgOnly() {
        Map<Map<String, Object>, Map<String, Object>> stored = new HashMap<>();
        stored.put(Map.of("org", "00D1", "channel", "/topic/Leads"), Map.of("replayId", 41L));
        stored.put(Map.of("org", "00D2", "channel", "/event/Order__e"), Map.of("replayId", 7L));
        stored.put(Map.of("org", "00D1", "channel", "/u/notes"), Map.of("other", 1));

        Map<String, ReplayPosition> read = SourceOffsets.read(reader(stored), "00D1",
                List.of("/topic/Leads", "/event/Order__e", "/u/notes"));

        assertThat(read).containsExactly(Map.entry("/topic/Leads", ReplayPosition.of(41)));
    }

    @Test
    void aStreamingApiReplayIdIsWrittenAsBeforeAPlainNumber() {
        assertThat(SourceOffsets.offset(ReplayPosition.of(41))).isEqualTo(Map.of("replayId", 41L));
    }

    @Test
    void aPubSubReplayIdSurvivesConnectsStorageToTheByte() {
        ReplayPosition eight = ReplayPosition.ofBytes(new byte[] {0, 0, 0, 0, 0, 1, 2, 3});
        ReplayPosition highBit = ReplayPosition.ofBytes(new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 7});
        ReplayPosition twelve = ReplayPosition.ofBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, (byte) 0xfe});

        for (ReplayPosition p : List.of(eight, highBit, twelve)) {
            Map<String, Object> stored = throughConnect(SourceOffsets.offset(p));
            ReplayPosition back = SourceOffsets.position(stored).orElseThrow();
            assertThat(back).isEqualTo(p);
            assertThat(back.isBytes()).isTrue();
            assertThat(back.bytes()).isEqualTo(p.bytes());
        }
        assertThat(SourceOffsets.offset(eight)).containsEntry("replayId", 66051L)
                .containsEntry("replayPosition", "pubsub:AAAAAAABAgM=");
        assertThat(SourceOffsets.offset(twelve)).as("no number to show for more than 8 bytes")
                .containsOnlyKeys("replayPosition");
        assertThat(SourceOffsets.offset(highBit)).containsOnlyKeys("replayPosition");
    }

    @Test
    void anOffsetWrittenBeforeReplayPositionsExistedStillReads() {
        ReplayPosition read = SourceOffsets.position(throughConnect(Map.of("replayId", 1234L))).orElseThrow();

        assertThat(read).isEqualTo(ReplayPosition.of(1234));
        // The Pub/Sub transport sends such a number as the 8 big-endian bytes Salesforce's replay IDs are in practice.
        assertThat(read.bytes()).isEqualTo(new byte[] {0, 0, 0, 0, 0, 0, 4, (byte) 0xd2});
    }

    @Test
    void theBytesWinOverTheNumberBesideThem() {
        Map<String, Object> offset = Map.of("replayId", 5L, "replayPosition", "pubsub:AAAAAAAAAAY=");

        assertThat(SourceOffsets.position(offset)).hasValue(ReplayPosition.ofBytes(new byte[] {0, 0, 0, 0, 0, 0, 0,
                6}));
    }

    @Test
    void aStoredPositionThatCannotBeReadFailsTheTaskNamingTheChannelAndTheFix() {
        Map<Map<String, Object>, Map<String, Object>> stored = new HashMap<>();
        stored.put(Map.of("org", "00D1", "channel", "/event/Order__e"), Map.of("replayPosition", "pubsub:%%"));

        assertThatThrownBy(() -> SourceOffsets.read(reader(stored), "00D1", List.of("/event/Order__e")))
                .isInstanceOf(ConnectException.class).hasMessageContaining("/event/Order__e")
                .hasMessageContaining("PATCH");
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
        assertThat(SourceOffsets.position(Map.of("replayId", 12))).hasValue(ReplayPosition.of(12));
        assertThat(SourceOffsets.position(Map.of("replayId", 0L))).isEmpty();
        assertThat(SourceOffsets.position(null)).isEmpty();
    }

    @Test
    void alteredOffsetsMustHaveTheConnectorsShape() {
        SalesforceStreamingSourceConnector connector = new SalesforceStreamingSourceConnector();
        Map<Map<String, ?>, Map<String, ?>> good = new HashMap<>();
        good.put(Map.of("org", "00D1", "channel", "/topic/Leads"), Map.of("replayId", 10L));
        good.put(Map.of("org", "00D1", "channel", "/event/Order__e"), null);
        good.put(Map.of("org", "00D1", "channel", "/data/AccountChangeEvent"),
                Map.of("replayPosition", "pubsub:AAAAAAAAAAY="));
        good.put(Map.of("org", "00D1", "channel", "/data/LeadChangeEvent"), Map.of("replayPosition", "17"));

        assertThat(connector.alterOffsets(Map.of(), good)).isTrue();
        assertThatThrownBy(() -> connector.alterOffsets(Map.of(), Map.of(Map.of("channel", "/topic/Leads"),
                Map.of("replayId", 10L)))).isInstanceOf(ConnectException.class).hasMessageContaining("org");
        assertThatThrownBy(() -> connector.alterOffsets(Map.of(), Map.of(Map.of("org", "00D1", "channel",
                "/topic/Leads"), Map.of("replayId", "ten")))).isInstanceOf(ConnectException.class)
                .hasMessageContaining("/topic/Leads");
        assertThatThrownBy(() -> connector.alterOffsets(Map.of(), Map.of(Map.of("org", "00D1", "channel",
                "/event/Order__e"), Map.of("replayPosition", "pubsub:not base64!"))))
                .isInstanceOf(ConnectException.class).hasMessageContaining("/event/Order__e")
                .hasMessageContaining("replayPosition");
    }
}
