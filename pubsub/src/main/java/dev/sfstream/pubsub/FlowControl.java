package dev.sfstream.pubsub;

/**
 * The flow control of one {@code Subscribe} (or {@code ManagedSubscribe}) stream, and the silence the watchdog
 * judges by. A stream has at most {@code window} events (at most {@value PubSubTransport#MAX_CREDIT}, Salesforce's
 * limit) requested and not yet received; more are requested when half of them arrived, and only while the consumer
 * has room. So credit never runs out while the consumer takes events (Salesforce closes a stream left without
 * requested events for 60 seconds), and a consumer that falls behind holds the server back instead of filling memory.
 *
 * <p>Silence: while events are pending, Salesforce sends a response, a keepalive at least, within its keepalive
 * interval; so a stream with events pending that heard nothing since it last heard from the server or last asked for
 * more, for longer than that, is taken for dead. Without events pending the server owes nothing, and silence is not a
 * fault.
 *
 * <p>Not thread-safe: confined to the session's lane, as the subscription that owns it. Times are
 * {@link System#nanoTime()} readings.
 */
final class FlowControl {
    private final int window;
    private int pending;
    private long lastHeard;
    private long lastRequested;

    /** @param window how many events to keep requested ahead of the consumer, 1 to 100 */
    FlowControl(int window) {
        this.window = window;
    }

    /** How many events a new stream asks for in its first request. */
    int window() {
        return window;
    }

    /** A new stream was opened with a first request for the whole window. */
    void opened(long now) {
        pending = window;
        lastHeard = now;
        lastRequested = now;
    }

    /** A response came with {@code events} events (a keepalive has none). */
    void received(int events, long now) {
        lastHeard = now;
        pending = Math.max(0, pending - events);
    }

    /**
     * How many more events to request now: the rest of the window once half of it arrived and the consumer has
     * room, else 0. The amount returned counts as requested.
     */
    int topUp(boolean consumerHasRoom, long now) {
        if (pending > window / 2 || !consumerHasRoom) {
            return 0;
        }
        int n = window - pending;
        pending += n;
        lastRequested = now;
        return n;
    }

    /**
     * How long the stream has been silent while owed a response, in nanoseconds; 0 when no event is pending (the
     * server owes nothing then).
     */
    long silence(long now) {
        return pending == 0 ? 0 : now - Math.max(lastHeard, lastRequested);
    }
}
