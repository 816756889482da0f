package dev.sfstream;

/**
 * Thrown by a listener to leave an event uncommitted without an error being logged: the channel's marker stays
 * before it, so the event is delivered again after a restart. The declarative service throws it for the events of
 * a channel it has stopped after a handler failed.
 */
public final class HoldEvent extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HoldEvent(String reason) {
        super(reason, null, false, false);
    }
}
