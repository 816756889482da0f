package dev.sfstream;

/**
 * Told about a client's connection: state changes (with a reason in words) and errors that reach the application,
 * so that no failure is silent. Called on a client-owned thread; keep it short.
 */
public interface ConnectionListener {
    /** The connection changed state. */
    default void onStateChanged(ConnectionState state, String reason) {
    }

    /**
     * An error the client did not heal from: a fatal one (the client then closes), or a subscription lost after a
     * re-handshake.
     */
    default void onError(StreamingException error) {
    }
}
