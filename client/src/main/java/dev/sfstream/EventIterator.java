package dev.sfstream;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The client's blocking iterator: waits for the next event, ends when the client is closed (or the thread is
 * interrupted), and lets the client's error through. Asking for the next event finishes the previous one.
 */
final class EventIterator implements Iterator<StreamingEvent> {
    private static final Duration POLL = Duration.ofSeconds(1);

    private final Function<Duration, Optional<StreamingEvent>> receive;
    private final BooleanSupplier ended;
    private StreamingEvent next;

    EventIterator(Function<Duration, Optional<StreamingEvent>> receive, BooleanSupplier ended) {
        this.receive = receive;
        this.ended = ended;
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            Optional<StreamingEvent> e = receive.apply(POLL);
            if (e.isPresent()) {
                next = e.get();
            } else if (ended.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public StreamingEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the client is closed");
        }
        StreamingEvent e = next;
        next = null;
        return e;
    }
}
