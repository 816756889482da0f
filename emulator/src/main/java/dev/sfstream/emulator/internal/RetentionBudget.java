package dev.sfstream.emulator.internal;

import java.util.ArrayDeque;

/**
 * How many bytes of events the org retains at most, across all its channels: when an event takes the org over its
 * budget, the oldest events of the org leave their channels' logs, as events do that age out of the retention
 * window, until the org fits again. One budget for the whole org, not one per channel, because channels cost
 * nothing to open ({@code /event/<Anything>__e} needs no definition): a per-channel bound would not bound the heap.
 * An event's size is {@link RetainedEvent#bytes}.
 *
 * <p>The event just appended is never dropped for the budget, so a single event larger than the whole budget is
 * still delivered; the org is then over its budget by that one event until the next one comes.
 *
 * <p>Thread-safe. Lock order: a log's lock, then this budget's lock ({@link #added} and {@link #released} are called
 * by logs under their lock); {@link #trim} takes no lock of its own while it takes a log's.
 */
final class RetentionBudget {
    /** An event as the budget remembers it, in the order events came: its log and replay ID, not its data. */
    private record Entry(ChannelLog log, long replayId) {
        boolean gone() {
            return replayId <= log.droppedThrough();
        }
    }

    private final long maxBytes;
    private final Object trimming = new Object();
    private final ArrayDeque<Entry> order = new ArrayDeque<>(); // guarded by this
    private long bytes; // guarded by this
    private long events; // guarded by this

    RetentionBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    /**
     * Counts an event a log has taken in: called under the log's lock as events are appended, or while a snapshot
     * is restored, before the server starts.
     */
    synchronized void added(ChannelLog log, RetainedEvent event) {
        bytes += event.bytes;
        events++;
        order.addLast(new Entry(log, event.replayId));
        // Events that aged out (or went over a channel's count) leave an entry behind; sweep them now and then, so
        // that the entries never outnumber the retained events by much.
        if (order.size() > 2 * events + 1024) {
            order.removeIf(Entry::gone);
        }
    }

    /** Forgets an event a log has let go, for whatever reason; called under the log's lock. */
    synchronized void released(RetainedEvent event) {
        bytes -= event.bytes;
        events--;
    }

    /**
     * Drops the org's oldest events until its retained bytes fit the budget, but never the event just appended.
     * Call it holding no log's lock.
     *
     * @param newest the log the last event was appended to, or {@code null}
     * @param newestReplayId that event's replay ID
     */
    void trim(ChannelLog newest, long newestReplayId) {
        synchronized (trimming) { // one trimmer at a time, so that the org never drops more than it must
            while (true) {
                Entry oldest;
                synchronized (this) {
                    if (bytes <= maxBytes) {
                        return;
                    }
                    oldest = order.pollFirst();
                    if (oldest == null) {
                        return;
                    }
                    if (oldest.log() == newest && oldest.replayId() == newestReplayId) {
                        order.addFirst(oldest);
                        return;
                    }
                }
                oldest.log().dropThrough(oldest.replayId());
            }
        }
    }

    /** The bytes of the events retained now. */
    synchronized long bytes() {
        return bytes;
    }

    /** How many events are retained now. */
    synchronized long events() {
        return events;
    }
}
