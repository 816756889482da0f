package dev.sfstream;

/**
 * Another replica of an exclusive group took the lease over (this one was paused, cut off, or too slow to renew):
 * the store refused this replica's marker write, or its lease could not be renewed. The replica stops consuming at
 * once, without moving a marker, and waits as a standby. Names the group and the epochs.
 */
public final class FencedException extends StreamingException {
    private static final long serialVersionUID = 1L;

    private final String group;
    private final long epoch;

    public FencedException(String group, long epoch, String message) {
        super(message, null);
        this.group = group;
        this.epoch = epoch;
    }

    /** The exclusive group. */
    public String group() {
        return group;
    }

    /** The epoch this replica held. */
    public long epoch() {
        return epoch;
    }
}
