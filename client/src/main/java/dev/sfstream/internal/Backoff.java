package dev.sfstream.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one backoff policy of sfstream: exponential from {@code initial}, doubling, capped at {@code max}, with
 * "equal jitter" (half the delay fixed, half random) so that many clients that failed together do not retry
 * together. Not thread-safe: one instance per retrying loop.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private int attempt;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max");
        }
        this.initial = initial;
        this.max = max;
    }

    /** The delay before the next attempt; each call doubles the base up to the cap. */
    public Duration next() {
        long base = initial.toMillis() << Math.min(attempt, 20);
        long capped = Math.min(base, max.toMillis());
        attempt++;
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    /** Starts over after a success. */
    public void reset() {
        attempt = 0;
    }

    /** How many delays were handed out since the last reset. */
    public int attempts() {
        return attempt;
    }
}
