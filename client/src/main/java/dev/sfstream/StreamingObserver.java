package dev.sfstream;

import dev.sfstream.replay.ReplayMarker;
import java.time.Duration;

/**
 * Told what a client observes, for metrics: events received, dropped as duplicates, delivered to the consumer,
 * handled by a listener (with its duration and outcome) and committed; connection states, handshakes, reconnects,
 * token renewals and replay gaps. The client's queue depth is in {@link StreamingClient#stats()}.
 *
 * <p>Every method has an empty default. Methods are called on the client's own threads while it works: they must
 * return fast, take no lock of the application's, and not throw (what one throws is logged and ignored).
 */
public interface StreamingObserver {
    /** A no-op observer. */
    StreamingObserver NONE = new StreamingObserver() { };

    /** An event came from Salesforce (before duplicates are dropped). */
    default void received(String channel) {
    }

    /** An event was dropped because it had been handed out already in this process. */
    default void duplicateDropped(String channel) {
    }

    /** An event was handed to the consumer: pulled, given to a listener, or to an {@code events()} subscriber. */
    default void delivered(StreamingEvent event) {
    }

    /**
     * A listener or {@code events()} subscriber (or a {@code StreamingService} handler) finished with an event.
     *
     * @param failure what it threw, or {@code null} when it returned normally
     */
    default void handled(String channel, Duration took, Throwable failure) {
    }

    /** A channel's replay marker was stored. */
    default void committed(String channel, ReplayMarker marker) {
    }

    /** The connection changed state. */
    default void stateChanged(ConnectionState state, String reason) {
    }

    /** Salesforce refused the access token and a new one was obtained. */
    default void tokenRenewed() {
    }

    /** A replay ID could not be used: the fallback decided where the channel goes on. */
    default void gap(ReplayGap gap) {
    }
}
