package dev.sfstream.replay;

import java.util.Objects;

/**
 * The right of one replica to consume a group's channels, as a {@link LeasedReplayStore} granted it. Each takeover
 * gives a higher {@code epoch}: a marker written with an older one is refused, so a replica that lost its lease
 * without noticing (a pause, a partition) cannot move a marker.
 *
 * @param namespace the namespace of the markers (the org ID unless configured)
 * @param group the exclusive group: the replicas that share these channels
 * @param owner the replica holding the lease (a new ID per client)
 * @param epoch the fencing token of this takeover
 */
public record Lease(String namespace, String group, String owner, long epoch) {
    public Lease {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(owner, "owner");
    }
}
