package dev.sfstream.spring.boot;

import dev.sfstream.ConnectionListener;
import dev.sfstream.ConnectionState;
import dev.sfstream.FencedException;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.StreamingException;
import dev.sfstream.StreamingObserver;
import dev.sfstream.replay.Lease;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one start of the service has seen of its client: the connection state and its reason, the error the client
 * gave up on, when each channel's last event was handed to the handlers, and, in an exclusive group, whether it is
 * the active replica (and a fencing, until it is connected again). Written on the client's threads, read by health
 * checks. Thread-safe.
 */
final class ClientStatus implements StreamingObserver, ConnectionListener {
    private final Clock clock;
    private final String group;
    private volatile StreamingClient client;
    private volatile FencedException fenced;
    private final Map<String, Instant> lastEvents = new ConcurrentHashMap<>();
    private volatile ConnectionState state = ConnectionState.NEW;
    private volatile String reason = "not started";
    private volatile StreamingException lastError;
    private volatile StreamingException gaveUpOn;
    private volatile boolean closing;

    /**
     * @param group the client's exclusive group, or null outside one
     */
    ClientStatus(Clock clock, String group) {
        this.clock = clock;
        this.group = group;
    }

    /** The client this status is of, for its lease. */
    void client(StreamingClient client) {
        this.client = client;
    }

    @Override
    public void onStateChanged(ConnectionState state, String reason) {
        if (state == ConnectionState.CONNECTED) {
            fenced = null; // active again: a takeover after the fencing
        }
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
        if (error instanceof FencedException f) {
            fenced = f;
        }
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

    /** The client's part in its exclusive group; empty outside one. */
    Optional<SfstreamStatus.Replica> replica() {
        if (group == null) {
            return Optional.empty();
        }
        FencedException f = fenced;
        if (f != null) {
            return Optional.of(new SfstreamStatus.Replica(group, SfstreamStatus.Role.FENCED, OptionalLong.of(f.epoch()),
                    Optional.ofNullable(f.getMessage())));
        }
        StreamingClient c = client;
        Optional<Lease> lease = c == null ? Optional.empty() : c.lease();
        return Optional.of(lease.map(l -> new SfstreamStatus.Replica(group, SfstreamStatus.Role.ACTIVE,
                OptionalLong.of(l.epoch()), Optional.<String>empty()))
                .orElseGet(() -> new SfstreamStatus.Replica(group, SfstreamStatus.Role.STANDBY, OptionalLong.empty(),
                        Optional.empty())));
    }

    Map<String, Instant> lastEvents() {
        return new TreeMap<>(lastEvents);
    }
}
