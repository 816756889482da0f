package dev.sfstream.rest;

import dev.sfstream.soql.NotifyForFields;
import dev.sfstream.soql.PushTopicRules;
import dev.sfstream.soql.RuleViolation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a PushTopic should be: its name (the channel is {@code /topic/<name>}), query, API version and notification
 * rules. Defaults are Salesforce's: NotifyForFields {@code Referenced}, every operation notifies, active.
 *
 * <pre>{@code
 * PushTopicDefinition topic = PushTopicDefinition.builder()
 *         .name("ContactNameUpdated")
 *         .query("SELECT Id, FirstName, LastName FROM Contact")
 *         .notifyForFields(NotifyForFields.SELECT)
 *         .notifyForOperationCreate(false)
 *         .build();
 * }</pre>
 */
public record PushTopicDefinition(String name, String query, String apiVersion, NotifyForFields notifyForFields,
        boolean notifyForOperationCreate, boolean notifyForOperationUpdate, boolean notifyForOperationDelete,
        boolean notifyForOperationUndelete, String description, boolean active) {

    public PushTopicDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(notifyForFields, "notifyForFields");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same definition under another name (a stored topic's spelling of it). */
    public PushTopicDefinition withName(String otherName) {
        return otherName.equals(name) ? this : new PushTopicDefinition(otherName, query, apiVersion, notifyForFields,
                notifyForOperationCreate, notifyForOperationUpdate, notifyForOperationDelete,
                notifyForOperationUndelete, description, active);
    }

    /** The channel of this topic: {@code /topic/<name>}. */
    public String channel() {
        return "/topic/" + name;
    }

    /**
     * Checks the definition offline with Salesforce's rules and texts (name length, query length, the PushTopic
     * query rules, the NotifyForFields preconditions).
     *
     * @return every violation; empty when Salesforce would accept it
     */
    public List<RuleViolation> violations() {
        double version;
        try {
            version = Double.parseDouble(apiVersion);
        } catch (NumberFormatException e) {
            return List.of(new RuleViolation("INVALID_TYPE", "ApiVersion: not a number: " + apiVersion,
                    List.of("ApiVersion")));
        }
        return PushTopicRules.check(name, query, version, description, notifyForFields);
    }

    /** The record fields, as the REST API takes them. */
    Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Name", name);
        f.put("Query", query);
        f.put("ApiVersion", Double.parseDouble(apiVersion));
        f.put("NotifyForFields", notifyForFields.salesforceName());
        f.put("NotifyForOperationCreate", notifyForOperationCreate);
        f.put("NotifyForOperationUpdate", notifyForOperationUpdate);
        f.put("NotifyForOperationDelete", notifyForOperationDelete);
        f.put("NotifyForOperationUndelete", notifyForOperationUndelete);
        f.put("Description", description);
        f.put("IsActive", active);
        return f;
    }

    /** Builds a {@link PushTopicDefinition}; name and query are required. */
    public static final class Builder {
        private String name;
        private String query;
        private String apiVersion = "64.0";
        private NotifyForFields notifyForFields = NotifyForFields.REFERENCED;
        private boolean create = true;
        private boolean update = true;
        private boolean delete = true;
        private boolean undelete = true;
        private String description;
        private boolean active = true;

        private Builder() {
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder query(String query) {
            this.query = query;
            return this;
        }

        /** The API version the query runs at; 64.0 by default. */
        public Builder apiVersion(String apiVersion) {
            this.apiVersion = apiVersion;
            return this;
        }

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

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder active(boolean active) {
            this.active = active;
            return this;
        }

        /** Builds the definition; {@link #violations()} checks it against Salesforce's rules. */
        public PushTopicDefinition build() {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name is required");
            }
            if (query == null || query.isBlank()) {
                throw new IllegalArgumentException("query is required");
            }
            return new PushTopicDefinition(name, query, apiVersion, notifyForFields, create, update, delete, undelete,
                    description, active);
        }
    }
}
