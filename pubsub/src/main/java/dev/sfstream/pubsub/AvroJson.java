package dev.sfstream.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;

/**
 * Reads Avro binary straight into Jackson nodes, one compiled {@link Reader} per schema: no {@code GenericRecord} in
 * between, so decoding an event costs what reading it costs. The JSON follows the Streaming API's: text as text,
 * numbers as numbers (whole numbers that fit an {@code int} as Jackson reads them from JSON), enums as their
 * symbol, a union as its branch's value, and datetimes (a {@code long} that Salesforce's schema documents as
 * {@code ...:DateTime}, or one of the audit fields) as ISO-8601 text in the form the Streaming API gives them.
 * Immutable and thread-safe once compiled.
 */
final class AvroJson {
    /** Reads one value. */
    interface Reader {
        JsonNode read(Input in) throws IOException;
    }

    /** What a thread decodes from: the payload's decoder and a buffer for strings, reused event after event. */
    static final class Input {
        BinaryDecoder decoder;
        private byte[] buffer = new byte[256];

        /** Reads an Avro string (length, then UTF-8 bytes) into a {@code String} with a single copy. */
        String string() throws IOException {
            int length = decoder.readInt();
            if (length == 0) {
                return "";
            }
            if (length < 0 || length > MAX_STRING_BYTES) {
                throw new IOException("a string of " + length + " bytes: the payload is not of its schema");
            }
            if (buffer.length < length) {
                buffer = new byte[Math.max(length, buffer.length * 2)];
            }
            decoder.readFixed(buffer, 0, length);
            return new String(buffer, 0, length, StandardCharsets.UTF_8);
        }
    }

    /** How a datetime reads as text on each channel family of the Streaming API. */
    enum Datetimes {
        /** Platform events: {@code 2024-05-16T10:00:00.000Z}, milliseconds always. */
        PLATFORM_EVENT,
        /** Change events: {@code 2024-05-16T10:00:00Z}, milliseconds only when there are some. */
        CHANGE_EVENT
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    /** The datetime fields of every record, whether or not the schema documents them. */
    private static final Set<String> AUDIT_DATETIMES = Set.of("CreatedDate", "LastModifiedDate", "SystemModstamp");

    private AvroJson() {
    }

    /** A reader of a field's value; {@code datetimes} says how a datetime field reads. */
    static Reader field(Schema.Field field, Datetimes datetimes) {
        return compile(field.schema(), datetimes, isDatetime(field));
    }

    /** A reader of a whole record, its fields in order (the header of a change event, a compound field). */
    static Reader record(Schema schema, Datetimes datetimes) {
        List<Schema.Field> fields = schema.getFields();
        String[] names = new String[fields.size()];
        Reader[] readers = new Reader[fields.size()];
        for (Schema.Field f : fields) {
            names[f.pos()] = f.name();
            readers[f.pos()] = field(f, datetimes);
        }
        int capacity = readers.length * 4 / 3 + 1;
        return in -> {
            ObjectNode node = objectNode(capacity);
            for (int i = 0; i < readers.length; i++) {
                node.set(names[i], readers[i].read(in));
            }
            return node;
        };
    }

    static boolean isDatetime(Schema.Field field) {
        String doc = field.doc();
        if (doc != null) {
            return doc.toLowerCase(Locale.ROOT).endsWith(":datetime");
        }
        return AUDIT_DATETIMES.contains(field.name());
    }

