package dev.sfstream.pubsub;

import dev.sfstream.replay.ReplayPosition;
import java.util.Objects;
import java.util.Optional;

/**
 * What Salesforce answered for one published event: its replay ID, or why it refused the event (its
 * {@code PublishResult.error}: a payload over 1 MB, a missing required field, ...). Immutable and thread-safe.
 *
 * @param topic the topic published to
 * @param correlationKey the key the event was sent with (given, or a UUID made for it)
 * @param replayId where the event stands in its topic; null when it was refused
 * @param error Salesforce's reason for refusing it; null when it was published
 */
public record PublishResult(String topic, String correlationKey, ReplayPosition replayId, String error) {
    public PublishResult {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(correlationKey, "correlationKey");
        if ((replayId == null) == (error == null)) {
            throw new IllegalArgumentException("a result has a replay ID or an error");
        }
    }

    /** Whether Salesforce took the event. */
    public boolean isPublished() {
        return replayId != null;
    }

    /** The replay ID, when the event was published. */
    public Optional<ReplayPosition> position() {
        return Optional.ofNullable(replayId);
    }

    @Override
    public String toString() {
        return isPublished() ? "published event " + correlationKey + " to " + topic + " at replay ID " + replayId
                : "Salesforce refused event " + correlationKey + " on " + topic + ": " + error;
    }
}
