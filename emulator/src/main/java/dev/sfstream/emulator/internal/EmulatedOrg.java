package dev.sfstream.emulator.internal;

import dev.sfstream.emulator.ConnectedApp;
import dev.sfstream.emulator.EmulatorUser;
import dev.sfstream.soql.CompiledQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The emulated org as a whole: its users and connected apps, tokens, records, and the streaming events they cause.
 * Every change made here (REST, fault endpoints, Java API) is committed, turned into events in commit order, then
 * handed to subscribers. Thread-safe.
 */
public final class EmulatedOrg {
    private final Settings settings;
    private final OrgClock clock;
    private final SalesforceIds ids = new SalesforceIds("5J");
    private final OrgData data;
    private final StreamingHub hub;
    private final RecordEvents events;
    private final TokenStore tokens;
    private final String orgId;
    private final Map<String, String> userIds = new ConcurrentHashMap<>();
    private final Map<String, EmulatorUser> usersByName = new ConcurrentHashMap<>();
    private final Map<String, ConnectedApp> apps = new ConcurrentHashMap<>();
    private final String adminUserId;

    public EmulatedOrg(Settings settings) {
        this.settings = settings;
        this.clock = new OrgClock(settings.clock());
        this.data = new OrgData(ids, clock);
        this.hub = new StreamingHub(clock, settings.replayBatchSize(), settings.retainedEventsPerChannel(),
                settings.retainedEventBytes(), settings.dailyDeliveryLimit());
        this.events = new RecordEvents(data, hub, settings.changeDataCaptureTypes());
        OrgSnapshot.Loaded loaded = settings.dataFile() != null && java.nio.file.Files.exists(settings.dataFile())
                ? OrgSnapshot.read(settings.dataFile()) : null;
        if (loaded != null) {
            ids.restoreCounter(loaded.idCounter());
            data.restore(loaded.records());
            hub.restore(loaded.channels());
        }
        this.orgId = loaded != null ? loaded.orgId() : ids.next("Organization");
        this.tokens = new TokenStore(clock, orgId, settings.tokenLifetime());
        data.setValidator("PushTopic", new PushTopicValidator());
        data.setValidator("StreamingChannel", new StreamingChannelValidator());
        data.addObserver(events);
        String first = null;
        for (EmulatorUser user : settings.users()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("Username", user.username());
            fields.put("FirstName", user.firstName().isEmpty() ? null : user.firstName());
            fields.put("LastName", user.lastName());
            fields.put("Email", user.username());
            fields.put("IsActive", true);
            String id = existingUser(user.username())
                    .orElseGet(() -> data.create("User", fields, "005000000000000AAA").id());
            userIds.put(user.username().toLowerCase(Locale.ROOT), id);
            usersByName.put(user.username().toLowerCase(Locale.ROOT), user);
            if (first == null) {
                first = id;
            }
        }
        this.adminUserId = first;
        settings.apps().forEach(app -> apps.put(app.clientId(), app));
    }

    private Optional<String> existingUser(String username) {
        for (Map<String, Object> u : data.records("User")) {
            if (username.equalsIgnoreCase(String.valueOf(u.get("Username")))) {
                return Optional.of(String.valueOf(u.get("Id")));
            }
        }
        return Optional.empty();
    }

    /** Writes the org to the settings' data file, when there is one. */
    public void save() throws java.io.IOException {
        if (settings.dataFile() != null) {
            OrgSnapshot.write(settings.dataFile(), orgId, ids, data, hub, clock.instant());
        }
    }

    public Settings settings() {
        return settings;
    }

    public OrgClock clock() {
        return clock;
    }

    public OrgData data() {
        return data;
    }

    public StreamingHub hub() {
        return hub;
    }

    public TokenStore tokens() {
        return tokens;
    }

    public String orgId() {
        return orgId;
    }

    /** The first configured user, who owns changes made through the Java API and fault endpoints. */
    public String adminUserId() {
        return adminUserId;
    }

    public Optional<EmulatorUser> user(String username) {
        return username == null ? Optional.empty()
                : Optional.ofNullable(usersByName.get(username.toLowerCase(Locale.ROOT)));
    }

    public Optional<String> userId(String username) {
        return username == null ? Optional.empty()
                : Optional.ofNullable(userIds.get(username.toLowerCase(Locale.ROOT)));
    }

    public Optional<ConnectedApp> app(String clientId) {
        return clientId == null ? Optional.empty() : Optional.ofNullable(apps.get(clientId));
    }

    // ---------------------------------------------------------------- DML, then delivery

    public RecordChange create(String type, Map<String, ?> fields, String userId) {
        try {
            return data.create(type, fields, userId);
        } finally {
            deliver();
        }
    }

    public RecordChange update(String type, String id, Map<String, ?> fields, String userId) {
        try {
            return data.update(type, id, fields, userId);
        } finally {
            deliver();
        }
    }

    public RecordChange delete(String type, String id, String userId) {
        try {
            return data.delete(type, id, userId);
        } finally {
            deliver();
        }
    }

    public RecordChange undelete(String id, String userId) {
        try {
            return data.undelete(id, userId);
        } finally {
            deliver();
        }
    }

    private void deliver() {
        for (String channel : events.drainTouched()) {
            hub.pump(channel);
        }
    }