    /** A reader of a schema; {@code datetime} when a {@code long} there is a datetime, in the family's form. */
    static Reader compile(Schema schema, Datetimes family, boolean datetime) {
        switch (schema.getType()) {
            case NULL:
                return in -> {
                    in.decoder.readNull();
                    return NullNode.instance;
                };
            case BOOLEAN:
                return in -> BooleanNode.valueOf(in.decoder.readBoolean());
            case INT:
                return in -> IntNode.valueOf(in.decoder.readInt());
            case LONG:
                if (datetime) {
                    return in -> TextNode.valueOf(datetime(in.decoder.readLong(), family));
                }
                return in -> number(in.decoder.readLong());
            case FLOAT:
                return in -> FloatNode.valueOf(in.decoder.readFloat());
            case DOUBLE:
                return in -> DoubleNode.valueOf(in.decoder.readDouble());
            case STRING:
                return in -> TextNode.valueOf(in.string());
            case BYTES:
                return in -> {
                    java.nio.ByteBuffer b = in.decoder.readBytes(null);
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    return BinaryNode.valueOf(bytes);
                };
            case FIXED: {
                int size = schema.getFixedSize();
                return in -> {
                    byte[] bytes = new byte[size];
                    in.decoder.readFixed(bytes);
                    return BinaryNode.valueOf(bytes);
                };
            }
            case ENUM: {
                TextNode[] symbols = schema.getEnumSymbols().stream().map(TextNode::valueOf).toArray(TextNode[]::new);
                return in -> symbols[in.decoder.readEnum()];
            }
            case ARRAY: {
                Reader items = compile(schema.getElementType(), family, datetime);
                return in -> {
                    ArrayNode array = NODES.arrayNode();
                    for (long n = in.decoder.readArrayStart(); n != 0; n = in.decoder.arrayNext()) {
                        for (long i = 0; i < n; i++) {
                            array.add(items.read(in));
                        }
                    }
                    return array;
                };
            }
            case MAP: {
                Reader values = compile(schema.getValueType(), family, datetime);
                return in -> {
                    ObjectNode map = NODES.objectNode();
                    for (long n = in.decoder.readMapStart(); n != 0; n = in.decoder.mapNext()) {
                        for (long i = 0; i < n; i++) {
                            String key = in.string();
                            map.set(key, values.read(in));
                        }
                    }
                    return map;
                };
            }
            case UNION: {
                List<Schema> types = schema.getTypes();
                Reader[] branches = new Reader[types.size()];
                for (int i = 0; i < branches.length; i++) {
                    branches[i] = compile(types.get(i), family, datetime);
                }
                return in -> branches[in.decoder.readIndex()].read(in);
            }
            case RECORD:
                return LazyRecord.of(schema, family);
            default:
                throw new IllegalArgumentException("an Avro type sfstream cannot read: " + schema.getType());
        }
    }

    /** A record reader, compiled once per schema (recursive schemas compile lazily). */
    private static final class LazyRecord {
        private LazyRecord() {
        }

        static Reader of(Schema schema, Datetimes family) {
            Reader[] compiled = new Reader[1];
            return in -> {
                Reader r = compiled[0];
                if (r == null) {
                    r = record(schema, family);
                    compiled[0] = r;
                }
                return r.read(in);
            };
        }
    }

    /** The largest string read: no Salesforce event comes near it (an event has at most 1 MB). */
    private static final int MAX_STRING_BYTES = 8 * 1024 * 1024;

    /** An object node whose map holds {@code capacity} entries without growing. */
    static ObjectNode objectNode(int capacity) {
        return new ObjectNode(NODES, new LinkedHashMap<>(capacity));
    }

    /** A whole number as Jackson reads it from JSON text: an int node when it fits, else a long node. */
    static JsonNode number(long v) {
        return v == (int) v ? IntNode.valueOf((int) v) : LongNode.valueOf(v);
    }

    /**
     * A datetime as the Streaming API writes it: {@code 2024-05-16T10:00:00.000Z} on platform events (milliseconds
     * always), {@code 2024-05-16T10:00:00Z} on change events (milliseconds only when there are some).
     */
    static String datetime(long epochMillis, Datetimes form) {
        long seconds = Math.floorDiv(epochMillis, 1000);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int ofDay = (int) Math.floorMod(seconds, 86_400);
        if (date.getYear() < 0 || date.getYear() > 9999) {
            Instant at = Instant.ofEpochMilli(epochMillis);
            return form == Datetimes.PLATFORM_EVENT ? MILLIS.format(at) : at.toString();
        }
        boolean withMillis = form == Datetimes.PLATFORM_EVENT || millis != 0;
        char[] c = new char[withMillis ? 24 : 20];
        digits(c, 0, date.getYear(), 4);
        c[4] = '-';
        digits(c, 5, date.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, date.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, ofDay / 3600, 2);
        c[13] = ':';
        digits(c, 14, ofDay / 60 % 60, 2);
        c[16] = ':';
        digits(c, 17, ofDay % 60, 2);
        if (withMillis) {
            c[19] = '.';
            digits(c, 20, millis, 3);
        }
        c[c.length - 1] = 'Z';
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
