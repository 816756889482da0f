package dev.sfstream.emulator.internal;

import java.util.function.Predicate;
import org.cometd.server.ServerSessionImpl;

/**
 * One subscription of one client session: the channel as subscribed (a filtered PushTopic channel keeps its
 * {@code ?Field=value} part), the log it reads, and its cursor, the last replay ID handed to the session. The
 * cursor is moved only under the session's lock, so a client receives each event once and in order
 * whichever thread delivers it.
 */
final class Subscriber {
    final ServerSessionImpl session;
    final String subscription;
    final String logChannel;
    final Predicate<RetainedEvent> accepts;
    volatile long cursor; // moved under the session's lock; read without it to skip a pump with nothing new

    Subscriber(ServerSessionImpl session, String subscription, String logChannel, Predicate<RetainedEvent> accepts,
            long cursor) {
        this.session = session;
        this.subscription = subscription;
        this.logChannel = logChannel;
        this.accepts = accepts;
        this.cursor = cursor;
    }
}
