package dev.sfstream.replay;

/**
 * Where a subscription starts when the replay store has no marker for its channel: {@link #NEW_EVENTS} (Salesforce's
 * {@code -1}, only what is published from now on), {@link #ALL_EVENTS} ({@code -2}, everything retained, then new
 * events) or {@linkplain #after(long) after a given replay ID}.
 *
 * @param value the value sent in the subscribe's replay map: -1, -2 or a replay ID
 */
public record ReplayFrom(long value) {
    /** Only events published after subscribing ({@code -1}). */
    public static final ReplayFrom NEW_EVENTS = new ReplayFrom(-1);
    /** Every retained event, then new ones ({@code -2}). */
    public static final ReplayFrom ALL_EVENTS = new ReplayFrom(-2);

    public ReplayFrom {
        if (value != -1 && value != -2 && value <= 0) {
            throw new IllegalArgumentException("replay start must be -1 (new events), -2 (all events) or a replay "
                    + "ID above 0, got " + value);
        }
    }

    /** The retained events after {@code replayId}, then new ones. */
    public static ReplayFrom after(long replayId) {
        if (replayId <= 0) {
            throw new IllegalArgumentException("a replay ID is above 0, got " + replayId);
        }
        return new ReplayFrom(replayId);
    }

    /**
     * Reads {@code new}, {@code all}, {@code -1}, {@code -2} or a replay ID.
     *
     * @throws IllegalArgumentException saying which values are accepted
     */
    public static ReplayFrom parse(String text) {
        String t = text == null ? "" : text.trim();
        switch (t.toLowerCase(java.util.Locale.ROOT)) {
            case "new", "-1" -> {
                return NEW_EVENTS;
            }
            case "all", "-2" -> {
                return ALL_EVENTS;
            }
            default -> {
                try {
                    return after(Long.parseLong(t));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("replay start must be 'new', 'all' or a replay ID, got '"
                            + text + "'");
                }
            }
        }
    }

    @Override
    public String toString() {
        return value == -1 ? "NEW_EVENTS" : value == -2 ? "ALL_EVENTS" : "after " + value;
    }
}
