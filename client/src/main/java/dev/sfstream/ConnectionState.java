package dev.sfstream;

/** Where a client's connection stands, for a status line or a health check. */
public enum ConnectionState {
    /** Built, not opened yet. */
    NEW,
    /** Handshaking with Salesforce. */
    CONNECTING,
    /** Connected: the long-poll loop runs. */
    CONNECTED,
    /** Recovering: backing off, re-authenticating or handshaking again after a fault. */
    RECONNECTING,
    /**
     * Waiting as a standby: another replica of the same exclusive group holds the lease; this client takes over when
     * that one stops or dies.
     */
    STANDBY,
    /** Closed by the application, or given up after a fatal error. */
    CLOSED
}
