package dev.sfstream.replay;

/**
 * What a client does when Salesforce refuses a replay ID (expired past retention, or unknown), or when a stored
 * marker is already older than the retention window. Whatever the choice, it is never silent: a warning names the
 * channel and the ID, and the consumer receives a replay gap notice.
 */
public enum ReplayFallback {
    /** Stop: the subscription fails with {@link dev.sfstream.ReplayIdInvalidException}; the marker stays. */
    FAIL,
    /** Go on with new events only ({@code -1}): the events in between are lost, and the gap notice says so. */
    NEW_EVENTS,
    /** Go on with every retained event ({@code -2}): nothing retained is lost, some may come again. */
    ALL_EVENTS
}
