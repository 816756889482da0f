package dev.sfstream.bayeux;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Locale;

/**
 * A Bayeux {@code advice}: what the server wants the client to do next, and when. Durations are
 * {@link Duration}s: Salesforce's {@code timeout} of 110000 is 110 seconds, never 110000 seconds.
 *
 * @param reconnect {@code retry} (connect again), {@code handshake} (start a new session) or {@code none}
 * @param interval how long to wait before the next connect
 * @param timeout how long the server holds a connect
 */
public record Advice(Reconnect reconnect, Duration interval, Duration timeout) {
    /** What Salesforce advises after a handshake: connect at once, held for 110 seconds. */
    public static final Advice DEFAULT = new Advice(Reconnect.RETRY, Duration.ZERO, Duration.ofSeconds(110));

    /** The three reconnect advices of Bayeux. */
    public enum Reconnect { RETRY, HANDSHAKE, NONE }

    /**
     * Reads an advice object; a field that is missing keeps the value of {@code previous} (a missing
     * {@code reconnect} means retry, as Bayeux says).
     */
    public static Advice read(JsonNode advice, Advice previous) {
        if (advice == null || !advice.isObject()) {
            return previous;
        }
        Reconnect reconnect = previous.reconnect;
        JsonNode r = advice.get("reconnect");
        if (r != null && r.isTextual()) {
            reconnect = switch (r.asText().toLowerCase(Locale.ROOT)) {
                case "handshake" -> Reconnect.HANDSHAKE;
                case "none" -> Reconnect.NONE;
                default -> Reconnect.RETRY;
            };
        }
        Duration interval = advice.hasNonNull("interval") ? millis(advice.get("interval"), previous.interval)
                : previous.interval;
        Duration timeout = advice.hasNonNull("timeout") ? millis(advice.get("timeout"), previous.timeout)
                : previous.timeout;
        return new Advice(reconnect, interval, timeout);
    }

    private static Duration millis(JsonNode n, Duration fallback) {
        return n.canConvertToLong() && n.asLong() >= 0 ? Duration.ofMillis(n.asLong()) : fallback;
    }
}
