package dev.sfstream.transport;

import dev.sfstream.ChannelName;
import dev.sfstream.ConnectionState;
import dev.sfstream.StreamingEvent;
import dev.sfstream.StreamingException;
import dev.sfstream.replay.ReplayFrom;
import java.time.Instant;
import java.util.List;

/**
 * What a {@link TransportSession} needs from its client. Every method is called on the session's lane and must
 * return fast without blocking.
 */
public interface SessionListener {
    /** Events of one response, in the order received. */
    void onEvents(List<StreamingEvent> events);

    /** The connection changed state; {@code reason} says why in a few words. */
    void onStateChanged(ConnectionState state, String reason);

    /** Where a (re)subscription of a channel starts. */
    ReplayFrom replayStart(ChannelName channel);

    /**
     * The server refused the start sent for a channel (an expired or unknown replay ID). Apply the fallback so that
     * the next {@link #replayStart} answers another start, or throw {@link dev.sfstream.ReplayIdInvalidException}
     * to fail the subscription.
     */
    void onReplayRefused(ChannelName channel, ReplayFrom refused);

    /** The server confirmed a subscription started at {@code sent}; {@code serverTime} may be null. */
    void onSubscribed(ChannelName channel, ReplayFrom sent, Instant serverTime);

    /** A subscription that was confirmed before failed for good when it was renewed. */
    void onSubscriptionLost(ChannelName channel, StreamingException error);

    /** Salesforce refused the access token and the authenticator gave a new one. */
    default void onTokenRenewed() {
    }

    /** The session gave up for good. */
    void onFatal(StreamingException error);

    /** Whether the consumer has room for more events; while it has not, nothing more is fetched. */
    boolean hasRoom();
}
