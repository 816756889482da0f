package dev.sfstream.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of the store's current Redis failure and the three log lines that surface it: one WARN when writes
 * start failing, one ERROR once the failure has lasted longer than {@code retryFor}, one INFO when writes succeed
 * again. Updated only by the writer's attempts, which never overlap; read from any thread.
 */
final class Outage {
    private static final Logger LOG = LoggerFactory.getLogger(RedisReplayStore.class);

    private final String address;
    private final Duration retryFor;
    private volatile Instant since;
    private volatile String cause;
    private boolean reportedLong;

    Outage(String address, Duration retryFor) {
        this.address = address;
        this.retryFor = retryFor;
    }

    /** Since when writes have been failing; empty while they succeed. */
    Optional<Instant> since() {
        return Optional.ofNullable(since);
    }

    /** The last failure, on one line, for messages; empty while writes succeed. */
    Optional<String> cause() {
        return since == null ? Optional.empty() : Optional.ofNullable(cause);
    }

    /** A write attempt failed for a reason that may heal (Redis away, restarting, timing out). */
    void failed(Exception e, int pending) {
        Instant now = Instant.now();
        cause = RedisFailure.describe(e);
        if (since == null) {
            since = now;
            LOG.warn("sfstream: the Redis replay store at {} cannot write to Redis ({}); {} replay marker(s) kept in "
                    + "memory and retried, delivery goes on", address, cause, pending);
            return;
        }
        if (!reportedLong && Duration.between(since, now).compareTo(retryFor) > 0) {
            reportedLong = true;
            LOG.error("sfstream: the Redis replay store at {} has not been able to write to Redis for {} s, longer "
                    + "than retryFor ({} s): {}. {} replay marker(s) are kept in memory and retried until Redis is "
                    + "back; if this process stopped now, the events after the last marker written to Redis would be "
                    + "delivered again", address, Duration.between(since, now).toSeconds(), retryFor.toSeconds(),
                    cause, pending);
        }
    }

    /** Redis refused the credentials: this does not heal by waiting, so it is an error at once. */
    void refused(String message) {
        if (since == null) {
            since = Instant.now();
        }
        cause = message;
        if (!reportedLong) {
            reportedLong = true;
            LOG.error("sfstream: {}; the replay markers put since the last one written stay in memory only", message);
        }
    }

    /** A write attempt succeeded: ends the failure, if there was one. */
    void ended(int written) {
        Instant started = since;
        if (started == null) {
            return;
        }
        since = null;
        reportedLong = false;
        LOG.info("sfstream: the Redis replay store at {} writes to Redis again after {} s; {} pending replay "
                + "marker(s) written", address, Duration.between(started, Instant.now()).toSeconds(), written);
    }
}
