package dev.sfstream.replay;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a channel's consumer stands: the replay ID of the last event it finished, and that event's created date.
 * The date lets a client see that a marker has fallen out of Salesforce's retention window before asking for it.
 *
 * @param replayId the event's replay ID (positive)
 * @param createdDate when the event was created
 */
public record ReplayMarker(long replayId, Instant createdDate) {
    public ReplayMarker {
        if (replayId <= 0) {
            throw new IllegalArgumentException("a replay marker's replayId is positive, got " + replayId);
        }
        Objects.requireNonNull(createdDate, "createdDate");
    }

    /** Whether this marker is later than {@code other}: markers only ever move forward. */
    public boolean isAfter(ReplayMarker other) {
        return other == null || replayId > other.replayId;
    }
}