    // ---------------------------------------------------------------- events without records

    /**
     * Publishes a platform event on {@code /event/<type>}: the payload is the given fields plus CreatedDate and
     * CreatedById; the event gets an EventUuid and a replay ID. A text field over 131,072 characters, or a payload
     * over 1 MB as JSON, is refused ({@link SizeLimits}) and nothing is retained.
     *
     * @return the event's ID and its EventUuid
     */
    public PublishedEvent publishPlatformEvent(String type, Map<String, ?> fields, String userId) {
        return publishPlatformEvent(type, fields, userId, null);
    }

    /**
     * Publishes a platform event as {@link #publishPlatformEvent(String, Map, String)} does, with the CreatedById and
     * CreatedDate the publisher gave, as the Pub/Sub API's publishers give them in the payload ({@code null}: now).
     * Retention still counts from the moment it is published.
     */
    public PublishedEvent publishPlatformEvent(String type, Map<String, ?> fields, String userId,
            Instant createdDate) {
        ApiNames.checkType(type);
        Instant at = clock.instant();
        PlatformEventSchema declared = declaredEvent(type);
        String name = declared == null ? type : declared.name();
        String channel = "/event/" + name;
        String uuid = UUID.randomUUID().toString();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("CreatedDate", SalesforceTime.event(createdDate == null ? at : createdDate));
        payload.put("CreatedById", userId);
        if (declared != null) {
            declared.fields().forEach(f -> payload.put(f, null));
        }
        fields.forEach((given, value) -> {
            if (given.equals("attributes")) {
                return;
            }
            ApiNames.checkField(name, given);
            String field = declared == null ? given : declared.field(given);
            if (field == null) {
                throw new DmlException(400, "INVALID_FIELD", "No such column '" + given + "' on sobject of type "
                        + name);
            }
            SizeLimits.checkFieldValue(field, value);
            payload.put(field, value);
        });
        SizeLimits.checkPlatformEvent(payload);
        String schema = Schemas.idOf(declared == null ? type + new TreeMap<>(fields).keySet()
                : name + declared.fields());
        RetainedEvent appended = hub.append(channel, at, replayId -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("EventUuid", uuid);
            event.put("replayId", replayId);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("schema", schema);
            d.put("payload", payload);
            d.put("event", event);
            return d;
        }, null, null);
        hub.pump(channel);
        return new PublishedEvent(ids.next(name), uuid, appended.replayId);
    }

    /** A published platform event: its record ID, EventUuid and replay ID. */
    public record PublishedEvent(String id, String eventUuid, long replayId) {
    }

    /** A platform event declared in the settings, by name in any case, or {@code null}. */
    public PlatformEventSchema declaredEvent(String type) {
        return settings.platformEventSchemas().get(type.toLowerCase(Locale.ROOT));
    }

    /**
     * Pushes a payload on a generic channel, to everybody subscribed ({@code userIds} empty) or to those users.
     *
     * @return how many sessions it reached: -1 for a broadcast, as Salesforce answers
     */
    public int pushGeneric(String channel, String payload, Set<String> userIds) {
        Instant at = clock.instant();
        Set<String> targets = userIds == null || userIds.isEmpty() ? null : Set.copyOf(to18(userIds));
        hub.append(channel, at, replayId -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("createdDate", SalesforceTime.event(at));
            event.put("replayId", replayId);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("event", event);
            d.put("payload", payload);
            return d;
        }, null, targets);
        hub.pump(channel);
        return targets == null ? -1 : targets.size();
    }

    private static List<String> to18(Set<String> ids) {
        List<String> out = new ArrayList<>();
        ids.forEach(id -> out.add(SalesforceIds.to18(id)));
        return out;
    }

    // ---------------------------------------------------------------- channels

    /** An active PushTopic by exact (case-sensitive) name. */
    public Optional<Map<String, Object>> activePushTopic(String name) {
        for (Map<String, Object> topic : data.records("PushTopic")) {
            if (name.equals(topic.get("Name")) && Boolean.TRUE.equals(topic.get("IsActive"))) {
                return Optional.of(topic);
            }
        }
        return Optional.empty();
    }

    /** A StreamingChannel record by exact name ({@code /u/...}). */
    public Optional<Map<String, Object>> streamingChannel(String name) {
        for (Map<String, Object> channel : data.records("StreamingChannel")) {
            if (name.equals(channel.get("Name"))) {
                return Optional.of(channel);
            }
        }
        return Optional.empty();
    }

    /** The compiled query of a PushTopic. */
    public CompiledQuery compiledQuery(Map<String, Object> topic) {
        return events.compile(String.valueOf(topic.get("Query")));
    }

    /** The users subscribed to a generic channel right now. */
    public Set<String> onlineUsers(String channel) {
        return hub.subscribedUsers(channel);
    }

    /** Whether Change Data Capture is enabled for a type. */
    public boolean cdcEnabled(String type) {
        return events.cdcEnabled(type);
    }

    /** Whether {@code /data/...} names a change event channel of this org. */
    public boolean isChangeEventChannel(String channel) {
        if (channel.equals("/data/ChangeEvents")) {
            return true;
        }
        for (String type : settings.changeDataCaptureTypes()) {
            if (channel.equals(RecordEvents.changeEventChannel(type))) {
                return true;
            }
        }
        return false;
    }
}
