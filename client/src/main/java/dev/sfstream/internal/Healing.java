package dev.sfstream.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long a session has been failing, and whether it may still retry: every transport backs off after a failure
 * and gives up once failures have lasted longer than the client's connection timeout, with the last failure as the
 * reason. Only a success ends a run of failures. Not thread-safe: confined to one session's lane.
 */
public final class Healing {
    private final Duration connectionTimeout;
    private Instant failingSince;
    private String lastFailure;

    public Healing(Duration connectionTimeout) {
        this.connectionTimeout = connectionTimeout;
    }

    /** Remembers what failed, for the state reason and the final error. */
    public void failed(String what) {
        lastFailure = what;
    }

    /**
     * A failure: the pause before the next attempt, or empty when failures have lasted longer than the connection
     * timeout and the session must give up.
     */
    public Optional<Duration> retryAfter(Backoff backoff) {
        Instant now = Instant.now();
        if (failingSince == null) {
            failingSince = now;
        }
        if (Duration.between(failingSince, now).compareTo(connectionTimeout) > 0) {
            return Optional.empty();
        }
        return Optional.of(backoff.next());
    }

    /** The message of giving up: how long it failed and the last failure. */
    public String gaveUp() {
        long seconds = failingSince == null ? 0 : Duration.between(failingSince, Instant.now()).toSeconds();
        return "gave up after " + seconds + " s of failures (connection timeout " + connectionTimeout.toSeconds()
                + " s); last: " + lastFailure;
    }

    /** The last failure, or {@code null} when the last attempt succeeded. */
    public String lastFailure() {
        return lastFailure;
    }

    /** A success ends the run of failures. */
    public void succeeded() {
        failingSince = null;
        lastFailure = null;
    }
}
