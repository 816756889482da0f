package dev.sfstream.spring.boot;

import dev.sfstream.ConnectionState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where the handler service stands, for a health check or a status page: a snapshot, immutable.
 *
 * @param running whether the service was started and not stopped since
 * @param state the client's connection state ({@code NEW} before the first start)
 * @param stateReason why the state last changed, in words
 * @param failure the message of the error the client gave up on, if it did (never a secret)
 * @param channels the channels the handlers listen on
 * @param stoppedChannels the channels stopped after a handler failure (error policy STOP)
 * @param lastEvents per channel, when its last event was handed to the handlers
 * @param replicas with {@code sfstream.exclusive.group}, this replica's part in each group its clients are in (one
 *     per client: the Pub/Sub API client's group has {@code :pubsub} after the name); empty otherwise
 */
public record SfstreamStatus(boolean running, ConnectionState state, String stateReason, Optional<String> failure,
        List<String> channels, List<String> stoppedChannels, Map<String, Instant> lastEvents,
        List<Replica> replicas) {
    public SfstreamStatus {
        channels = List.copyOf(channels);
        stoppedChannels = List.copyOf(stoppedChannels);
        lastEvents = Map.copyOf(lastEvents);
        replicas = List.copyOf(replicas);
    }

    /** What a replica is doing in its exclusive group. */
    public enum Role {
        /** It holds the group's lease and consumes. */
        ACTIVE,
        /** Another replica holds the lease; this one waits and takes over when that one stops or dies. */
        STANDBY,
        /**
         * Another replica took over while this one thought it was active (a pause, a partition): this one stopped
         * consuming without moving a marker and waits as a standby; until it is active again.
         */
        FENCED
    }

    /**
     * One client's part in an exclusive group.
     *
     * @param group the group's name
     * @param role what it is doing
     * @param epoch the lease's epoch while active; the epoch it held when fenced; empty as a standby
     * @param fenced the message of the {@link dev.sfstream.FencedException} when fenced
     */
    public record Replica(String group, Role role, OptionalLong epoch, Optional<String> fenced) {
    }
}
