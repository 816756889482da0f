package dev.sfstream.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * The one place that knows how replay positions are written as Connect source offsets: the source partition of a
 * channel is {@code {"org": <org ID>, "channel": <channel as configured>}} and its offset is
 * {@code {"replayId": <long>}}, the replay ID of the last event written to Kafka. Keying by org keeps two orgs'
 * positions apart when a connector is pointed at another org (a sandbox refresh, say): that org's channels start
 * from the initial replay instead of from an ID Salesforce would refuse. Stateless.
 */
final class SourceOffsets {
    static final String ORG = "org";
    static final String CHANNEL = "channel";
    static final String REPLAY_ID = "replayId";

    private SourceOffsets() {
    }

    /**
     * The source partition of a channel of an org. Connect finds a stored offset by the serialized bytes of its
     * partition, and serializes a map in its iteration order: so the order must be the same in every JVM, and the
     * same as that of the {@code HashMap} Connect itself reads partitions back into (its REST API lists offsets that
     * way). {@code Map.of} would not do: its order changes from one JVM to the next, and after a worker restart the
     * offsets would not be found.
     */
    static Map<String, String> partition(String org, String channel) {
        Map<String, String> partition = new HashMap<>();
        partition.put(ORG, org);
        partition.put(CHANNEL, channel);
        return partition;
    }

    /** The source offset of an event. */
    static Map<String, Long> offset(long replayId) {
        return Map.of(REPLAY_ID, replayId);
    }

    /**
     * The stored replay ID of each channel that has one, read in one request.
     *
     * @return channel to replay ID, in the order of {@code channels}; channels without an offset are absent
     */
    static Map<String, Long> read(OffsetStorageReader reader, String org, List<String> channels) {
        Collection<Map<String, String>> partitions = channels.stream().map(c -> partition(org, c)).toList();
        Map<Map<String, String>, Map<String, Object>> stored = reader.offsets(partitions);
        Map<String, Long> replayIds = new LinkedHashMap<>();
        for (String channel : channels) {
            Map<String, Object> offset = stored == null ? null : stored.get(partition(org, channel));
            replayId(offset).ifPresent(id -> replayIds.put(channel, id));
        }
        return replayIds;
    }

    /** The replay ID of an offset; empty when there is none (never written, or reset). */
    static OptionalLong replayId(Map<String, ?> offset) {
        if (offset == null) {
            return OptionalLong.empty();
        }
        Object value = offset.get(REPLAY_ID);
        if (value instanceof Number n && n.longValue() > 0) {
            return OptionalLong.of(n.longValue());
        }
        return OptionalLong.empty();
    }

    /**
     * Checks offsets that a user wants to write through Connect's REST API ({@code PATCH /connectors/x/offsets}):
     * each partition needs {@code org} and {@code channel} strings, and each offset a positive {@code replayId}
     * (or is null, to reset the channel to the initial replay).
     *
     * @throws ConnectException saying which partition or offset is malformed
     */
    static void checkAlterable(Map<Map<String, ?>, Map<String, ?>> offsets) {
        offsets.forEach((partition, offset) -> {
            if (partition == null || !(partition.get(ORG) instanceof String)
                    || !(partition.get(CHANNEL) instanceof String)) {
                throw new ConnectException("a source partition is {\"" + ORG + "\": <org ID>, \"" + CHANNEL
                        + "\": <channel>}, got " + partition);
            }
            if (offset != null && !(offset.get(REPLAY_ID) instanceof Number n && n.longValue() > 0
                    && (n instanceof Long || n instanceof Integer))) {
                throw new ConnectException("the offset of " + partition.get(CHANNEL) + " is {\"" + REPLAY_ID
                        + "\": <replay ID above 0>}, got " + offset);
            }
        });
    }
}
