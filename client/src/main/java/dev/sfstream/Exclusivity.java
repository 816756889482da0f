package dev.sfstream;

import dev.sfstream.internal.SerialExecutor;
import dev.sfstream.internal.Shared;
import dev.sfstream.replay.Lease;
import dev.sfstream.replay.LeasedReplayStore;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's part in an exclusive group: it takes the group's lease or waits as a standby, renews the lease a
 * third of its time-to-live at a time, and tells the client when it became the active consumer and when it lost
 * the lease. Store calls run on a lane of their own over the shared workers, never on a protocol lane. When the
 * store cannot be reached, the lease counts as lost once two thirds of its time-to-live have passed since the last
 * renewal: this replica stops before another one can take over.
 */
final class Exclusivity {
    private static final Logger LOG = LoggerFactory.getLogger(Exclusivity.class);

    /** What the client does when the lease comes and goes; called on the exclusivity lane. */
    interface Listener {
        void active(Lease lease);

        void lost(FencedException reason);
    }

    private final LeasedReplayStore store;
    private final String group;
    private final Duration ttl;
    private final Listener listener;
    private final String owner = UUID.randomUUID().toString();
    private final SerialExecutor lane = new SerialExecutor(Shared.workers());
    private volatile Lease lease;
    private volatile boolean stopped;
    private String namespace;
    private long renewedAt;
    private ScheduledFuture<?> tick;

    Exclusivity(LeasedReplayStore store, String group, Duration ttl, Listener listener) {
        this.store = store;
        this.group = group;
        this.ttl = ttl;
        this.listener = listener;
    }

    /**
     * Tries to take the lease on the calling thread, then keeps trying (or renewing) in the background.
     *
     * @return whether this client holds the lease now
     */
    boolean start(String namespace) {
        this.namespace = namespace;
        Optional<Lease> taken = store.acquire(namespace, group, owner, ttl);
        taken.ifPresent(l -> {
            lease = l;
            renewedAt = System.nanoTime();
            LOG.info("sfstream: took the lease of group {} (epoch {})", group, l.epoch());
        });
        if (taken.isEmpty()) {
            LOG.info("sfstream: another replica holds the lease of group {}; waiting as a standby", group);
        }
        schedule();
        return taken.isPresent();
    }

    /** The lease held, if any. */
    Optional<Lease> lease() {
        return Optional.ofNullable(lease);
    }

    String group() {
        return group;
    }

    /** A marker write was refused: another replica took over. */
    void fenced(FencedException reason) {
        lane.execute(() -> lose(reason));
    }

    /** Stops trying and gives the lease up, so that a standby takes over at once. */
    void stop() {
        stopped = true;
        ScheduledFuture<?> t = tick;
        if (t != null) {
            t.cancel(false);
        }
        Lease held = lease;
        lease = null;
        if (held != null) {
            try {
                store.release(held);
            } catch (RuntimeException e) {
                LOG.warn("sfstream: could not release the lease of group {}: {}", group, e.getMessage());
            }
        }
    }

    private void schedule() {
        if (!stopped) {
            tick = Shared.timer().schedule(() -> lane.execute(this::tick), ttl.toNanos() / 3, TimeUnit.NANOSECONDS);
        }
    }

    private void tick() {
        if (stopped) {
            return;
        }
        try {
            if (lease == null) {
                store.acquire(namespace, group, owner, ttl).ifPresent(l -> {
                    lease = l;
                    renewedAt = System.nanoTime();
                    LOG.info("sfstream: took over the lease of group {} (epoch {})", group, l.epoch());
                    listener.active(l);
                });
            } else {
                Lease held = lease;
                Optional<Lease> renewed = store.renew(held, ttl);
                if (renewed.isPresent()) {
                    renewedAt = System.nanoTime();
                } else {
                    lose(new FencedException(group, held.epoch(), "the lease of group " + group + " (epoch "
                            + held.epoch() + ") was taken over by another replica"));
                }
            }
        } catch (RuntimeException e) {
            Lease held = lease;
            // Stop before the store can hand the lease to another replica (a third of the TTL early), so that two
            // replicas do not consume at once; the epoch refuses the markers of a late one in any case.
            if (held != null && System.nanoTime() - renewedAt > ttl.toNanos() * 2 / 3) {
                lose(new FencedException(group, held.epoch(), "the lease of group " + group + " could not be "
                        + "renewed for " + ttl.toSeconds() + " s (" + e.getMessage() + "); another replica may "
                        + "have taken over"));
            } else {
                LOG.warn("sfstream: the lease of group {} could not be {}: {}", group, held == null ? "taken"
                        : "renewed", e.getMessage());
            }
        } finally {
            schedule();
        }
    }

    private void lose(FencedException reason) {
        if (lease == null || stopped) {
            return;
        }
        lease = null;
        LOG.warn("sfstream: {}; stopped consuming, waiting as a standby", reason.getMessage());
        listener.lost(reason);
    }
}
