package dev.sfstream.bayeux;

import dev.sfstream.ChannelName;
import dev.sfstream.internal.Shared;
import dev.sfstream.transport.Transport;
import dev.sfstream.transport.TransportContext;
import dev.sfstream.transport.TransportSession;

/**
 * The Streaming API over Bayeux long-polling (CometD): every channel family, {@code /topic/}, {@code /u/},
 * {@code /event/} and {@code /data/}. The client's default transport; it takes the client's settings (API version,
 * timeouts, handshake interval, largest message, HTTP client). Immutable and thread-safe.
 */
public final class BayeuxTransport implements Transport {
    /** The one instance: the Bayeux transport has no settings of its own. */
    public static final BayeuxTransport DEFAULT = new BayeuxTransport();

    private BayeuxTransport() {
    }

    @Override
    public String name() {
        return "bayeux";
    }

    @Override
    public void checkChannel(ChannelName channel) {
        // the Streaming API serves every channel family
    }

    @Override
    public TransportSession newSession(TransportContext context) {
        return new BayeuxSession(context, context.httpClient() != null ? context.httpClient() : Shared.httpClient());
    }

    @Override
    public String toString() {
        return "BayeuxTransport";
    }
}
