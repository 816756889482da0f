package dev.sfstream.replay;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a subscription starts: {@link #NEW_EVENTS} (Salesforce's {@code -1}, or LATEST on the Pub/Sub API: only
 * what is published from now on), {@link #ALL_EVENTS} ({@code -2}, EARLIEST: everything retained, then new events)
 * or {@linkplain #after(ReplayPosition) after a position} (CUSTOM on the Pub/Sub API). Immutable and thread-safe.
 */
public final class ReplayFrom {
    /** Only events published after subscribing ({@code -1}, LATEST). */
    public static final ReplayFrom NEW_EVENTS = new ReplayFrom(-1, null);
    /** Every retained event, then new ones ({@code -2}, EARLIEST). */
    public static final ReplayFrom ALL_EVENTS = new ReplayFrom(-2, null);

    private final long value;
    private final ReplayPosition position;

    private ReplayFrom(long value, ReplayPosition position) {
        this.value = value;
        this.position = position;
    }

    /**
     * The retained events after a Streaming API replay ID, then new ones.
     *
     * @throws IllegalArgumentException when the replay ID is not positive
     */
    public static ReplayFrom after(long replayId) {
        if (replayId <= 0) {
            throw new IllegalArgumentException("a replay ID is above 0, got " + replayId);
        }
        return new ReplayFrom(replayId, ReplayPosition.of(replayId));
    }

    /** The retained events after a position (of either API), then new ones. */
    public static ReplayFrom after(ReplayPosition position) {
        Objects.requireNonNull(position, "position");
        return new ReplayFrom(position.replayId(), position);
    }

    /** The Streaming API replay map value: -1, -2, or the replay ID after which to start. */
    public long value() {
        return value;
    }

    /** The position after which to start; empty for {@link #NEW_EVENTS} and {@link #ALL_EVENTS}. */
    public Optional<ReplayPosition> position() {
        return Optional.ofNullable(position);
    }

    /**
     * Reads {@code new}, {@code all}, {@code -1}, {@code -2}, a replay ID or {@code pubsub:<base64>}.
     *
     * @throws IllegalArgumentException saying which values are accepted
     */
    public static ReplayFrom parse(String text) {
        String t = text == null ? "" : text.trim();
        switch (t.toLowerCase(java.util.Locale.ROOT)) {
            case "new", "-1", "latest" -> {
                return NEW_EVENTS;
            }
            case "all", "-2", "earliest" -> {
                return ALL_EVENTS;
            }
            default -> {
                try {
                    return after(ReplayPosition.decode(t));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("replay start must be 'new', 'all' or a replay ID, got '"
                            + text + "'");
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplayFrom r && value == r.value && Objects.equals(position, r.position);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value) * 31 + Objects.hashCode(position);
    }

    @Override
    public String toString() {
        return value == -1 && position == null ? "NEW_EVENTS" : value == -2 && position == null ? "ALL_EVENTS"
                : "after " + position;
    }
}
