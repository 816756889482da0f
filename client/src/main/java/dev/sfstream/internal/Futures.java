package dev.sfstream.internal;

import dev.sfstream.StreamingException;
import dev.sfstream.TransportException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for an asynchronous operation with a bound, with errors a user can act on. */
public final class Futures {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Futures.class);

    private Futures() {
    }

    /**
     * The future's value, waiting at most {@code timeout}.
     *
     * @param what what is being done, for the message ("subscribing to /topic/X")
     * @throws StreamingException the operation's own error; a {@link TransportException} on timeout or interrupt
     */
    public static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StreamingException se) {
                throw se;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new TransportException(what + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new TransportException("no answer from Salesforce within " + timeout.toSeconds() + " s while "
                    + what, e);
        }
    }

    /** Waits at most {@code timeout} for a best-effort operation; its failure or lateness is only logged. */
    public static void awaitQuietly(CompletableFuture<?> future, Duration timeout, String what) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("sfstream: {} did not complete: {}", what, e.toString());
        }
    }
}
