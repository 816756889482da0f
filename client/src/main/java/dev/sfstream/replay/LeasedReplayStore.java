package dev.sfstream.replay;

import dev.sfstream.FencedException;
import java.time.Duration;
import java.util.Optional;

/**
 * A replay store shared by replicas that elects one active consumer per group and fences the others: the lease's
 * expiry is judged by the store's clock (never the replicas'), each takeover raises the epoch, and a marker write
 * carrying an older epoch is refused in the same atomic step that checks it. The Redis and JDBC stores implement
 * it; the in-memory store does too, for replicas within one JVM (tests). Implementations are thread-safe.
 */
public interface LeasedReplayStore extends ReplayStore {
    /**
     * Takes the group's lease for {@code owner} when nobody holds it or its holder let it expire, with a new epoch;
     * renews it when {@code owner} holds it already.
     *
     * @return the lease when {@code owner} holds it now; empty when another replica does
     */
    Optional<Lease> acquire(String namespace, String group, String owner, Duration ttl);

    /**
     * Extends a lease held.
     *
     * @return the lease; empty when it was lost (taken over after it expired)
     */
    Optional<Lease> renew(Lease lease, Duration ttl);

    /** Gives a lease up so that a standby takes over at once; a lease lost already is left alone. */
    void release(Lease lease);

    /**
     * Stores a marker if it is later than the stored one and no epoch newer than the lease's exists.
     *
     * @return whether the stored marker moved
     * @throws FencedException when a newer epoch exists: another replica took over
     */
    boolean put(String namespace, String channel, ReplayMarker marker, Lease lease);
}
