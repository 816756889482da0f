package dev.sfstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.internal.Json;
import java.util.ArrayList;
import java.util.List;

/** Typed views of an event's {@code data}, one per channel family; obtained from {@link StreamingEvent}. */
public final class Notifications {
    private Notifications() {
    }

    /**
     * A PushTopic notification: the record event ({@code created}, {@code updated}, {@code deleted},
     * {@code undeleted}) and the record's SELECT fields.
     */
    public record PushTopic(String type, JsonNode sobject) {
        /** The record mapped to a type of yours with Jackson. */
        public <T> T sobjectAs(Class<T> type) {
            return Json.MAPPER.convertValue(sobject, type);
        }
    }

    /** A generic streaming notification: its string payload. */
    public record Generic(String payload) {
    }

    /** A platform event: its schema ID, its fields and its EventUuid. */
    public record PlatformEvent(String schema, JsonNode payload, String eventUuid) {
        public <T> T payloadAs(Class<T> type) {
            return Json.MAPPER.convertValue(payload, type);
        }
    }

    /** A change event: its schema ID, its header and its changed fields. */
    public record ChangeEvent(String schema, ChangeEventHeader header, JsonNode payload) {
        public <T> T payloadAs(Class<T> type) {
            return Json.MAPPER.convertValue(payload, type);
        }
    }

    static ChangeEventHeader header(JsonNode h) {
        return new ChangeEventHeader(h.path("entityName").asText(null), strings(h.path("recordIds")),
                h.path("changeType").asText(null), h.path("changeOrigin").asText(null),
                h.path("transactionKey").asText(null), h.path("sequenceNumber").asLong(),
                h.path("isTransactionEnd").asBoolean(), h.path("commitTimestamp").asLong(),
                h.path("commitNumber").asLong(), h.path("commitUser").asText(null), strings(h.path("changedFields")),
                strings(h.path("nulledFields")), strings(h.path("diffFields")));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
