package dev.sfstream.emulator.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The org's records: any sObject type, each record a map of fields whose names match without case (the first
 * spelling of a field becomes its API name, as a describe would give it). Deleted records stay in the recycle bin
 * until undeleted.
 *
 * <p>Every operation runs under one lock and is handed to the {@link Observer} before the lock is released, so
 * that notifications follow commit order. Thread-safe.
 */
public final class OrgData {
    /** Fields Salesforce sets itself; a client may not write them. */
    static final Set<String> SYSTEM_FIELDS = caseInsensitiveSet("Id", "CreatedDate", "CreatedById",
            "LastModifiedDate", "LastModifiedById", "SystemModstamp", "IsDeleted");

    /** Fields that change on every write and never count as a change for notifications. */
    static final Set<String> AUDIT_FIELDS = caseInsensitiveSet("LastModifiedDate", "LastModifiedById",
            "SystemModstamp", "LastActivityDate", "LastViewedDate", "LastReferencedDate");

    private static final Map<String, List<String>> REQUIRED = Map.of(
            "account", List.of("Name"),
            "contact", List.of("LastName"),
            "lead", List.of("LastName", "Company"),
            "opportunity", List.of("Name", "StageName", "CloseDate"),
            "user", List.of("Username", "LastName"),
            "recordtype", List.of("Name", "DeveloperName", "SobjectType"),
            "streamingchannel", List.of("Name"));

    private static final Set<String> OWNED = Set.of("account", "contact", "lead", "opportunity", "case", "task",
            "event", "campaign");

    /** Told about every committed change, under the org lock. */
    public interface Observer {
        void committed(RecordChange change);
    }

    /** Checks a record of one type before it is written, under the org lock. */
    public interface Validator {
        /**
         * @param merged the record as it would be stored
         * @param incoming the fields the client sent
         * @param existingId the record's ID on update, {@code null} on create
         */
        void validate(OrgData org, Map<String, Object> merged, Map<String, Object> incoming, String existingId);
    }

    private final Object lock = new Object();
    private final Map<String, Row> byId = new HashMap<>();
    private final Map<String, LinkedHashMap<String, Row>> byType = new HashMap<>();
    private final Map<String, String> typeNames = new HashMap<>();
    private final Map<String, Map<String, String>> fieldNames = new HashMap<>();
    private final Map<String, Validator> validators = new HashMap<>();
    private final List<Observer> observers = new ArrayList<>();
    private final SalesforceIds ids;
    private final OrgClock clock;

    private static final class Row {
        final String type;
        final String id;
        final TreeMap<String, Object> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        boolean deleted;

        Row(String type, String id) {
            this.type = type;
            this.id = id;
        }
    }

    public OrgData(SalesforceIds ids, OrgClock clock) {
        this.ids = ids;
        this.clock = clock;
    }

    public void addObserver(Observer observer) {
        synchronized (lock) {
            observers.add(observer);
        }
    }

    public void setValidator(String sobjectType, Validator validator) {
        synchronized (lock) {
            validators.put(key(sobjectType), validator);
        }
    }

    public SalesforceIds ids() {
        return ids;
    }

    public OrgClock clock() {
        return clock;
    }

    /** Runs {@code work} under the org lock, for reads that must see one consistent state. */
    public <T> T locked(java.util.function.Supplier<T> work) {
        synchronized (lock) {
            return work.get();
        }
    }

    // ---------------------------------------------------------------- DML

    public RecordChange create(String sobjectType, Map<String, ?> incoming, String userId) {
        ApiNames.checkType(sobjectType);
        synchronized (lock) {
            String type = typeName(sobjectType);
            Map<String, Object> values = clean(type, incoming, true);
            checkRequired(type, values);
            String id = ids.next(type);
            Instant now = clock.instant();
            Map<String, Object> merged = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            merged.put("Id", id);
            if (OWNED.contains(key(type))) {
                merged.put("OwnerId", userId);
            }
            merged.putAll(values);
            deriveName(type, merged);
            merged.put("IsDeleted", false);
            merged.put("CreatedDate", SalesforceTime.record(now));
            merged.put("CreatedById", userId);
            merged.put("LastModifiedDate", SalesforceTime.record(now));
            merged.put("LastModifiedById", userId);
            merged.put("SystemModstamp", SalesforceTime.record(now));
            validate(type, merged, values, null);
            Row row = new Row(type, id);
            row.fields.putAll(merged);
            byId.put(id.substring(0, 15), row);
            byType.computeIfAbsent(key(type), k -> new LinkedHashMap<>()).put(id, row);
            return commit(new RecordChange(RecordChange.Operation.CREATE, type, id, null, snapshot(row), Set.of(),
                    userId, now));
        }
    }

