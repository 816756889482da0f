package dev.sfstream.service;

/** What the service does when a handler still fails after its retries. Never silent, either way. */
public enum ErrorPolicy {
    /**
     * Stop the channel: no later event of it is handled, its marker stays before the failed event (so the next
     * start delivers that event again), and the failure is reported. The default.
     */
    STOP,
    /** Log and report the failure, commit the event, and go on with the next one. */
    SKIP
}
