package dev.sfstream;

import dev.sfstream.internal.Futures;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.transport.Transport;
import dev.sfstream.transport.TransportSession;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A client's subscriptions, kept consistent between its delivery (where events go), its replay starts (the marker
 * read on the subscriber's thread) and the transport session. A subscribe that fails leaves nothing behind.
 */
final class ClientSubscriptions {
    private final Transport transport;
    private final TransportSession session;
    private final Delivery delivery;
    private final ReplayStarts starts;
    private final ClientSettings settings;

    ClientSubscriptions(Transport transport, TransportSession session, Delivery delivery, ReplayStarts starts,
            ClientSettings settings) {
        this.transport = transport;
        this.session = session;
        this.delivery = delivery;
        this.starts = starts;
        this.settings = settings;
    }

    /** Subscribes, its events to {@code listener} (or to the pull queue when null); returns once confirmed. */
    void subscribe(ChannelName name, ReplayFrom whenNoMarker, Consumer<StreamingEvent> listener) {
        transport.checkChannel(name);
        delivery.route(name.value(), listener);
        try {
            starts.load(name, whenNoMarker);
            Futures.await(session.subscribe(name), settings.subscribeTimeout(), "subscribing to " + name);
        } catch (RuntimeException e) {
            // The session must not keep (and later confirm) a subscription nobody consumes.
            delivery.discard(name.value());
            session.unsubscribe(name.value());
            throw e;
        }
    }

    void unsubscribe(String channel) {
        Futures.await(session.unsubscribe(channel), settings.requestTimeout().plus(Duration.ofSeconds(1)),
                "unsubscribing from " + channel);
        delivery.discard(channel);
    }

    List<String> list() {
        return Futures.await(session.subscriptions(), settings.requestTimeout(), "listing subscriptions");
    }
}