    public RecordChange update(String sobjectType, String id, Map<String, ?> incoming, String userId) {
        synchronized (lock) {
            Row row = live(sobjectType, id);
            Map<String, Object> values = clean(row.type, incoming, false);
            Map<String, Object> before = snapshot(row);
            Map<String, Object> merged = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            merged.putAll(row.fields);
            merged.putAll(values);
            deriveName(row.type, merged);
            checkRequired(row.type, merged);
            validate(row.type, merged, values, row.id);
            Set<String> changed = new LinkedHashSet<>();
            for (Map.Entry<String, Object> e : merged.entrySet()) {
                if (!AUDIT_FIELDS.contains(e.getKey()) && !Objects.equals(e.getValue(), before.get(e.getKey()))) {
                    changed.add(canonicalField(row.type, e.getKey()));
                }
            }
            Instant now = clock.instant();
            merged.put("LastModifiedDate", SalesforceTime.record(now));
            merged.put("LastModifiedById", userId);
            merged.put("SystemModstamp", SalesforceTime.record(now));
            row.fields.clear();
            row.fields.putAll(merged);
            return commit(new RecordChange(RecordChange.Operation.UPDATE, row.type, row.id, before, snapshot(row),
                    Collections.unmodifiableSet(changed), userId, now));
        }
    }

    public RecordChange delete(String sobjectType, String id, String userId) {
        synchronized (lock) {
            Row row = live(sobjectType, id);
            Map<String, Object> before = snapshot(row);
            row.deleted = true;
            row.fields.put("IsDeleted", true);
            Instant now = clock.instant();
            return commit(new RecordChange(RecordChange.Operation.DELETE, row.type, row.id, before, null, Set.of(),
                    userId, now));
        }
    }

    public RecordChange undelete(String id, String userId) {
        synchronized (lock) {
            Row row = row(id);
            if (row == null) {
                throw new DmlException(404, "NOT_FOUND", "The requested resource does not exist");
            }
            if (!row.deleted) {
                throw new DmlException(400, "UNDELETE_FAILED", "Entity is not in the recycle bin");
            }
            row.deleted = false;
            Instant now = clock.instant();
            row.fields.put("IsDeleted", false);
            row.fields.put("LastModifiedDate", SalesforceTime.record(now));
            row.fields.put("LastModifiedById", userId);
            row.fields.put("SystemModstamp", SalesforceTime.record(now));
            return commit(new RecordChange(RecordChange.Operation.UNDELETE, row.type, row.id, null, snapshot(row),
                    Set.of(), userId, now));
        }
    }

    private RecordChange commit(RecordChange change) {
        for (Observer o : observers) {
            o.committed(change);
        }
        return change;
    }

    // ---------------------------------------------------------------- reads

    /** A live record by ID (15 or 18 characters), as a copy. */
    public Optional<Map<String, Object>> get(String id) {
        synchronized (lock) {
            Row row = row(id);
            return row == null || row.deleted ? Optional.empty() : Optional.of(snapshot(row));
        }
    }

    /** The type of a record by ID, deleted or not. */
    public Optional<String> typeOf(String id) {
        synchronized (lock) {
            Row row = row(id);
            return row == null ? Optional.empty() : Optional.of(row.type);
        }
    }

    /** Copies of the live records of a type, in creation order. */
    public List<Map<String, Object>> records(String sobjectType) {
        synchronized (lock) {
            LinkedHashMap<String, Row> rows = byType.get(key(sobjectType));
            if (rows == null) {
                return List.of();
            }
            List<Map<String, Object>> out = new ArrayList<>(rows.size());
            for (Row row : rows.values()) {
                if (!row.deleted) {
                    out.add(snapshot(row));
                }
            }
            return out;
        }
    }

    /** The canonical spelling of a type name (the first one seen), or the name as given. */
    public String typeName(String sobjectType) {
        synchronized (lock) {
            return typeNames.computeIfAbsent(key(sobjectType), k -> sobjectType);
        }
    }

    /** The API name of a field of a type, as first written. */
    public String canonicalField(String sobjectType, String field) {
        synchronized (lock) {
            return fieldNames.computeIfAbsent(key(sobjectType), k -> new HashMap<>())
                    .computeIfAbsent(field.toLowerCase(Locale.ROOT), k -> field);
        }
    }

    // ---------------------------------------------------------------- snapshots

