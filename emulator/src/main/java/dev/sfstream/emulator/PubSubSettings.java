package dev.sfstream.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How the emulator serves the Pub/Sub API (gRPC {@code eventbus.v1.PubSub}) beside the Streaming API:
 * {@code PubSubSettings.defaults().port(7443).plaintext(true)}. Immutable; each method returns a copy.
 *
 * @param enabled whether the gRPC server starts with the emulator (default true)
 * @param port its port; 0 (the default) picks a free one
 * @param plaintext whether it speaks plaintext HTTP/2 instead of TLS with a self-signed certificate made at start
 *     (default false: TLS, as Salesforce's endpoint)
 * @param keepaliveInterval how often a stream with requested events pending and nothing to send gets an empty
 *     {@code FetchResponse} with the latest replay ID (default 30 s; Salesforce sends one within 270 s)
 * @param idleTimeout how long a stream with no requested events pending may go without a new {@code FetchRequest}
 *     before the server closes it (default 60 s, as Salesforce)
 * @param publishStreamIdleTimeout how long a {@code PublishStream} may go without a request before the server closes
 *     it (default 70 s, as Salesforce)
 */
public record PubSubSettings(boolean enabled, int port, boolean plaintext, Duration keepaliveInterval,
        Duration idleTimeout, Duration publishStreamIdleTimeout) {

    /** Checks every setting. */
    public PubSubSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("pubSub port must be between 0 and 65535, got " + port);
        }
        positive("pubSub keepaliveInterval", keepaliveInterval);
        positive("pubSub idleTimeout", idleTimeout);
        positive("pubSub publishStreamIdleTimeout", publishStreamIdleTimeout);
    }

    /** On a free port, TLS, keepalive 30 s, idle close 60 s, PublishStream idle close 70 s. */
    public static PubSubSettings defaults() {
        return new PubSubSettings(true, 0, false, Duration.ofSeconds(30), Duration.ofSeconds(60),
                Duration.ofSeconds(70));
    }

    public PubSubSettings enabled(boolean enabled) {
        return new PubSubSettings(enabled, port, plaintext, keepaliveInterval, idleTimeout, publishStreamIdleTimeout);
    }

    public PubSubSettings port(int port) {
        return new PubSubSettings(enabled, port, plaintext, keepaliveInterval, idleTimeout, publishStreamIdleTimeout);
    }

    public PubSubSettings plaintext(boolean plaintext) {
        return new PubSubSettings(enabled, port, plaintext, keepaliveInterval, idleTimeout, publishStreamIdleTimeout);
    }

    public PubSubSettings keepaliveInterval(Duration interval) {
        return new PubSubSettings(enabled, port, plaintext, interval, idleTimeout, publishStreamIdleTimeout);
    }

    public PubSubSettings idleTimeout(Duration timeout) {
        return new PubSubSettings(enabled, port, plaintext, keepaliveInterval, timeout, publishStreamIdleTimeout);
    }

    public PubSubSettings publishStreamIdleTimeout(Duration timeout) {
        return new PubSubSettings(enabled, port, plaintext, keepaliveInterval, idleTimeout, timeout);
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }
}
