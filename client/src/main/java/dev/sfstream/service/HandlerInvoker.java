package dev.sfstream.service;

import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;

/**
 * Runs around each attempt at an event's handlers in a {@link StreamingService}: for what the application adds
 * around them per event, such as a database transaction that also commits the event's marker.
 *
 * <p>An invoker calls {@link Handlers#call()} at most once per invocation, or skips it (the event then counts as
 * handled). What it throws is a failed attempt like a handler's: the service tries the event again (a new
 * invocation, running every handler of the channel again) and then applies its {@link ErrorPolicy}; a
 * {@link dev.sfstream.FencedException} is not retried and stops the replica at once. It runs on the channel's
 * listener lane, one event of a channel at a time; different channels call it concurrently.
 */
@FunctionalInterface
public interface HandlerInvoker {
    /**
     * Runs the handlers of {@code event}, or decides not to.
     *
     * @param client the client that delivered the event (its replay namespace and lease are the event's)
     * @param event the event
     * @param handlers every handler of the event's channel, in order
     * @throws Exception when the attempt failed
     */
    void invoke(StreamingClient client, StreamingEvent event, Handlers handlers) throws Exception;

    /** The handlers of one event, to be called once. */
    @FunctionalInterface
    interface Handlers {
        /** Calls each handler in order; the first that throws ends the call with its exception. */
        void call() throws Exception;
    }
}
