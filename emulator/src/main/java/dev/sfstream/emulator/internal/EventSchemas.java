package dev.sfstream.emulator.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * The Avro schemas of the org's platform events and change events, as the Pub/Sub API serves them: Salesforce's shape
 * (namespace {@code com.sforce.eventbus}; a platform event's {@code CreatedDate} as epoch milliseconds and
 * {@code CreatedById}; every other field {@code ["null", type]} with default null; a change event's
 * {@code ChangeEventHeader} first, then the record's fields, compound fields as nested records), each with an ID that
 * is a hash of its text.
 *
 * <p>The emulator has no field definitions, so an event type's schema grows from what is published: a declared
 * platform event starts with its declared fields, and a field's type is taken from the first value it is given
 * (a number is {@code double}, a boolean {@code boolean}, anything else {@code string}; a field only ever null is
 * {@code string}). A new field, or a field whose values change type (it becomes {@code string}), makes a new schema
 * with a new ID; each event keeps the schema it was appended with. Thread-safe.
 */
final class EventSchemas {
    /** One schema: its ID, the Avro schema and its JSON text as {@code GetSchema} serves it (with {@code uuid}). */
    record EventSchema(String id, Schema avro, String json) {
    }

    /** The datetime fields, written as epoch milliseconds ({@code long}). */
    static final Set<String> DATETIMES = Set.of("CreatedDate", "LastModifiedDate");
    static final List<String> CHANGE_TYPES = List.of("CREATE", "UPDATE", "DELETE", "UNDELETE", "GAP_CREATE",
            "GAP_UPDATE", "GAP_DELETE", "GAP_UNDELETE", "GAP_OVERFLOW", "SNAPSHOT");
    private static final String NAMESPACE = "com.sforce.eventbus";
    private static final String PROVISIONAL = "string?"; // a field seen only null so far
    private static final String COMPOUND = "compound";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The fields of one event type, in order, with their Avro types, and its current schema. */
    private static final class Shape {
        final String name;
        final boolean changeEvent;
        final Map<String, String> fields = new LinkedHashMap<>();
        EventSchema current;

        Shape(String name, boolean changeEvent) {
            this.name = name;
            this.changeEvent = changeEvent;
        }
    }

    private final Map<String, Shape> shapes = new LinkedHashMap<>(); // guarded by this
    private final Map<String, EventSchema> byId = new ConcurrentHashMap<>();

    /** A schema by its ID, or empty. */
    Optional<EventSchema> byId(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    /** The current schema of a platform event, with its declared fields (none for an undeclared one). */
    synchronized EventSchema platformEvent(String name, List<String> declared) {
        Shape shape = shape(name, false);
        boolean changed = shape.current == null;
        for (String field : declared) {
            changed |= observe(shape, field, null);
        }
        return changed ? rebuild(shape) : shape.current;
    }

    /** The current schema of a type's change events ({@code AccountChangeEvent}). */
    synchronized EventSchema changeEvent(String entity) {
        Shape shape = shape(entity + "ChangeEvent", true);
        return shape.current == null ? rebuild(shape) : shape.current;
    }

    /** The schema an event with this payload is appended with: the current one, grown to take the payload. */
    synchronized EventSchema forPayload(String name, boolean changeEvent, Map<String, Object> payload) {
        Shape shape = shape(name, changeEvent);
        boolean changed = shape.current == null;
        for (Map.Entry<String, Object> e : payload.entrySet()) {
            String field = e.getKey();
            if (field.equals("ChangeEventHeader") || (!changeEvent && isStandard(field))) {
                continue;
            }
            if (changeEvent && e.getValue() instanceof Map<?, ?>) {
                if (!COMPOUND.equals(shape.fields.get(field))) {
                    shape.fields.put(field, COMPOUND);
                    changed = true;
                }
                continue;
            }
            changed |= observe(shape, field, e.getValue());
        }
        return changed ? rebuild(shape) : shape.current;
    }

    /**
     * The schema of an event restored from a data file: built from its payload alone, not grown from the type's
     * current shape, so that an event keeps the schema it had (a declared event's payload holds every field it was
     * declared with then) even when the declaration has changed since.
     */
    synchronized EventSchema forPayloadAlone(String name, boolean changeEvent, Map<String, Object> payload) {
        Shape alone = new Shape(name, changeEvent);
        for (Map.Entry<String, Object> e : payload.entrySet()) {
            String field = e.getKey();
            if (field.equals("ChangeEventHeader") || (!changeEvent && isStandard(field))) {
                continue;
            }
            if (changeEvent && e.getValue() instanceof Map<?, ?>) {
                alone.fields.put(field, COMPOUND);
            } else {
                observe(alone, field, e.getValue());
            }
        }
        return rebuild(alone);
    }

    /** The standard fields of a platform event, which every schema has first. */
    static boolean isStandard(String field) {
        return field.equals("CreatedDate") || field.equals("CreatedById");
    }

    /** The Avro type of a value: {@code long} for datetimes, {@code double}, {@code boolean}, {@code string}. */
    static String typeOf(String field, Object value) {
        if (value == null) {
            return null;
        }
        if (DATETIMES.contains(field)) {
            return "long";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        return value instanceof Number ? "double" : "string";
    }

    private Shape shape(String name, boolean changeEvent) {
        return shapes.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new Shape(name, changeEvent));
    }

    /** Takes in one field's value; whether the schema changes. */
    private static boolean observe(Shape shape, String field, Object value) {
        String known = shape.fields.get(field);
        String type = typeOf(field, value);
        if (known == null) {
            shape.fields.put(field, type == null ? PROVISIONAL : type);
            return true;
        }
        if (type == null || type.equals(known) || known.equals("string")) {
            return false;
        }
        if (known.equals(PROVISIONAL)) {
            shape.fields.put(field, type);
            return !type.equals("string");
        }
        shape.fields.put(field, "string"); // values of two types: text takes them all
        return true;
    }

    private EventSchema rebuild(Shape shape) {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "record");
        root.put("name", shape.name);
        root.put("namespace", NAMESPACE);
        ArrayNode fields = root.putArray("fields");
        if (shape.changeEvent) {
            fields.addObject().put("name", "ChangeEventHeader").set("type", header());
        } else {
            fields.addObject().put("name", "CreatedDate").put("type", "long").put("doc", "CreatedDate:DateTime");
            fields.addObject().put("name", "CreatedById").put("type", "string").put("doc", "CreatedBy:EntityId");
        }
        boolean addressDefined = false;
        for (Map.Entry<String, String> f : shape.fields.entrySet()) {
            ObjectNode field = fields.addObject().put("name", f.getKey());
            ArrayNode union = field.putArray("type").add("null");
            if (f.getValue().equals(COMPOUND)) {
                boolean address = !f.getKey().equals("Name");
                if (address && addressDefined) {
                    union.add("Address");
                } else {
                    union.add(compound(address ? "Address" : "PersonName", CompoundFields.componentsOf(f.getKey())));
                    addressDefined |= address;
                }
            } else {
                union.add(f.getValue().equals(PROVISIONAL) ? "string" : f.getValue());
            }
            field.putNull("default");
        }
        String text = root.toString();
        String id = Schemas.idOf(text);
        root.put("uuid", id);
        String json = root.toString();
        EventSchema schema = new EventSchema(id, new Schema.Parser().parse(json), json);
        byId.putIfAbsent(id, schema);
        shape.current = byId.get(id);
        return shape.current;
    }

    private static ObjectNode compound(String name, List<String> components) {
        ObjectNode record = JSON.createObjectNode().put("type", "record").put("name", name);
        ArrayNode fields = record.putArray("fields");
        for (String c : components) {
            ObjectNode field = fields.addObject().put("name", c);
            field.putArray("type").add("null").add(CompoundFields.isNumber(c) ? "double" : "string");
            field.putNull("default");
        }
        return record;
    }

    private static ObjectNode header() {
        ObjectNode record = JSON.createObjectNode().put("type", "record").put("name", "ChangeEventHeader");
        ArrayNode fields = record.putArray("fields");
        fields.addObject().put("name", "entityName").put("type", "string");
        fields.addObject().put("name", "recordIds").set("type", array());
        ObjectNode changeType = fields.addObject().put("name", "changeType").putObject("type");
        changeType.put("type", "enum").put("name", "ChangeType");
        CHANGE_TYPES.forEach(changeType.putArray("symbols")::add);
        fields.addObject().put("name", "changeOrigin").put("type", "string");
        fields.addObject().put("name", "transactionKey").put("type", "string");
        fields.addObject().put("name", "sequenceNumber").put("type", "int");
        fields.addObject().put("name", "commitTimestamp").put("type", "long");
        fields.addObject().put("name", "commitNumber").put("type", "long");
        fields.addObject().put("name", "commitUser").put("type", "string");
        fields.addObject().put("name", "nulledFields").set("type", array());
        fields.addObject().put("name", "diffFields").set("type", array());
        fields.addObject().put("name", "changedFields").set("type", array());
        return record;
    }

    private static ObjectNode array() {
        return JSON.createObjectNode().put("type", "array").put("items", "string");
    }
}
