package dev.sfstream.rest;

import dev.sfstream.RestException;
import dev.sfstream.auth.AccessToken;
import dev.sfstream.soql.NotifyForFields;
import dev.sfstream.soql.PushTopicRules;
import dev.sfstream.soql.Soql;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A PushTopic on every change of one sObject type, the Java form of nameko-salesforce's
 * {@code handle_sobject_notification}, done right:
 * <ul>
 *   <li>the query is {@code SELECT Id, LastModifiedById, LastModifiedDate [, fields] FROM <type>}: no {@code Name},
 *       which Task and Case do not have;</li>
 *   <li>{@code WHERE RecordTypeId = '<id>'} when a record type is named (looked up by DeveloperName, cached), and
 *       {@code LastModifiedById != '<user id>'} when the authenticated user's own changes are excluded;</li>
 *   <li>every literal is escaped, so a record type name with quotes or backslashes cannot change the query;</li>
 *   <li>NotifyForFields is {@code All} by default: every change of a record notifies (with {@code Referenced}, an
 *       update of a field outside the short select list would not);</li>
 *   <li>the topic name is deterministic and at most 25 characters: type and record type, shortened with a stable
 *       hash when longer, so every instance of a service declares the same topic.</li>
 * </ul>
 */
public final class SObjectTopic {
    private static final Map<String, String> RECORD_TYPE_IDS = new ConcurrentHashMap<>();

    private final String sobjectType;
    private final String recordType;
    private final boolean excludeCurrentUser;
    private final List<String> fields;
    private final NotifyForFields notifyForFields;
    private final boolean create;
    private final boolean update;
    private final boolean delete;
    private final boolean undelete;
    private final String apiVersion;

