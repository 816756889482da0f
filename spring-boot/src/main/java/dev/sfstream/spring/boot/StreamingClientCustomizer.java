package dev.sfstream.spring.boot;

import dev.sfstream.StreamingClient;

/**
 * Changes the {@link StreamingClient.Builder} after the {@code sfstream.*} properties are applied, for the settings
 * that have no property (backoff, timeouts, an HTTP client with a proxy). Every bean of this type is applied, in
 * {@code @Order}. The observer and the connection listeners are set after the customizers: for them, declare
 * {@link dev.sfstream.StreamingObserver} and {@link dev.sfstream.ConnectionListener} beans instead.
 */
@FunctionalInterface
public interface StreamingClientCustomizer {
    void customize(StreamingClient.Builder builder);
}
