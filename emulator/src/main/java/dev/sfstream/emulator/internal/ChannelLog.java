package dev.sfstream.emulator.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The retained events of one channel, in replay ID order. Replay IDs increase with gaps, as Salesforce's do (its
 * "Message Durability" page: replay IDs are not guaranteed to be contiguous); events leave the log, oldest first,
 * when they fall out of the retention window on the org's clock, when the log is over capacity, or when the org is
 * over its {@link RetentionBudget}: whichever the reason, a dropped event is gone alike, and replaying from its ID
 * is refused as from an expired one. Thread-safe
 * (every method but {@link #lastReplayId()} and {@link #droppedThrough()} is synchronized and short).
 */
final class ChannelLog {
    private final String channel;
    private final Duration retention;
    private final int capacity;
    private final RetentionBudget budget;
    private final AvroEvents avro;
    private final Random gaps;
    private final ArrayList<RetainedEvent> events = new ArrayList<>();
    private int head;
    private long bytes;
    private volatile long lastReplayId; // written under the lock, read without it
    private volatile long droppedThrough; // the same

    ChannelLog(String channel, Duration retention, int capacity, RetentionBudget budget, AvroEvents avro) {
        this.channel = channel;
        this.retention = retention;
        this.capacity = capacity;
        this.budget = budget;
        this.avro = avro;
        this.gaps = new Random(channel.hashCode());
    }

    String channel() {
        return channel;
    }

    /** Appends an event; {@code data} is built from the replay ID assigned to it. */
    synchronized RetainedEvent append(Instant at, LongFunction<Map<String, Object>> data, Map<String, Object> record,
            Set<String> userIds) {
        lastReplayId += 1 + gaps.nextInt(3);
        RetainedEvent event = new RetainedEvent(lastReplayId, at, data.apply(lastReplayId), record, userIds);
        encode(event, false); // before the event can be read: its schema follows append order
        take(event);
        expire(at);
        return event;
    }

    /**
     * The event in the Pub/Sub API's encoding ({@link AvroEvents}), made once; {@code null} on a channel that API does
     * not serve, or for an event it cannot encode.
     */
    com.salesforce.eventbus.protobuf.ConsumerEvent pubSubEvent(RetainedEvent event) {
        com.salesforce.eventbus.protobuf.ConsumerEvent encoded = event.pubSub;
        return encoded != null ? encoded : encode(event, true); // not encoded yet: restored from a data file
    }

    private com.salesforce.eventbus.protobuf.ConsumerEvent encode(RetainedEvent event, boolean restored) {
        if (avro == null) {
            return null;
        }
        try {
            event.pubSub = avro.encode(channel, event.replayId, event.data, restored);
        } catch (RuntimeException e) {
            return null; // the emulator's own data, so not expected; the Streaming API still delivers it
        }
        return event.pubSub;
    }

    /** Drops the retained events up to and including {@code replayId}, for the org's {@link RetentionBudget}. */
    synchronized void dropThrough(long replayId) {
        while (head < events.size() && events.get(head).replayId <= replayId) {
            dropHead();
        }
        compact();
    }

    /** Up to {@code max} retained events after {@code replayId}, oldest first. */
    synchronized List<RetainedEvent> after(long replayId, int max, Instant now) {
        expire(now);
        int from = firstAfter(replayId);
        int to = Math.min(events.size(), from + max);
        return from >= to ? List.of() : new ArrayList<>(events.subList(from, to));
    }

    /** Up to {@code max} of the newest retained events, oldest first. */
    synchronized List<RetainedEvent> last(int max, Instant now) {
        expire(now);
        return new ArrayList<>(events.subList(Math.max(head, events.size() - max), events.size()));
    }

    /** Whether {@code replayId} is the ID of an event still retained. */
    synchronized boolean isRetained(long replayId, Instant now) {
        expire(now);
        int i = firstAfter(replayId - 1);
        return i < events.size() && events.get(i).replayId == replayId;
    }

    /** The retained events, oldest first, for a snapshot. */
    synchronized List<RetainedEvent> retained(Instant now) {
        expire(now);
        return new ArrayList<>(events.subList(head, events.size()));
    }

    /**
     * Puts back a snapshot's events (in replay ID order) and replay ID counter, before any event is appended. The
     * caller counts them against the budget, in the org's order ({@link StreamingHub#restore}).
     */
    synchronized void restore(long last, List<RetainedEvent> retained) {
        for (RetainedEvent event : retained) {
            events.add(event);
            bytes += event.bytes;
        }
        lastReplayId = Math.max(lastReplayId, last);
    }

    /** The last replay ID given out; read without the lock, so a connect with nothing new takes no lock. */
    long lastReplayId() {
        return lastReplayId;
    }

    /** The highest replay ID that has left the log; read without the lock. */
    long droppedThrough() {
        return droppedThrough;
    }

    synchronized int size(Instant now) {
        expire(now);
        return events.size() - head;
    }

    /** The bytes of the events retained now ({@link RetainedEvent#bytes}). */
    synchronized long bytes(Instant now) {
        expire(now);
        return bytes;
    }

    /** Index of the first retained event with an ID above {@code replayId}. */
    private int firstAfter(long replayId) {
        int lo = head;
        int hi = events.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (events.get(mid).replayId <= replayId) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void take(RetainedEvent event) {
        events.add(event);
        bytes += event.bytes;
        budget.added(this, event);
    }

    private void expire(Instant now) {
        Instant cutoff = now.minus(retention);
        while (head < events.size()
                && (events.size() - head > capacity || events.get(head).createdAt.isBefore(cutoff))) {
            dropHead();
        }
        compact();
    }

    private void dropHead() {
        RetainedEvent event = events.set(head, null);
        head++;
        bytes -= event.bytes;
        droppedThrough = event.replayId;
        budget.released(event);
    }

    private void compact() {
        if (head > 1024 && head > events.size() / 2) {
            events.subList(0, head).clear();
            head = 0;
        }
    }
}
