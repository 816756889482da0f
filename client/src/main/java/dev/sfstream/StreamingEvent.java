package dev.sfstream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.internal.Json;
import dev.sfstream.internal.JsonTree;
import dev.sfstream.internal.Timestamps;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayPosition;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One event received on a subscribed channel: the message as Salesforce sent it ({@link #json()}), its
 * {@code data}, its replay ID and created date, and typed views for each channel family.
 *
 * <p>A {@linkplain #isReplayGap() replay gap notice} travels the same way as events, so that an iterator, a listener
 * and a publisher all see it in order; it has no replay ID of its own and is never committed.
 *
 * <p>Immutable and thread-safe (the JSON tree must not be modified).
 */
public final class StreamingEvent {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final String channel;
    private final long replayId;
    private final ReplayPosition position;
    private final Instant received;
    private final ObjectNode json;
    private final ReplayGap gap;
    private Instant createdDate;

    private StreamingEvent(String channel, ReplayPosition position, Instant received, ObjectNode json,
            ReplayGap gap) {
        this.channel = channel;
        this.position = position;
        this.replayId = position == null ? 0 : Math.max(0, position.replayId());
        this.received = received;
        this.json = json;
        this.gap = gap;
    }

    /**
     * Reads an event from its Bayeux message. The replay ID is {@code data.event.replayId} (0 when the server sent
     * none, as a stock CometD server does); see {@link #createdDate()} for the created date.
     */
    public static StreamingEvent of(ObjectNode message, Instant received) {
        Objects.requireNonNull(message, "message");
        JsonNode replayId = message.path("data").path("event").path("replayId");
        long id = replayId.canConvertToLong() ? replayId.asLong() : 0;
        return new StreamingEvent(message.path("channel").asText(), id > 0 ? ReplayPosition.of(id) : null, received,
                message, null);
    }

    /**
     * An event in the Streaming API's JSON shape with a position of its own (a transport whose positions are not the
     * {@code data.event.replayId} number, such as the Pub/Sub API's bytes).
     */
    public static StreamingEvent of(ObjectNode message, Instant received, ReplayPosition position) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(position, "position");
        return new StreamingEvent(message.path("channel").asText(), position, received, message, null);
    }

    /** Reads the created date when first asked (most events never need it parsed). */
    private Instant readCreatedDate() {
        JsonNode data = json.path("data");
        Instant created = instant(data.path("event").path("createdDate"));
        if (created != null) {
            return created;
        }
        JsonNode payload = data.path("payload");
        JsonNode header = payload.path("ChangeEventHeader");
        if (header.isObject()) {
            // A change event's payload holds the record's own fields: its CreatedDate is when the record was made
            // (years ago for an undeleted record), not when the change was committed.
            JsonNode commit = header.path("commitTimestamp");
            return commit.canConvertToLong() ? Instant.ofEpochMilli(commit.asLong()) : received;
        }
        created = instant(payload.path("CreatedDate"));
        return created == null ? received : created;
    }

    /** A replay gap notice for a channel, delivered in order with its events. */
    public static StreamingEvent gap(ReplayGap gap) {
        ObjectNode json = JsonTree.NODES.objectNode();
        json.put("channel", gap.channel());
        ObjectNode g = json.putObject("data").putObject("replayGap");
        g.put("refusedReplayId", gap.refusedReplayId());
        g.put("fallback", gap.fallback().name());
        g.put("reason", gap.reason());
        return new StreamingEvent(gap.channel(), null, Instant.now(), json, gap);
    }

    private static Instant instant(JsonNode n) {
        if (!n.isTextual()) {
            return null;
        }
        String s = n.asText();
        Instant fast = Timestamps.parseUtc(s);
        if (fast != null) {
            return fast;
        }
        try {
            if (s.endsWith("+0000")) {
                s = s.substring(0, s.length() - 5) + "Z";
            }
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The channel, as subscribed (filter included). */
    public String channel() {
        return channel;
    }

    /** The replay ID as a number; 0 when the server sent none (and for a gap notice). */
    public long replayId() {
        return replayId;
    }

    /** The event's replay position as the server gave it; empty when it sent none (and for a gap notice). */
    public Optional<ReplayPosition> position() {
        return Optional.ofNullable(position);
    }

    /**
     * When the event was created: {@code data.event.createdDate}; else, for a change event, its header's
     * {@code commitTimestamp} (never the record's own {@code CreatedDate}); else the platform event's
     * {@code CreatedDate}; else when it was received. Replay markers carry it, to tell a marker that fell out of
     * the retention window.
     */
    public Instant createdDate() {
        Instant c = createdDate;
        if (c == null) {
            c = gap != null ? received : readCreatedDate();
            createdDate = c;
        }
        return c;
    }

    /** The message as received: {@code channel} and {@code data}. */
    public ObjectNode json() {
        return json;
    }

    /** The message's {@code data} object. */
    public JsonNode data() {
        return json.path("data");
    }

    /** The {@code data} object as plain Java maps, lists and values. */
    public Map<String, Object> dataAsMap() {
        return Json.MAPPER.convertValue(data(), MAP);
    }

    /** Whether this is a replay gap notice rather than an event. */
    public boolean isReplayGap() {
        return gap != null;
    }

    /** The replay gap, when this is a notice. */
    public Optional<ReplayGap> replayGap() {
        return Optional.ofNullable(gap);
    }

    /** The marker to store once this event is done with; empty for a gap or an event without replay ID. */
    public Optional<ReplayMarker> marker() {
        return gap != null || position == null ? Optional.empty()
                : Optional.of(new ReplayMarker(position, createdDate()));
    }

    /** The PushTopic view ({@code data.event.type} and {@code data.sobject}), on {@code /topic/} channels. */
    public Optional<Notifications.PushTopic> pushTopic() {
        JsonNode sobject = data().get("sobject");
        if (!channel.startsWith("/topic/") || sobject == null) {
            return Optional.empty();
        }
        return Optional.of(new Notifications.PushTopic(data().path("event").path("type").asText(null), sobject));
    }

    /** The generic view ({@code data.payload} as a string), on {@code /u/} channels. */
    public Optional<Notifications.Generic> generic() {
        JsonNode payload = data().get("payload");
        if (!channel.startsWith("/u/") || payload == null) {
            return Optional.empty();
        }
        return Optional.of(new Notifications.Generic(payload.isTextual() ? payload.asText() : payload.toString()));
    }

    /** The platform event view, on {@code /event/} channels. */
    public Optional<Notifications.PlatformEvent> platformEvent() {
        JsonNode payload = data().get("payload");
        if (!channel.startsWith("/event/") || payload == null) {
            return Optional.empty();
        }
        return Optional.of(new Notifications.PlatformEvent(data().path("schema").asText(null), payload,
                data().path("event").path("EventUuid").asText(null)));
    }

    /** The change event view, on {@code /data/} channels. */
    public Optional<Notifications.ChangeEvent> changeEvent() {
        JsonNode payload = data().get("payload");
        if (!channel.startsWith("/data/") || payload == null || !payload.has("ChangeEventHeader")) {
            return Optional.empty();
        }
        return Optional.of(new Notifications.ChangeEvent(data().path("schema").asText(null),
                Notifications.header(payload.get("ChangeEventHeader")), payload));
    }

    @Override
    public String toString() {
        return gap != null ? "ReplayGap[" + gap + "]" : "StreamingEvent[" + channel + " #" + replayId + "]";
    }
}
