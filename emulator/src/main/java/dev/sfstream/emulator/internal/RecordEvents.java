package dev.sfstream.emulator.internal;

import dev.sfstream.soql.CompiledQuery;
import dev.sfstream.soql.MalformedQueryException;
import dev.sfstream.soql.NotifyForFields;
import dev.sfstream.soql.Soql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns committed record changes into streaming events, under the org lock so that events follow commit order:
 * PushTopic notifications (WHERE match, NotifyForOperation* and NotifyForFields, Salesforce's event notification
 * rules) and Change Data Capture events for the enabled types. The channels it appended to are kept for the caller
 * to pump once the lock is released.
 */
final class RecordEvents implements OrgData.Observer {
    /**
     * The system datetime fields a change event carries, written as change events write datetimes
     * ({@code 2017-07-25T19:16:44Z}) rather than as REST does ({@code 2017-07-25T19:16:44.000+0000}).
     */
    private static final Set<String> CHANGE_EVENT_DATES = Set.of("CreatedDate", "LastModifiedDate");

    private final OrgData org;
    private final StreamingHub hub;
    private final Set<String> cdcTypes;
    private final Map<String, CompiledQuery> compiled = new ConcurrentHashMap<>();
    private final Set<String> touched = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> topicNames = new ConcurrentHashMap<>();
    private final AtomicLong commitNumber = new AtomicLong(1_000_000);

    RecordEvents(OrgData org, StreamingHub hub, Set<String> cdcTypes) {
        this.org = org;
        this.hub = hub;
        this.cdcTypes = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        this.cdcTypes.addAll(cdcTypes);
    }

    /** The compiled form of a PushTopic query, cached by its text. */
    CompiledQuery compile(String query) {
        return compiled.computeIfAbsent(query,
                q -> CompiledQuery.compile(Soql.parse(q), org.clock(), sub -> List.of()));
    }

    boolean cdcEnabled(String sobjectType) {
        return cdcTypes.contains(sobjectType);
    }

    /** The change event channel of a type: {@code /data/AccountChangeEvent}, {@code /data/Employee__ChangeEvent}. */
    static String changeEventChannel(String sobjectType) {
        String base = sobjectType.toLowerCase(Locale.ROOT).endsWith("__c")
                ? sobjectType.substring(0, sobjectType.length() - 1) : sobjectType;
        return "/data/" + base + "ChangeEvent";
    }

    /** Channels appended to since the last call, to pump after the org lock is released. */
    Set<String> drainTouched() {
        Set<String> out = new TreeSet<>(touched);
        touched.removeAll(out);
        return out;
    }

    @Override
    public void committed(RecordChange change) {
        rememberTopicName(change);
        pushTopics(change);
        if (cdcEnabled(change.sobjectType())) {
            changeEvent(change);
        }
    }

    /** Keeps every name a PushTopic has had, so that a rename leaves the old channel's live subscribers served. */
    private void rememberTopicName(RecordChange change) {
        if (change.sobjectType().equalsIgnoreCase("PushTopic") && change.after() != null) {
            topicNames.computeIfAbsent(change.id(), id -> ConcurrentHashMap.newKeySet())
                    .add(String.valueOf(change.after().get("Name")));
        }
    }

    /**
     * The channels a topic's notification goes to: {@code /topic/<Name>}, and each former name of the topic that
     * still has live subscribers and that no active topic has taken since: Salesforce's PushTopic Queries page says
     * that renaming a topic does not affect live subscriptions and that new subscribers must use the new name.
     * Subscribing to a former name is refused, as the name no longer resolves to an active topic.
     */
    private List<String> channelsOf(Map<String, Object> topic, Set<String> activeNames) {
        String name = String.valueOf(topic.get("Name"));
        List<String> channels = new ArrayList<>();
        channels.add("/topic/" + name);
        for (String former : topicNames.getOrDefault(String.valueOf(topic.get("Id")), Set.of())) {
            if (!former.equals(name) && !activeNames.contains(former) && hub.hasSubscribers("/topic/" + former)) {
                channels.add("/topic/" + former);
            }
        }
        return channels;
    }

    private void pushTopics(RecordChange change) {
        List<Map<String, Object>> topics = org.records("PushTopic").stream()
                .filter(t -> Boolean.TRUE.equals(t.get("IsActive"))).toList();
        Set<String> activeNames = new TreeSet<>();
        topics.forEach(t -> activeNames.add(String.valueOf(t.get("Name"))));
        for (Map<String, Object> topic : topics) {
            CompiledQuery query;
            try {
                query = compile(String.valueOf(topic.get("Query")));
            } catch (MalformedQueryException | IllegalArgumentException e) {
                continue; // stored topics were validated; a query that cannot run notifies nobody
            }
            if (!query.sobjectType().equalsIgnoreCase(change.sobjectType()) || !notifies(topic, query, change)) {
                continue;
            }
            Map<String, Object> current = change.current();
            Map<String, Object> sobject = change.operation() == RecordChange.Operation.DELETE
                    ? Map.of("Id", change.id()) : query.project(current);
            Instant at = change.at();
            for (String channel : channelsOf(topic, activeNames)) {
                hub.append(channel, at, replayId -> {
                    Map<String, Object> event = new LinkedHashMap<>();
                    event.put("createdDate", SalesforceTime.event(at));
                    event.put("replayId", replayId);
                    event.put("type", change.operation().pushTopicType());
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("event", event);
                    data.put("sobject", sobject);
                    return data;
                }, current, null);
                touched.add(channel);
            }
        }
    }

