package dev.sfstream.service;

/**
 * A handler that failed on an event after every retry: where, on which event, with what, and what the service did.
 *
 * @param channel the channel
 * @param replayId the event's replay ID
 * @param handler the handler method, as {@code Class.method} (with a {@link HandlerInvoker}: every handler of the
 *     channel, separated by commas)
 * @param attempts how many times it was tried
 * @param cause the last failure
 * @param policy what followed: the channel stopped, or the event was skipped
 */
public record HandlerFailure(String channel, long replayId, String handler, int attempts, Throwable cause,
        ErrorPolicy policy) {
}