    /** One stored record, for a snapshot. */
    public record StoredRecord(String type, String id, boolean deleted, Map<String, Object> fields) {
    }

    /** Every record, deleted ones included, in creation order. */
    public List<StoredRecord> export() {
        synchronized (lock) {
            List<StoredRecord> out = new ArrayList<>();
            for (LinkedHashMap<String, Row> rows : byType.values()) {
                for (Row row : rows.values()) {
                    out.add(new StoredRecord(row.type, row.id, row.deleted, snapshot(row)));
                }
            }
            return out;
        }
    }

    /** Puts a snapshot's records back as they were: no validation, no events. */
    public void restore(List<StoredRecord> records) {
        synchronized (lock) {
            for (StoredRecord r : records) {
                String type = typeName(r.type());
                Row row = new Row(type, r.id());
                r.fields().forEach((field, value) -> row.fields.put(canonicalField(type, field), value));
                row.deleted = r.deleted();
                byId.put(r.id().substring(0, 15), row);
                byType.computeIfAbsent(key(type), k -> new LinkedHashMap<>()).put(r.id(), row);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private Row row(String id) {
        if (id == null || (id.length() != 15 && id.length() != 18)) {
            return null;
        }
        return byId.get(id.substring(0, 15));
    }

    private Row live(String sobjectType, String id) {
        Row row = row(id);
        if (row == null || row.deleted || (sobjectType != null && !row.type.equalsIgnoreCase(sobjectType))) {
            throw new DmlException(404, "NOT_FOUND", "The requested resource does not exist");
        }
        return row;
    }

    private Map<String, Object> clean(String type, Map<String, ?> incoming, boolean create) {
        Map<String, Object> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        List<String> readOnly = new ArrayList<>();
        for (Map.Entry<String, ?> e : incoming.entrySet()) {
            String field = e.getKey();
            if (field.equals("attributes")) {
                continue;
            }
            ApiNames.checkField(type, field);
            if (field.equalsIgnoreCase("Id")) {
                throw new DmlException(400, List.of(new ApiError("INVALID_FIELD",
                        "The Id field should not be specified in the sobject data.", List.of())));
            }
            if (SYSTEM_FIELDS.contains(field) || (field.equalsIgnoreCase("Name") && isPerson(type))) {
                readOnly.add(field);
                continue;
            }
            Object value = e.getValue();
            if (value instanceof CharSequence s && s.length() == 0) {
                value = null; // Salesforce stores an empty string as null
            }
            SizeLimits.checkFieldValue(field, value);
            values.put(canonicalField(type, field), value);
        }
        if (!readOnly.isEmpty()) {
            throw new DmlException(400, List.of(new ApiError("INVALID_FIELD_FOR_INSERT_UPDATE",
                    "Unable to create/update fields: " + String.join(", ", readOnly) + ". Please check the security "
                            + "settings of this field and verify that it is read/write for your profile or "
                            + "permission set.", readOnly)));
        }
        return values;
    }

    private static boolean isPerson(String type) {
        return type.equalsIgnoreCase("Lead") || type.equalsIgnoreCase("Contact");
    }

    /** Lead and Contact have a compound Name made of FirstName and LastName. */
    private void deriveName(String type, Map<String, Object> merged) {
        if (isPerson(type)) {
            Object first = merged.get("FirstName");
            Object last = merged.get("LastName");
            String name = ((first == null ? "" : first + " ") + (last == null ? "" : last)).trim();
            merged.put(canonicalField(type, "Name"), name.isEmpty() ? null : name);
        }
    }

    private void checkRequired(String type, Map<String, Object> values) {
        List<String> missing = new ArrayList<>();
        for (String field : REQUIRED.getOrDefault(key(type), List.of())) {
            if (values.get(field) == null) {
                missing.add(field);
            }
        }
        if (!missing.isEmpty()) {
            throw new DmlException(400, List.of(new ApiError("REQUIRED_FIELD_MISSING",
                    "Required fields are missing: " + missing, missing)));
        }
    }

    private void validate(String type, Map<String, Object> merged, Map<String, Object> incoming, String id) {
        Validator v = validators.get(key(type));
        if (v != null) {
            v.validate(this, merged, incoming, id);
        }
    }

    private static Map<String, Object> snapshot(Row row) {
        Map<String, Object> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(row.fields);
        return copy;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static Set<String> caseInsensitiveSet(String... names) {
        Set<String> set = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        Collections.addAll(set, names);
        return Collections.unmodifiableSet(set);
    }
}