    private static boolean notifies(Map<String, Object> topic, CompiledQuery query, RecordChange change) {
        return switch (change.operation()) {
            case CREATE -> flag(topic, "NotifyForOperationCreate") && query.matches(change.after());
            case UNDELETE -> flag(topic, "NotifyForOperationUndelete") && query.matches(change.after());
            case DELETE -> flag(topic, "NotifyForOperationDelete") && query.matches(change.before());
            case UPDATE -> flag(topic, "NotifyForOperationUpdate") && query.matches(change.after())
                    && fieldsNotify(NotifyForFields.fromSalesforceName(String.valueOf(topic.get("NotifyForFields"))),
                            query, change.changedFields());
        };
    }

    /**
     * Which changed fields make an update notify, by NotifyForFields: {@code All} any field, {@code Referenced} a
     * SELECT or WHERE field, {@code Select} a SELECT field, {@code Where} a WHERE field.
     */
    static boolean fieldsNotify(NotifyForFields mode, CompiledQuery query, Set<String> changed) {
        if (changed.isEmpty()) {
            return false;
        }
        return switch (mode) {
            case ALL -> true;
            case REFERENCED -> query.selectsAnyOf(changed) || query.filtersOnAnyOf(changed);
            case SELECT -> query.selectsAnyOf(changed);
            case WHERE -> query.filtersOnAnyOf(changed);
        };
    }

    private static boolean flag(Map<String, Object> topic, String field) {
        return Boolean.TRUE.equals(topic.get(field));
    }

    /**
     * Puts a record field into a change event's payload, a component nested in its compound field
     * ({@link CompoundFields}); returns the name {@code changedFields} gives it.
     */
    @SuppressWarnings("unchecked")
    private static String put(Map<String, Object> payload, String type, String field, Object value) {
        CompoundFields.Component c = CompoundFields.of(type, field);
        if (c == null) {
            payload.put(field, value);
            return field;
        }
        ((Map<String, Object>) payload.computeIfAbsent(c.compound(), k -> new LinkedHashMap<>()))
                .put(c.component(), value);
        return c.path();
    }

    private void changeEvent(RecordChange change) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("entityName", change.sobjectType());
        header.put("recordIds", List.of(change.id()));
        header.put("changeType", change.operation().changeType());
        header.put("changeOrigin", "com/salesforce/api/rest/64.0");
        header.put("transactionKey", UUID.randomUUID().toString());
        header.put("sequenceNumber", 1);
        header.put("commitTimestamp", change.at().toEpochMilli());
        header.put("commitNumber", commitNumber.incrementAndGet());
        header.put("commitUser", change.userId());
        List<String> changedFields = new ArrayList<>();
        List<String> nulledFields = new ArrayList<>();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("ChangeEventHeader", header);
        String type = change.sobjectType();
        switch (change.operation()) {
            case CREATE, UNDELETE -> change.after().forEach((field, value) -> {
                if (value != null && !field.equalsIgnoreCase("Id") && !field.equalsIgnoreCase("IsDeleted")
                        && !field.equalsIgnoreCase("SystemModstamp") && !CompoundFields.isDerived(type, field)) {
                    put(payload, type, field, CHANGE_EVENT_DATES.contains(field)
                            ? SalesforceTime.changeEvent(SalesforceTime.parseRecord(value.toString())) : value);
                }
            });
            case UPDATE -> {
                for (String field : change.changedFields()) {
                    if (CompoundFields.isDerived(type, field)) {
                        continue; // its components are reported instead
                    }
                    Object value = change.after().get(field);
                    String name = put(payload, type, field, value);
                    changedFields.add(name);
                    if (value == null) {
                        nulledFields.add(name);
                    }
                }
                payload.put("LastModifiedDate", SalesforceTime.changeEvent(change.at()));
                changedFields.add("LastModifiedDate");
            }
            case DELETE -> {
                // a delete event carries the header only
            }
        }
        header.put("changedFields", changedFields);
        header.put("nulledFields", nulledFields);
        header.put("diffFields", List.of());
        header.put("isTransactionEnd", true);
        String schema = Schemas.idOf(change.sobjectType() + "ChangeEvent");
        for (String channel : List.of(changeEventChannel(change.sobjectType()), "/data/ChangeEvents")) {
            hub.append(channel, change.at(), replayId -> {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("schema", schema);
                data.put("payload", payload);
                data.put("event", Map.of("replayId", replayId));
                return data;
            }, null, null); // no record: only PushTopic subscriptions take a filter
            touched.add(channel);
        }
    }
}
