package dev.sfstream.pubsub;

import dev.sfstream.transport.Transport;
import dev.sfstream.transport.TransportProvider;

/**
 * Serves {@code Transport.named("pubsub")}: {@link PubSubTransport#defaults()}. Found by {@link java.util.ServiceLoader}
 * through {@code META-INF/services/dev.sfstream.transport.TransportProvider}; not for direct use. Stateless and
 * thread-safe.
 */
public final class PubSubTransportProvider implements TransportProvider {
    /** For {@link java.util.ServiceLoader}. */
    public PubSubTransportProvider() {
    }

    @Override
    public String name() {
        return "pubsub";
    }

    @Override
    public Transport transport() {
        return PubSubTransport.defaults();
    }

    /**
     * The transport with settings as text: {@code endpoint} ({@code host:port}) and {@code tls}: {@code verify}
     * (the default), {@code plaintext} or {@code trust-any} (both for a loopback endpoint only, such as the
     * emulator's).
     */
    @Override
    public Transport transport(java.util.Map<String, String> settings) {
        if (settings.isEmpty()) {
            return transport(); // the one default transport, whose channel its clients share
        }
        PubSubTransport.Builder b = PubSubTransport.builder();
        settings.forEach((key, value) -> {
            switch (key) {
                case "endpoint" -> b.endpoint(value);
                case "tls" -> {
                    switch (value) {
                        case "verify" -> {
                            // the default
                        }
                        case "plaintext" -> b.plaintext();
                        case "trust-any" -> b.trustAnyCertificate();
                        default -> throw new IllegalArgumentException("tls must be verify, plaintext or trust-any, "
                                + "got '" + value + "'");
                    }
                }
                default -> throw new IllegalArgumentException("the pubsub transport takes endpoint and tls, not '"
                        + key + "'");
            }
        });
        return b.build();
    }
}
