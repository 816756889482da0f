package dev.sfstream.bayeux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.StreamingEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One Bayeux message as received: a thin view over its JSON object, parsed once. Meta replies are read through
 * the accessors; events are handed on with their JSON untouched.
 */
public record Message(ObjectNode json) {
    public String channel() {
        return text("channel");
    }

    public String id() {
        return text("id");
    }

    public String clientId() {
        return text("clientId");
    }

    public String subscription() {
        return text("subscription");
    }

    public boolean isMeta() {
        return MetaChannel.isMeta(channel());
    }

    public boolean successful() {
        return json.path("successful").asBoolean(false);
    }

    /** The {@code error} field, read apart. */
    public Optional<BayeuxError> error() {
        JsonNode e = json.get("error");
        return e == null || e.isNull() ? Optional.empty() : Optional.of(BayeuxError.parse(e.asText()));
    }

    /** Salesforce's {@code ext.sfdc.failureReason}, read apart. */
    public Optional<BayeuxError> failureReason() {
        JsonNode r = json.path("ext").path("sfdc").get("failureReason");
        return r == null || r.isNull() ? Optional.empty() : Optional.of(BayeuxError.parse(r.asText()));
    }

    /** The {@code advice} object, if any. */
    public JsonNode advice() {
        return json.get("advice");
    }

    public JsonNode ext() {
        return json.path("ext");
    }

    private String text(String field) {
        JsonNode n = json.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** The reason to show for a failed reply: {@code error}, with {@code failureReason} when there is one. */
    public String describeFailure() {
        String e = error().map(BayeuxError::raw).orElse(null);
        String r = failureReason().map(BayeuxError::raw).orElse(null);
        if (e != null && r != null) {
            return e + " (" + r + ")";
        }
        return e != null ? e : r != null ? r : "no error given";
    }

    /** The events (non-meta messages) of a response, in order, as received now. */
    static List<StreamingEvent> events(List<Message> msgs) {
        List<StreamingEvent> events = List.of();
        Instant now = null;
        for (Message m : msgs) {
            if (!m.isMeta()) {
                if (now == null) {
                    events = new ArrayList<>(msgs.size());
                    now = Instant.now();
                }
                events.add(StreamingEvent.of(m.json(), now));
            }
        }
        return events;
    }

    /** The first message of a channel in a response; {@code null} when there is none. */
    static Message find(List<Message> msgs, String channel) {
        for (Message m : msgs) {
            if (channel.equals(m.channel())) {
                return m;
            }
        }
        return null;
    }
}
