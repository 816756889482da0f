package dev.sfstream.spring.boot;

import java.util.Map;

/**
 * The settings of the transport chosen by {@code sfstream.transport}, as text, when a bean decides them instead of
 * the {@code sfstream.transport-settings.*} properties: the emulator development service points the Pub/Sub
 * transport at its own Pub/Sub API this way. Immutable.
 *
 * @param values the settings, such as {@code endpoint} and {@code tls} for {@code pubsub}
 */
public record TransportSettings(Map<String, String> values) {
    public TransportSettings {
        values = Map.copyOf(values);
    }
}
