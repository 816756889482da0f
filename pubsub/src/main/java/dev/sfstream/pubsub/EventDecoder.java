package dev.sfstream.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.ProducerEvent;
import dev.sfstream.StreamingEvent;
import dev.sfstream.replay.ReplayPosition;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;

/**
 * Turns a Pub/Sub {@link ConsumerEvent} into a {@link StreamingEvent} in the JSON shape the Streaming API delivers on
 * the same channel, so that the typed views, the declarative handlers and users' code do not care which API brought
 * it:
 * <pre>{@code
 * {"channel": "/data/AccountChangeEvent",
 *  "data": {"schema": "<schema ID>",
 *           "payload": {"ChangeEventHeader": {..., "changedFields": ["Name", "BillingAddress.City"], ...}, ...},
 *           "event": {"replayId": 12345}}}
 * }</pre>
 * A platform event's {@code data.event} also has its {@code EventUuid} (the Pub/Sub event ID), and its payload every
 * field of its schema, null ones included, with {@code CreatedDate} as ISO-8601 text. A change event's payload has,
 * as over the Streaming API, the fields the change set (null fields only when the change nulled them), compound
 * fields nested with the components that changed, and a header whose three field lists are the names the bitmaps
 * stand for ({@link ChangeEventBitmaps}). The replay position is the event's replay ID bytes, kept exactly.
 *
 * <p>Thread-safe: a {@link Compiled} schema is immutable; each thread reuses its own Avro decoder.
 */
final class EventDecoder {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ThreadLocal<AvroJson.Input> INPUTS = ThreadLocal.withInitial(AvroJson.Input::new);
    private static final List<String> FIELD_LISTS = List.of("changedFields", "nulledFields", "diffFields");

    private EventDecoder() {
    }

    /** A writer schema made ready to decode with: its fields' readers, and for a change event its bitmaps. */
    static final class Compiled {
        final String id;
        final Schema schema;
        final boolean changeEvent;
        final String[] names;
        final AvroJson.Reader[] readers;
        final Compound[] compound;
        final ChangeEventBitmaps bitmaps;
        final int capacity;

        Compiled(String id, Schema schema) {
            this.id = id;
            this.schema = schema;
            List<Schema.Field> fields = schema.getFields();
            this.changeEvent = !fields.isEmpty() && fields.get(0).name().equals("ChangeEventHeader")
                    && ChangeEventBitmaps.recordOf(fields.get(0).schema()) != null;
            AvroJson.Datetimes form = changeEvent ? AvroJson.Datetimes.CHANGE_EVENT
                    : AvroJson.Datetimes.PLATFORM_EVENT;
            names = new String[fields.size()];
            readers = new AvroJson.Reader[fields.size()];
            compound = new Compound[fields.size()];
            for (Schema.Field f : fields) {
                names[f.pos()] = f.name();
                readers[f.pos()] = AvroJson.field(f, form);
                if (changeEvent && f.pos() > 0 && ChangeEventBitmaps.recordOf(f.schema()) != null) {
                    compound[f.pos()] = new Compound(f);
                }
            }
            bitmaps = changeEvent ? new ChangeEventBitmaps(schema) : null;
            capacity = fields.size() * 4 / 3 + 1;
        }
    }

    /**
     * A change event's compound field (an address, a person's name) read the way the Streaming API shows it: only
     * the components the change set, or nulled, without building the record first and dropping its nulls after.
     */
    private static final class Compound {
        final String name;
        final boolean union;
        final int capacity;
        final int recordBranch;
        final AvroJson.Reader[] branches;
        final String[] components;
        final String[] paths;
        final AvroJson.Reader[] readers;

        Compound(Schema.Field field) {
            name = field.name();
            union = field.schema().getType() == Schema.Type.UNION;
            Schema record = ChangeEventBitmaps.recordOf(field.schema());
            List<Schema> types = field.schema().getType() == Schema.Type.UNION ? field.schema().getTypes()
                    : List.of(field.schema());
            branches = new AvroJson.Reader[types.size()];
            int at = -1;
            for (int b = 0; b < types.size(); b++) {
                branches[b] = AvroJson.compile(types.get(b), AvroJson.Datetimes.CHANGE_EVENT, false);
                if (types.get(b) == record) {
                    at = b;
                }
            }
            recordBranch = at;
            List<Schema.Field> children = record.getFields();
            capacity = children.size() * 4 / 3 + 1;
            components = new String[children.size()];
            paths = new String[children.size()];
            readers = new AvroJson.Reader[children.size()];
            for (Schema.Field c : children) {
                components[c.pos()] = c.name();
                paths[c.pos()] = name + "." + c.name();
                readers[c.pos()] = AvroJson.field(c, AvroJson.Datetimes.CHANGE_EVENT);
            }
        }

