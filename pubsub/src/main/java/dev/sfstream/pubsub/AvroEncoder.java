package dev.sfstream.pubsub;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Builds the Avro payload of an event to publish against its topic's schema: from a map of field names (matched
 * without regard to case, as Salesforce's API names are) to Java values, or from a record (copied field by field
 * by name into the topic's schema). Values are converted as the field's type asks: numbers between numeric types,
 * datetimes ({@link Instant}, {@link OffsetDateTime}, {@link ZonedDateTime}, {@link Date}, ISO-8601 text) to
 * epoch milliseconds, text to the symbol of an enum. {@code CreatedDate} defaults to now and {@code CreatedById} to
 * the publishing user, both of which Salesforce requires. Stateless.
 */
final class AvroEncoder {
    private AvroEncoder() {
    }

    /**
     * The binary payload of an event.
     *
     * @param source a {@code Map<String, ?>} or a {@link GenericRecord}
     * @param userId the publishing user, for {@code CreatedById}; may be null
     * @throws IllegalArgumentException naming the field that does not fit the schema
     */
    static byte[] encode(Schema schema, Object source, String userId, String topic) {
        Map<String, Object> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (source instanceof GenericRecord r) {
            for (Schema.Field f : r.getSchema().getFields()) {
                fields.put(f.name(), r.get(f.pos()));
            }
        } else if (source instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (fields.put(String.valueOf(k), v) != null) {
                    throw new IllegalArgumentException("the event for " + topic + " gives field " + k + " twice");
                }
            });
        } else {
            throw new IllegalArgumentException("an event is a Map or an Avro GenericRecord, got " + source);
        }
        for (String name : fields.keySet()) {
            if (schema.getField(name) == null && schema.getFields().stream().noneMatch(f -> f.name()
                    .equalsIgnoreCase(name))) {
                throw new IllegalArgumentException(topic + " has no field " + name + "; its fields are "
                        + schema.getFields().stream().map(Schema.Field::name).toList());
            }
        }
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            Object value = fields.get(f.name());
            if (value == null && f.name().equals("CreatedDate")) {
                value = Instant.now();
            } else if (value == null && f.name().equals("CreatedById")) {
                value = userId;
            }
            record.put(f.pos(), convert(f.schema(), value, topic + "." + f.name()));
        }
        return write(record);
    }

    private static Object convert(Schema schema, Object value, String field) {
        if (schema.getType() == Schema.Type.UNION) {
            if (value == null) {
                if (schema.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL)) {
                    return null;
                }
                throw new IllegalArgumentException(field + " is required");
            }
            IllegalArgumentException last = null;
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() == Schema.Type.NULL) {
                    continue;
                }
                try {
                    return convert(branch, value, field);
                } catch (IllegalArgumentException e) {
                    last = e;
                }
            }
            throw last != null ? last : new IllegalArgumentException(field + " takes no value");
        }
        if (value == null) {
            if (schema.getType() == Schema.Type.NULL) {
                return null;
            }
            throw new IllegalArgumentException(field + " is required (its type is " + schema.getType() + ")");
        }
        try {
            return switch (schema.getType()) {
                case STRING -> value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                        ? value.toString() : fail(field, schema, value);
                case LONG -> toLong(value, field, schema);
                case INT -> value instanceof Number n && n.doubleValue() == n.intValue() ? n.intValue()
                        : value instanceof String s ? Integer.parseInt(s.strip()) : fail(field, schema, value);
                case DOUBLE -> value instanceof Number n ? n.doubleValue()
                        : value instanceof String s ? Double.parseDouble(s.strip()) : fail(field, schema, value);
                case FLOAT -> value instanceof Number n ? n.floatValue()
                        : value instanceof String s ? Float.parseFloat(s.strip()) : fail(field, schema, value);
                case BOOLEAN -> value instanceof Boolean ? value : value instanceof String s
                        && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) ? Boolean.valueOf(s)
                        : fail(field, schema, value);
                case ENUM -> schema.hasEnumSymbol(value.toString())
                        ? new GenericData.EnumSymbol(schema, value.toString()) : fail(field, schema, value);
                case BYTES -> value instanceof byte[] b ? ByteBuffer.wrap(b) : value instanceof ByteBuffer
                        ? value : fail(field, schema, value);
                case RECORD -> record(schema, value, field);
                case ARRAY -> array(schema, value, field);
                case NULL -> fail(field, schema, value);
                default -> fail(field, schema, value);
            };
        } catch (NumberFormatException e) {
            return fail(field, schema, value);
        }
    }

    private static Object toLong(Object value, String field, Schema schema) {
        if (value instanceof Number n && n.doubleValue() == n.longValue()) {
            return n.longValue();
        }
        if (value instanceof Instant i) {
            return i.toEpochMilli();
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant().toEpochMilli();
        }
        if (value instanceof ZonedDateTime z) {
            return z.toInstant().toEpochMilli();
        }
        if (value instanceof Date d) {
            return d.getTime();
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException notANumber) {
                try {
                    return OffsetDateTime.parse(s.strip()).toInstant().toEpochMilli();
                } catch (DateTimeParseException e) {
                    return fail(field, schema, value);
                }
            }
        }
        return fail(field, schema, value);
    }

    private static Object record(Schema schema, Object value, String field) {
        if (value instanceof GenericRecord r && r.getSchema().equals(schema)) {
            return r;
        }
        if (!(value instanceof Map<?, ?> m)) {
            return fail(field, schema, value);
        }
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            Object v = m.get(f.name());
            record.put(f.pos(), convert(f.schema(), v, field + "." + f.name()));
        }
        return record;
    }

    private static Object array(Schema schema, Object value, String field) {
        if (!(value instanceof Collection<?> c)) {
            return fail(field, schema, value);
        }
        List<Object> items = new ArrayList<>(c.size());
        for (Object item : c) {
            items.add(convert(schema.getElementType(), item, field + "[]"));
        }
        return items;
    }

    private static Object fail(String field, Schema schema, Object value) {
        throw new IllegalArgumentException(field + " takes " + schema.getType().getName().toLowerCase(Locale.ROOT)
                + ", not " + value.getClass().getSimpleName() + " " + abbreviated(value));
    }

    private static String abbreviated(Object value) {
        String s = String.valueOf(value);
        return s.length() > 40 ? "'" + s.substring(0, 40) + "...'" : "'" + s + "'";
    }

    private static byte[] write(GenericRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
