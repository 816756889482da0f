package dev.sfstream.emulator.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An event as the console's live stream shows it: its channel, replay ID, creation time, a one-word type, and the
 * message as subscribers receive it ({@code channel} and {@code data}, the same JSON a Streaming API client gets).
 */
final class ConsoleEvents {
    private ConsoleEvents() {
    }

    static Map<String, Object> describe(String channel, RetainedEvent event) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channel", channel);
        m.put("replayId", event.replayId);
        m.put("createdDate", SalesforceTime.event(event.createdAt));
        m.put("type", type(channel, event.data));
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("channel", channel);
        message.put("data", event.data);
        m.put("message", message);
        return m;
    }

    /**
     * What happened: a PushTopic event's {@code type} (created, updated, deleted, undeleted), a change event's
     * {@code changeType} (CREATE, UPDATE, ...), {@code event} for a platform event (its channel names its type), or
     * {@code generic}.
     */
    static String type(String channel, Map<String, Object> data) {
        if (channel.startsWith("/topic/")) {
            return String.valueOf(child(data, "event").get("type"));
        }
        if (channel.startsWith("/data/")) {
            return String.valueOf(child(child(data, "payload"), "ChangeEventHeader").get("changeType"));
        }
        return channel.startsWith("/event/") ? "event" : "generic";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> map, String key) {
        return map.get(key) instanceof Map<?, ?> child ? (Map<String, Object>) child : Map.of();
    }
}
