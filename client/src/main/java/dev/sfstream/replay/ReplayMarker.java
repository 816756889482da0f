package dev.sfstream.replay;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a channel's consumer stands: the position of the last event it finished, and that event's created date.
 * The date lets a client see that a marker has fallen out of Salesforce's retention window before asking for it.
 *
 * @param position the event's position: a Streaming API replay ID or a Pub/Sub API replay ID
 * @param createdDate when the event was created
 */
public record ReplayMarker(ReplayPosition position, Instant createdDate) {
    public ReplayMarker {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(createdDate, "createdDate");
    }

    /**
     * A marker at a Streaming API replay ID.
     *
     * @throws IllegalArgumentException when the replay ID is not positive
     */
    public ReplayMarker(long replayId, Instant createdDate) {
        this(positive(replayId), createdDate);
    }

    private static ReplayPosition positive(long replayId) {
        if (replayId <= 0) {
            throw new IllegalArgumentException("a replay marker's replayId is positive, got " + replayId);
        }
        return ReplayPosition.of(replayId);
    }

    /** The position as a number (see {@link ReplayPosition#replayId()}). */
    public long replayId() {
        return position.replayId();
    }

    /** Whether this marker is later than {@code other}: markers only ever move forward. */
    public boolean isAfter(ReplayMarker other) {
        return other == null || position.isAfter(other.position);
    }
}
