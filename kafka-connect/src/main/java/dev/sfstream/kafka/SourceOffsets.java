package dev.sfstream.kafka;

import dev.sfstream.replay.ReplayPosition;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * The one place that knows how replay positions are written as Connect source offsets. The source partition of a
 * channel is {@code {"org": <org ID>, "channel": <channel as configured>}}; its offset is the position of the last
 * event written to Kafka:
 * <ul>
 *   <li>a Streaming API replay ID: {@code {"replayId": <long>}}, as the connector has always written it;</li>
 *   <li>a Pub/Sub API replay ID (opaque bytes): {@code {"replayPosition": "pubsub:<base64>"}}, the bytes exactly as
 *       Salesforce sent them, with {@code "replayId"} beside it, the bytes read as a number, for people reading the
 *       offsets when it has one (8 bytes or fewer).</li>
 * </ul>
 * {@code replayPosition} wins when both are there; an offset with {@code replayId} alone (written by an earlier
 * version, or through the REST API) reads as that number, which the Pub/Sub API receives as 8 big-endian bytes.
 * Keying by org keeps two orgs' positions apart when a connector is pointed at another org (a sandbox refresh,
 * say): that org's channels start from the initial replay instead of from an ID Salesforce would refuse. Stateless.
 */
final class SourceOffsets {
    static final String ORG = "org";
    static final String CHANNEL = "channel";
    static final String REPLAY_ID = "replayId";
    static final String REPLAY_POSITION = "replayPosition";

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

    /** The source offset of an event at a position. */
    static Map<String, Object> offset(ReplayPosition position) {
        if (!position.isBytes()) {
            return Map.of(REPLAY_ID, position.replayId());
        }
        Map<String, Object> offset = new LinkedHashMap<>();
        if (position.replayId() > 0) {
            offset.put(REPLAY_ID, position.replayId());
        }
        offset.put(REPLAY_POSITION, position.encode());
        return offset;
    }

    /** The source offset of an event that came without a replay ID (a server that sends none): never resumed from. */
    static Map<String, Object> noPosition() {
        return Map.of(REPLAY_ID, 0L);
    }

    /**
     * The stored position of each channel that has one, read in one request.
     *
     * @return channel to position, in the order of {@code channels}; channels without an offset are absent
     * @throws ConnectException when a stored {@code replayPosition} cannot be read, naming the channel
     */
    static Map<String, ReplayPosition> read(OffsetStorageReader reader, String org, List<String> channels) {
        Collection<Map<String, String>> partitions = channels.stream().map(c -> partition(org, c)).toList();
        Map<Map<String, String>, Map<String, Object>> stored = reader.offsets(partitions);
        Map<String, ReplayPosition> positions = new LinkedHashMap<>();
        for (String channel : channels) {
            Map<String, Object> offset = stored == null ? null : stored.get(partition(org, channel));
            try {
                position(offset).ifPresent(p -> positions.put(channel, p));
            } catch (IllegalArgumentException e) {
                throw new ConnectException("the stored offset of " + channel + " cannot be read (" + e.getMessage()
                        + "): correct it, or reset it, with the REST API (PATCH /connectors/<name>/offsets)", e);
            }
        }
        return positions;
    }

    /**
     * The position of an offset; empty when there is none (never written, or reset).
     *
     * @throws IllegalArgumentException when {@code replayPosition} is there and is not a position
     */
    static Optional<ReplayPosition> position(Map<String, ?> offset) {
        if (offset == null) {
            return Optional.empty();
        }
        Object text = offset.get(REPLAY_POSITION);
        if (text != null) {
            if (!(text instanceof String s)) {
                throw new IllegalArgumentException(REPLAY_POSITION + " is text, got " + text);
            }
            return Optional.of(ReplayPosition.decode(s));
        }
        Object value = offset.get(REPLAY_ID);
        if (value instanceof Number n && n.longValue() > 0) {
            return Optional.of(ReplayPosition.of(n.longValue()));
        }
        return Optional.empty();
    }

    /**
     * Checks offsets that a user wants to write through Connect's REST API ({@code PATCH /connectors/x/offsets}):
     * each partition needs {@code org} and {@code channel} strings, and each offset a positive {@code replayId} or a
     * {@code replayPosition} ({@code pubsub:<base64>}, or a number as text), or is null, to reset the channel to the
     * initial replay.
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
            if (offset == null) {
                return;
            }
            boolean valid;
            if (offset.get(REPLAY_POSITION) != null) {
                try {
                    valid = position(offset).isPresent();
                } catch (IllegalArgumentException e) {
                    valid = false;
                }
            } else {
                valid = offset.get(REPLAY_ID) instanceof Number n && n.longValue() > 0
                        && (n instanceof Long || n instanceof Integer);
            }
            if (!valid) {
                throw new ConnectException("the offset of " + partition.get(CHANNEL) + " is {\"" + REPLAY_ID
                        + "\": <replay ID above 0>} or {\"" + REPLAY_POSITION + "\": \"pubsub:<base64 replay ID>\"}, "
                        + "got " + offset);
            }
        });
    }
}
