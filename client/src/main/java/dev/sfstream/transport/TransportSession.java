package dev.sfstream.transport;

import dev.sfstream.ChannelName;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One client's connection through a {@link Transport}: its subscriptions and their recovery. Every operation
 * returns at once; its future completes on the session's own lane. Thread-safe.
 */
public interface TransportSession {
    /**
     * Connects; completes once events can flow. Bad credentials fail on the calling thread, fast.
     */
    CompletableFuture<Void> open();

    /** Subscribes (idempotently); completes when the server confirmed, or fails with the reason. */
    CompletableFuture<Void> subscribe(ChannelName channel);

    /** Unsubscribes; completes when the server answered (or at once when not connected). */
    CompletableFuture<Void> unsubscribe(String channel);

    /** The channels subscribed (confirmed or pending), in subscription order. */
    CompletableFuture<List<String>> subscriptions();

    /** The consumer has room again: fetch more (Bayeux sends its next connect; Pub/Sub adds credit). */
    void resume();

    /** Ends the session: every request, stream and timer stops. */
    CompletableFuture<Void> close();

    /** How many fetches were answered successfully (Bayeux connects, Pub/Sub fetch responses). */
    long fetches();
}
