package dev.sfstream.spring.boot;

import dev.sfstream.ConnectionListener;
import dev.sfstream.ConnectionState;
import dev.sfstream.StreamingEvent;
import dev.sfstream.StreamingException;
import dev.sfstream.StreamingObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one start of the service has seen of its client: the connection state and its reason, the error the client
 * gave up on, and when each channel's last event was handed to the handlers. Written on the client's threads, read
 * by health checks. Thread-safe.
 */
final class ClientStatus implements StreamingObserver, ConnectionListener {
    private final Clock clock;
    private final Map<String, Instant> lastEvents = new ConcurrentHashMap<>();
    private volatile ConnectionState state = ConnectionState.NEW;
    private volatile String reason = "not started";
    private volatile StreamingException lastError;
    private volatile StreamingException gaveUpOn;
    private volatile boolean closing;

    ClientStatus(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void onStateChanged(ConnectionState state, String reason) {
        if (state == ConnectionState.CLOSED && !closing) {
            // Closed without being asked: the client gave up, on the error it reported last.
            gaveUpOn = lastError;
        }
        this.state = state;
        this.reason = reason;
    }

    @Override
    public void onError(StreamingException error) {
        // A lost subscription is reported here too while the client goes on: only an error next to a close that
        // nobody asked for counts, whichever the client reports first.
        lastError = error;
        if (state == ConnectionState.CLOSED && !closing) {
            gaveUpOn = error;
        }
    }

    /** The application is closing the client: the close that follows is no failure. */
    void closing() {
        closing = true;
    }

    @Override
    public void delivered(StreamingEvent event) {
        lastEvents.put(event.channel(), clock.instant());
    }

    ConnectionState state() {
        return state;
    }

    String reason() {
        return reason;
    }

    /** The error the client gave up on, once it closed by itself after one. */
    StreamingException fatalError() {
        return gaveUpOn;
    }

    Map<String, Instant> lastEvents() {
        return new TreeMap<>(lastEvents);
    }
}
