package dev.sfstream;

import dev.sfstream.replay.ReplayMarker;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Decides which marker of one channel may be committed. A marker says "every event up to here is done": after a
 * restart Salesforce replays only what comes after it. So a finished event is committed only once every event of
 * the channel with a lower replay ID that this process handed out is finished too; until then its marker waits.
 *
 * <p>An event whose consumer failed stays open and holds the channel's commits before it: later events are still
 * delivered in this process, but the stored marker stays before the failed one, so a restart delivers it again.
 * Finishing it later (an explicit commit) releases what waited behind it.
 *
 * <p>Memory: one entry per open event (bounded by the client's queue capacity, plus events held by failures); the
 * finished events waiting behind an open one are folded into one marker. Thread-safe.
 */
final class ChannelCommits {
    /** An event handed out and not finished, and the highest finished marker between it and the next open one. */
    private static final class Open {
        ReplayMarker doneAfter;
    }

    private final TreeMap<Long, Open> open = new TreeMap<>();

    /** An event was handed out to a consumer. */
    synchronized void handedOut(long replayId) {
        open.putIfAbsent(replayId, new Open());
    }

    /**
     * An event is finished.
     *
     * @return the marker that may now be committed; empty while an earlier event is still open
     */
    synchronized Optional<ReplayMarker> finished(ReplayMarker marker) {
        Open done = open.remove(marker.replayId());
        ReplayMarker reached = done == null ? marker : later(marker, done.doneAfter);
        Map.Entry<Long, Open> before = open.lowerEntry(marker.replayId());
        if (before == null) {
            return Optional.of(reached);
        }
        before.getValue().doneAfter = later(before.getValue().doneAfter, reached);
        return Optional.empty();
    }

    /** The lowest replay ID handed out and not finished; empty when none is open. */
    synchronized Optional<Long> firstOpen() {
        return open.isEmpty() ? Optional.empty() : Optional.of(open.firstKey());
    }

    /** Forgets every open event (the channel was unsubscribed: nothing of it will finish any more). */
    synchronized void clear() {
        open.clear();
    }

    private static ReplayMarker later(ReplayMarker a, ReplayMarker b) {
        if (a == null) {
            return b;
        }
        return b != null && b.isAfter(a) ? b : a;
    }
}
