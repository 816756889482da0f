package dev.sfstream.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.soql.NotifyForFields;

/**
 * A PushTopic as stored in the org: its record ID and the fields of its definition.
 */
public record PushTopic(String id, PushTopicDefinition definition) {
    /** The channel: {@code /topic/<name>}. */
    public String channel() {
        return definition.channel();
    }

    public String name() {
        return definition.name();
    }

    public boolean active() {
        return definition.active();
    }

    static final String FIELDS = "Id, Name, Query, ApiVersion, IsActive, NotifyForFields, NotifyForOperationCreate, "
            + "NotifyForOperationUpdate, NotifyForOperationDelete, NotifyForOperationUndelete, Description";

    static PushTopic from(JsonNode r) {
        String version = r.path("ApiVersion").asText("64.0");
        if (!version.contains(".")) {
            version = version + ".0";
        }
        return new PushTopic(r.path("Id").asText(), new PushTopicDefinition(r.path("Name").asText(),
                r.path("Query").asText(), version,
                NotifyForFields.fromSalesforceName(r.path("NotifyForFields").asText("Referenced")),
                r.path("NotifyForOperationCreate").asBoolean(true), r.path("NotifyForOperationUpdate").asBoolean(true),
                r.path("NotifyForOperationDelete").asBoolean(true),
                r.path("NotifyForOperationUndelete").asBoolean(true),
                r.path("Description").isNull() ? null : r.path("Description").asText(null),
                r.path("IsActive").asBoolean(true)));
    }
}
