package dev.sfstream.emulator.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.ProducerEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * The Pub/Sub API's encoding of the events of the one log: a retained event's message {@code data} (what the
 * Streaming API delivers) becomes a {@link ConsumerEvent} whose payload is one Avro record in binary encoding, written
 * with the schema {@link EventSchemas} gives its event type at that moment, and whose replay ID is the event's own
 * ({@link ReplayIds}). A change event's field lists become bitmaps ({@link ChangeBitmaps}). The other way, a
 * published Avro payload is read back into fields.
 *
 * <p>Thread-safe. {@link #encode} is called under the log's lock as an event is appended, so that the schema the event
 * gets follows append order; it takes this object's lock only (the schemas' lock inside it).
 */
final class AvroEvents {
    private final EventSchemas schemas;
    private Object lastPayload; // guarded by this: a change event goes to two channels with one payload
    private ProducerEvent lastProducer; // guarded by this

    AvroEvents(EventSchemas schemas) {
        this.schemas = schemas;
    }

    EventSchemas schemas() {
        return schemas;
    }

    /**
     * The event as the Pub/Sub API delivers it, or {@code null} on a channel it does not serve.
     *
     * @param restored whether the event came from a data file rather than being appended now: its schema is then
     *     built from its own payload ({@link EventSchemas#forPayloadAlone})
     */
    ConsumerEvent encode(String channel, long replayId, Map<String, Object> data, boolean restored) {
        if (!channel.startsWith("/event/") && !channel.startsWith("/data/")) {
            return null;
        }
        return ConsumerEvent.newBuilder().setEvent(producer(channel, data, restored))
                .setReplayId(ReplayIds.encode(replayId)).build();
    }

    @SuppressWarnings("unchecked")
    private synchronized ProducerEvent producer(String channel, Map<String, Object> data, boolean restored) {
        Map<String, Object> payload = (Map<String, Object>) data.get("payload");
        if (payload == lastPayload) {
            return lastProducer;
        }
        ProducerEvent producer;
        if (payload.get("ChangeEventHeader") instanceof Map<?, ?> header) {
            String entity = String.valueOf(header.get("entityName"));
            EventSchemas.EventSchema schema = restored
                    ? schemas.forPayloadAlone(entity + "ChangeEvent", true, payload)
                    : schemas.forPayload(entity + "ChangeEvent", true, payload);
            producer = producer(UUID.randomUUID().toString(), schema, changeEvent(schema.avro(), payload));
        } else {
            String name = channel.substring("/event/".length());
            EventSchemas.EventSchema schema = restored ? schemas.forPayloadAlone(name, false, payload)
                    : schemas.forPayload(name, false, payload);
            Object uuid = data.get("event") instanceof Map<?, ?> event ? event.get("EventUuid") : null;
            producer = producer(uuid == null ? UUID.randomUUID().toString() : uuid.toString(), schema,
                    platformEvent(schema.avro(), payload));
        }
        lastPayload = payload;
        lastProducer = producer;
        return producer;
    }

    private static ProducerEvent producer(String id, EventSchemas.EventSchema schema, GenericRecord record) {
        return ProducerEvent.newBuilder().setId(id).setSchemaId(schema.id()).setPayload(write(record)).build();
    }

    private static GenericRecord platformEvent(Schema schema, Map<String, Object> payload) {
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            record.put(f.pos(), value(f.schema(), payload.get(f.name())));
        }
        if (record.get("CreatedById") == null) {
            record.put("CreatedById", "");
        }
        if (record.get("CreatedDate") == null) {
            record.put("CreatedDate", 0L);
        }
        return record;
    }

    private static GenericRecord changeEvent(Schema schema, Map<String, Object> payload) {
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            Object value = payload.get(f.name());
            if (f.pos() == 0) {
                record.put(0, header(f.schema(), schema, (Map<?, ?>) value));
            } else if (value instanceof Map<?, ?> components) {
                Schema compound = ChangeBitmaps.record(f.schema());
                GenericData.Record nested = new GenericData.Record(compound);
                for (Schema.Field c : compound.getFields()) {
                    nested.put(c.pos(), value(c.schema(), components.get(c.name())));
                }
                record.put(f.pos(), nested);
            } else {
                record.put(f.pos(), value(f.schema(), value));
            }
        }
        return record;
    }

    private static GenericRecord header(Schema headerSchema, Schema eventSchema, Map<?, ?> h) {
        GenericData.Record header = new GenericData.Record(headerSchema);
        header.put("entityName", String.valueOf(h.get("entityName")));
        header.put("recordIds", h.get("recordIds"));
        header.put("changeType", new GenericData.EnumSymbol(headerSchema.getField("changeType").schema(),
                String.valueOf(h.get("changeType"))));
        header.put("changeOrigin", String.valueOf(h.get("changeOrigin")));
        header.put("transactionKey", String.valueOf(h.get("transactionKey")));
        header.put("sequenceNumber", ((Number) h.get("sequenceNumber")).intValue());
        header.put("commitTimestamp", ((Number) h.get("commitTimestamp")).longValue());
        header.put("commitNumber", ((Number) h.get("commitNumber")).longValue());
        header.put("commitUser", String.valueOf(h.get("commitUser")));
        for (String list : List.of("nulledFields", "diffFields", "changedFields")) {
            header.put(list, ChangeBitmaps.of(eventSchema, (List<?>) h.get(list)));
        }
        return header;
    }

    /** A value as the field's type (the non-null branch of its union) takes it. */
    private static Object value(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        Schema type = schema;
        if (schema.getType() == Schema.Type.UNION) {
            type = schema.getTypes().get(schema.getTypes().size() - 1);
        }
        try {
            return switch (type.getType()) {
                case LONG -> value instanceof Number n ? n.longValue() : Instant.parse(value.toString()).toEpochMilli();
                case DOUBLE -> value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString());
                case BOOLEAN -> value instanceof Boolean ? value : Boolean.parseBoolean(value.toString());
                default -> value instanceof Map<?, ?> || value instanceof List<?>
                        ? Json.MAPPER.writeValueAsString(value) : value.toString();
            };
        } catch (RuntimeException | JsonProcessingException e) {
            return null; // a value the field cannot hold
        }
    }

    private static ByteString write(GenericRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteString.copyFrom(out.toByteArray());
    }

    /**
     * Reads a published payload with its writer schema into fields, as a REST publish gives them: Avro text as
     * {@code String}, {@code CreatedDate} as an {@link Instant}, and no field that is null.
     *
     * @throws IOException when the bytes are not a record of that schema
     */
    static Map<String, Object> read(Schema schema, ByteString payload) throws IOException {
        GenericRecord record = new GenericDatumReader<GenericRecord>(schema)
                .read(null, DecoderFactory.get().binaryDecoder(payload.toByteArray(), null));
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Schema.Field f : schema.getFields()) {
            Object v = record.get(f.pos());
            if (v == null) {
                continue;
            }
            if (v instanceof CharSequence s) {
                v = s.toString();
            } else if (f.name().equals("CreatedDate") && v instanceof Long millis) {
                v = Instant.ofEpochMilli(millis);
            } else if (v instanceof GenericData.EnumSymbol symbol) {
                v = symbol.toString();
            }
            fields.put(f.name(), v);
        }
        return fields;
    }
}
