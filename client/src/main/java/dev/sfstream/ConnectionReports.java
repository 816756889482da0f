package dev.sfstream;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's connection state and its {@link ConnectionListener}s: state changes and errors are told to each, and a
 * listener that throws is logged, never let through. Counts handshakes and reconnects for the client's stats.
 * Thread-safe.
 */
final class ConnectionReports {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionReports.class);

    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private volatile ConnectionState state = ConnectionState.NEW;
    private volatile long handshakes;
    private volatile long reconnects;

    void add(ConnectionListener listener) {
        listeners.add(listener);
    }

    ConnectionState state() {
        return state;
    }

    long handshakes() {
        return handshakes;
    }

    long reconnects() {
        return reconnects;
    }

    /** The connection changed state (a repeat of the current state is not told again). */
    synchronized void state(ConnectionState next, String reason) {
        if (next == ConnectionState.CONNECTING) {
            handshakes++;
        } else if (next == ConnectionState.RECONNECTING && state != ConnectionState.RECONNECTING) {
            reconnects++;
        }
        ConnectionState previous = state;
        state = next;
        if (previous == next) {
            return;
        }
        for (ConnectionListener l : listeners) {
            try {
                l.onStateChanged(next, reason);
            } catch (RuntimeException e) {
                LOG.warn("sfstream: a connection listener failed", e);
            }
        }
    }

    /** An error that did not heal. */
    void error(StreamingException error) {
        for (ConnectionListener l : listeners) {
            try {
                l.onError(error);
            } catch (RuntimeException e) {
                LOG.warn("sfstream: a connection listener failed", e);
            }
        }
    }
}