    private SObjectTopic(Builder b) {
        this.sobjectType = b.sobjectType;
        this.recordType = b.recordType;
        this.excludeCurrentUser = b.excludeCurrentUser;
        this.fields = List.copyOf(b.fields);
        this.notifyForFields = b.notifyForFields;
        this.create = b.create;
        this.update = b.update;
        this.delete = b.delete;
        this.undelete = b.undelete;
        this.apiVersion = b.apiVersion;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String sobjectType() {
        return sobjectType;
    }

    /** The record type's DeveloperName, or {@code null}. */
    public String recordType() {
        return recordType;
    }

    /** The topic's name: type and record type, at most 25 characters. */
    public String name() {
        return topicName(sobjectType, recordType);
    }

    /** The channel: {@code /topic/<name>}. */
    public String channel() {
        return "/topic/" + name();
    }

    /**
     * The PushTopic definition, resolving the record type ID and the current user's ID over REST.
     *
     * @throws RestException when the record type does not exist for the type
     */
    public PushTopicDefinition definition(SalesforceRest rest) {
        String recordTypeId = recordType == null ? null : recordTypeId(rest);
        String userId = null;
        if (excludeCurrentUser) {
            AccessToken token = rest.authenticator().token();
            if (token.userId() == null) {
                throw new IllegalStateException("excludeCurrentUser needs the user ID of the token, and this "
                        + "authenticator does not know it (a static token without userId?)");
            }
            userId = token.userId();
        }
        return definition(recordTypeId, userId);
    }

    /** The definition for a known record type ID and user ID (either may be {@code null}). */
    public PushTopicDefinition definition(String recordTypeId, String currentUserId) {
        Set<String> select = new LinkedHashSet<>(List.of("Id", "LastModifiedById", "LastModifiedDate"));
        for (String f : fields) {
            if (select.stream().noneMatch(s -> s.equalsIgnoreCase(f))) {
                select.add(f);
            }
        }
        List<String> where = new ArrayList<>();
        if (recordTypeId != null) {
            where.add("RecordTypeId = " + Soql.quote(recordTypeId));
        }
        if (currentUserId != null) {
            where.add("LastModifiedById != " + Soql.quote(currentUserId));
        }
        String query = "SELECT " + String.join(", ", select) + " FROM " + sobjectType
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where));
        return PushTopicDefinition.builder().name(name()).query(query).apiVersion(apiVersion)
                .notifyForFields(notifyForFields).notifyForOperationCreate(create).notifyForOperationUpdate(update)
                .notifyForOperationDelete(delete).notifyForOperationUndelete(undelete)
                .description("sfstream: changes of " + sobjectType + (recordType == null ? "" : " (" + recordType
                        + ")"))
                .build();
    }

    private String recordTypeId(SalesforceRest rest) {
        String key = rest.authenticator().token().instanceUrl() + "|" + sobjectType + "|" + recordType;
        String cached = RECORD_TYPE_IDS.get(key);
        if (cached != null) {
            return cached;
        }
        var records = rest.query("SELECT Id FROM RecordType WHERE SobjectType = " + Soql.quote(sobjectType)
                + " AND DeveloperName = " + Soql.quote(recordType)).records();
        if (records.isEmpty()) {
            throw new RestException(404, List.of(new RestException.Error("NOT_FOUND", "no record type with "
                    + "DeveloperName '" + recordType + "' on " + sobjectType, List.of("RecordType"))),
                    "record type look-up");
        }
        String id = records.get(0).path("Id").asText();
        RECORD_TYPE_IDS.put(key, id);
        return id;
    }

    /**
     * The deterministic topic name of a type and record type: {@code Contact_Student}; when longer than 25
     * characters, or when it holds characters a name cannot, a prefix and a stable hash of the full name.
     */
    static String topicName(String sobjectType, String recordType) {
        String full = recordType == null ? sobjectType : sobjectType + "_" + recordType;
        boolean clean = full.matches("[A-Za-z0-9_]+");
        if (clean && full.length() <= PushTopicRules.MAX_NAME_LENGTH) {
            return full;
        }
        String hash = hash(full);
        String prefix = full.replaceAll("[^A-Za-z0-9_]", "_");
        int keep = PushTopicRules.MAX_NAME_LENGTH - hash.length() - 1;
        return prefix.substring(0, Math.min(prefix.length(), keep)) + "_" + hash;
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 5; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            String base36 = Long.toString(v, 36);
            return ("0000000" + base36).substring(base36.length());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    @Override
    public String toString() {
        return "SObjectTopic[" + name() + ", excludeCurrentUser=" + excludeCurrentUser + "]";
    }

    /** Builds an {@link SObjectTopic}; the sObject type is required. */
    public static final class Builder {
        private String sobjectType;
        private String recordType;
        private boolean excludeCurrentUser;
        private final List<String> fields = new ArrayList<>();
        private NotifyForFields notifyForFields = NotifyForFields.ALL;
        private boolean create = true;
        private boolean update = true;
        private boolean delete = true;
        private boolean undelete = true;
        private String apiVersion = "64.0";

        private Builder() {
        }

        public Builder sobjectType(String sobjectType) {
            this.sobjectType = sobjectType;
            return this;
        }

        /** A record type's DeveloperName, to notify only for records of that type. */
        public Builder recordType(String recordType) {
            this.recordType = recordType;
            return this;
        }

        /** Leave out changes made by the authenticated user (false by default: that surprises fewer people). */
        public Builder excludeCurrentUser(boolean exclude) {
            this.excludeCurrentUser = exclude;
            return this;
        }

        /** More fields to select, beyond Id, LastModifiedById and LastModifiedDate. */
        public Builder fields(String... fields) {
            this.fields.addAll(List.of(fields));
            return this;
        }

        /** Which field changes notify on update; {@code All} by default. */
        public Builder notifyForFields(NotifyForFields mode) {
            this.notifyForFields = Objects.requireNonNull(mode, "notifyForFields");
            return this;
        }

        public Builder notifyForOperationCreate(boolean notify) {
            this.create = notify;
            return this;
        }

        public Builder notifyForOperationUpdate(boolean notify) {
            this.update = notify;
            return this;
        }

        public Builder notifyForOperationDelete(boolean notify) {
            this.delete = notify;
            return this;
        }

        public Builder notifyForOperationUndelete(boolean notify) {
            this.undelete = notify;
            return this;
        }

        public Builder apiVersion(String apiVersion) {
            this.apiVersion = apiVersion;
            return this;
        }

        /** @throws IllegalArgumentException when the type or a field is not a valid API name */
        public SObjectTopic build() {
            if (sobjectType == null || !sobjectType.matches("[A-Za-z][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("sobjectType must be an API name such as Contact or Invoice__c, "
                        + "got '" + sobjectType + "'");
            }
            for (String f : fields) {
                if (f == null || !f.matches("[A-Za-z][A-Za-z0-9_]*")) {
                    throw new IllegalArgumentException("field must be an API name such as Email or Status__c, got '"
                            + f + "'");
                }
            }
            if (recordType != null && recordType.isBlank()) {
                recordType = null;
            }
            return new SObjectTopic(this);
        }
    }
}
