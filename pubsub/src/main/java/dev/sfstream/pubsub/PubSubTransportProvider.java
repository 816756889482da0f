package dev.sfstream.pubsub;

import dev.sfstream.transport.Transport;
import dev.sfstream.transport.TransportProvider;

/**
 * Serves {@code Transport.named("pubsub")}: {@link PubSubTransport#defaults()}. Found by {@link java.util.ServiceLoader}
 * through {@code META-INF/services/dev.sfstream.transport.TransportProvider}; not for direct use.
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
}
