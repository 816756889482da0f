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
    /** Closed by the application, or given up after a fatal error. */
    CLOSED
}
