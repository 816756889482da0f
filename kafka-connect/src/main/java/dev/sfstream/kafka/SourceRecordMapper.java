package dev.sfstream.kafka;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sfstream.ChannelName;
import dev.sfstream.StreamingEvent;
import dev.sfstream.replay.ReplayPosition;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns a Salesforce event into a Kafka Connect source record:
 * <ul>
 *   <li>topic: {@link TopicNames#topic(String)} of the channel;</li>
 *   <li>key (a string): the ID of the record the event is about where it has one (a PushTopic's
 *       {@code data.sobject.Id}, a change event's first {@code ChangeEventHeader.recordIds}), else the replay ID, so
 *       that one record's changes stay in one partition and in order;</li>
 *   <li>value: the message as Salesforce sent it ({@code channel} and {@code data}), as a schemaless {@code Map}
 *       or as its JSON text;</li>
 *   <li>headers: {@value #CHANNEL_HEADER}, {@value #REPLAY_ID_HEADER}, {@value #EVENT_TYPE_HEADER} (the
 *       PushTopic event type, the change type, {@code event} or {@code generic}) and {@value #CREATED_DATE_HEADER}
 *       (ISO-8601); for an event of the Pub/Sub API also {@value #REPLAY_POSITION_HEADER}, its replay ID bytes
 *       exactly ({@code pubsub:<base64>});</li>
 *   <li>timestamp: the event's created date;</li>
 *   <li>source partition and offset: {@link SourceOffsets}.</li>
 * </ul>
 * Thread-safe.
 */
final class SourceRecordMapper {
    static final String CHANNEL_HEADER = "sfstream.channel";
    static final String REPLAY_ID_HEADER = "sfstream.replayId";
    static final String EVENT_TYPE_HEADER = "sfstream.eventType";
    static final String CREATED_DATE_HEADER = "sfstream.createdDate";
    static final String REPLAY_POSITION_HEADER = "sfstream.replayPosition";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final String org;
    private final TopicNames topics;
    private final StreamingSourceConfig.ValueFormat format;

    /**
     * @param org the org ID the events come from (the source partition's {@code org})
     * @param topics the topic of each channel
     * @param format the shape of record values
     */
    SourceRecordMapper(String org, TopicNames topics, StreamingSourceConfig.ValueFormat format) {
        this.org = Objects.requireNonNull(org, "org");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.format = Objects.requireNonNull(format, "format");
    }

    /** The record of an event (not a replay gap notice, which has no record). */
    SourceRecord toRecord(StreamingEvent event) {
        if (event.isReplayGap()) {
            throw new IllegalArgumentException("a replay gap notice is not an event: " + event);
        }
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(CHANNEL_HEADER, event.channel());
        headers.addLong(REPLAY_ID_HEADER, event.replayId());
        headers.addString(EVENT_TYPE_HEADER, eventType(event));
        headers.addString(CREATED_DATE_HEADER, event.createdDate().toString());
        ReplayPosition position = event.position().orElse(null);
        if (position != null && position.isBytes()) {
            headers.addString(REPLAY_POSITION_HEADER, position.encode());
        }
        Schema valueSchema = format == StreamingSourceConfig.ValueFormat.JSON ? Schema.STRING_SCHEMA : null;
        Object value = format == StreamingSourceConfig.ValueFormat.JSON ? event.json().toString()
                : MAPPER.convertValue(event.json(), MAP);
        Map<String, Object> offset = position != null ? SourceOffsets.offset(position) : SourceOffsets.noPosition();
        return new EventRecord(event, SourceOffsets.partition(org, event.channel()), offset,
                topics.topic(event.channel()), Schema.STRING_SCHEMA, key(event), valueSchema, value,
                event.createdDate().toEpochMilli(), headers);
    }

    /** The ID of the Salesforce record the event is about, else its replay ID. */
    static String key(StreamingEvent event) {
        String id = event.pushTopic().map(p -> text(p.sobject().get("Id")))
                .or(() -> event.changeEvent().map(c -> c.header().recordIds().isEmpty() ? null
                        : c.header().recordIds().get(0)))
                .orElse(null);
        return id != null ? id : Long.toString(event.replayId());
    }

    /** The PushTopic event type or change type, {@code event} for platform events, {@code generic} for the rest. */
    static String eventType(StreamingEvent event) {
        ChannelName.Kind kind = channelKind(event.channel());
        if (kind == ChannelName.Kind.PUSH_TOPIC) {
            return event.pushTopic().map(p -> p.type()).filter(Objects::nonNull).orElse("pushtopic");
        }
        if (kind == ChannelName.Kind.CHANGE_EVENT) {
            return event.changeEvent().map(c -> c.header().changeType()).filter(Objects::nonNull).orElse("change");
        }
        return kind == ChannelName.Kind.PLATFORM_EVENT ? "event" : "generic";
    }

    private static ChannelName.Kind channelKind(String channel) {
        try {
            return ChannelName.of(channel).kind();
        } catch (IllegalArgumentException e) {
            return ChannelName.Kind.GENERIC;
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.asText().isEmpty() ? null : node.asText();
    }
}