        /** The field's value to show, or null to leave it out. */
        JsonNode read(AvroJson.Input in, Set<String> nulled) throws IOException {
            int branch = union ? in.decoder.readIndex() : recordBranch;
            if (branch != recordBranch) {
                JsonNode other = branches[branch].read(in); // null, or a switchable name as text
                return other.isNull() && !nulled.contains(name) ? null : other;
            }
            ObjectNode shown = null;
            for (int i = 0; i < readers.length; i++) {
                JsonNode v = readers[i].read(in);
                if (v.isNull() && (nulled.isEmpty() || !nulled.contains(paths[i]))) {
                    continue;
                }
                if (shown == null) {
                    shown = AvroJson.objectNode(capacity);
                }
                shown.set(components[i], v);
            }
            return shown != null ? shown : nulled.contains(name) ? NODES.objectNode() : null;
        }
    }

    /** A response's events decoded in order, up to the first that could not be, if any. */
    record Decoded(List<StreamingEvent> events, String failure, Exception cause) {
    }

    /** Decodes a response's events with their loaded schemas; stops at the first that cannot be decoded. */
    static Decoded decodeAll(String channel, List<ConsumerEvent> events, SchemaCache schemas) {
        List<StreamingEvent> out = new ArrayList<>(events.size());
        Instant received = Instant.now();
        for (ConsumerEvent e : events) {
            String schemaId = e.getEvent().getSchemaId();
            try {
                out.add(decode(channel, e, schemas.getNow(schemaId), received));
            } catch (IOException | RuntimeException failure) {
                return new Decoded(out, "cannot decode the event of " + channel + " with replay ID "
                        + ReplayPosition.ofBytes(e.getReplayId().toByteArray()) + " with its schema " + schemaId
                        + ": " + failure.getMessage(), failure);
            }
        }
        return new Decoded(out, null, null);
    }

    /**
     * Decodes one event of a channel with its writer schema.
     *
     * @throws IOException when the payload is not a record of that schema
     */
    static StreamingEvent decode(String channel, ConsumerEvent event, Compiled schema, Instant received)
            throws IOException {
        ProducerEvent producer = event.getEvent();
        ByteString payloadBytes = producer.getPayload();
        AvroJson.Input in = INPUTS.get();
        in.decoder = DecoderFactory.get().binaryDecoder(payloadBytes.toByteArray(), in.decoder);
        ObjectNode payload = schema.changeEvent ? changeEvent(schema, in) : platformEvent(schema, in);
        if (!in.decoder.isEnd()) {
            throw new IOException("the payload has bytes left over after a record of schema " + schema.id);
        }
        byte[] replayId = event.getReplayId().toByteArray();
        ReplayPosition position = ReplayPosition.ofBytes(replayId);
        PubSubMessage message = new PubSubMessage(schema.schema, payloadBytes, producer.getId());
        message.put("channel", channel);
        ObjectNode data = message.putObject("data");
        data.put("schema", schema.id);
        data.set("payload", payload);
        ObjectNode ev = data.putObject("event");
        if (!schema.changeEvent && !producer.getId().isEmpty()) {
            ev.put("EventUuid", producer.getId());
        }
        if (replayId.length <= Long.BYTES) {
            ev.set("replayId", AvroJson.number(position.replayId()));
        }
        return StreamingEvent.of(message, received, position);
    }

    private static ObjectNode platformEvent(Compiled s, AvroJson.Input in) throws IOException {
        ObjectNode payload = AvroJson.objectNode(s.capacity);
        for (int i = 0; i < s.readers.length; i++) {
            payload.set(s.names[i], s.readers[i].read(in));
        }
        return payload;
    }

    private static ObjectNode changeEvent(Compiled s, AvroJson.Input in) throws IOException {
        ObjectNode payload = AvroJson.objectNode(s.capacity);
        ObjectNode header = (ObjectNode) s.readers[0].read(in);
        Set<String> nulled = Set.of();
        for (String list : FIELD_LISTS) {
            JsonNode raw = header.get(list);
            if (raw == null || !raw.isArray()) {
                continue;
            }
            List<String> elements = new ArrayList<>(raw.size());
            raw.forEach(n -> elements.add(n.asText()));
            List<String> names = s.bitmaps.names(elements);
            ArrayNode array = NODES.arrayNode(names.size());
            names.forEach(array::add);
            header.set(list, array);
            if (list.equals("nulledFields") && !names.isEmpty()) {
                nulled = new HashSet<>(names);
            }
        }
        payload.set(s.names[0], header);
        for (int i = 1; i < s.readers.length; i++) {
            String name = s.names[i];
            if (s.compound[i] != null) {
                JsonNode shown = s.compound[i].read(in, nulled);
                if (shown != null) {
                    payload.set(name, shown);
                }
                continue;
            }
            JsonNode value = s.readers[i].read(in);
            if (!value.isNull() || nulled.contains(name)) {
                payload.set(name, value); // over the Streaming API, a null field shows only when the change nulled it
            }
        }
        return payload;
    }
}
