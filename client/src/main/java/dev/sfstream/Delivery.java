package dev.sfstream;

import dev.sfstream.internal.HandOffQueue;
import dev.sfstream.internal.SerialExecutor;
import dev.sfstream.replay.Lease;
import dev.sfstream.replay.LeasedReplayStore;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayPosition;
import dev.sfstream.replay.ReplayStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything between the session and the consumer: dedupe by replay ID, the bounded hand-over to the consumer (pull
 * queue, per-channel listener lanes, or a publisher), back-pressure, and commits to the replay store.
 *
 * <p>Dedupe: per channel, the replay IDs handed out in this process ({@link SeenReplayIds}); an event handed out
 * already is dropped, so after a re-handshake that replays from the committed marker the consumer sees nothing
 * twice.
 *
 * <p>Commits: an event is committed only once the consumer finished it: a pulled event when the same thread asks
 * for the next one (or {@link #commit}), a listener's or subscriber's event when it returns normally. Events are
 * committed in replay ID order per channel ({@link ChannelCommits}): an event that is not finished (still queued,
 * being processed, or failed) holds the channel's marker before it. Closing commits nothing more.
 *
 * <p>Back-pressure: {@code outstanding} counts events handed out and not yet finished; at {@code capacity} the
 * session sends no new connect until the consumer catches up. Events already received are never dropped, except
 * those of a channel the application no longer subscribes ({@link #discard}).
 */
final class Delivery {
    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

    private final ReplayStore store;
    private volatile Lease lease;
    private volatile Consumer<FencedException> onFenced = e -> { };
    private final int capacity;
    private final Executor listenerPool;
    private final Runnable resume;
    private final Consumer<StreamingException> errorSink;
    private final ObserverCalls observer;
    private volatile String namespace = "default";

    private final Map<String, SeenReplayIds> seen = new ConcurrentHashMap<>();
    private final Map<String, ReplayPosition> lastHandedOut = new ConcurrentHashMap<>();
    private final Map<String, ChannelCommits> commits = new ConcurrentHashMap<>();
    private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();
    /** Per channel, the stored marker Salesforce refused: the next commit replaces it whatever the order. */
    private final Map<String, ReplayMarker> invalid = new ConcurrentHashMap<>();
    private final Map<String, Route> listeners = new ConcurrentHashMap<>();
    private final Set<String> discarded = ConcurrentHashMap.newKeySet();
    private final HandOffQueue<Object> pullQueue = new HandOffQueue<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger inListeners = new AtomicInteger();
    /** The events each consumer thread pulled and has not finished yet: asking for the next one finishes them. */
    private final ThreadLocal<List<StreamingEvent>> pulled = ThreadLocal.withInitial(ArrayList::new);
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final EventPublisher publisher;
    private volatile StreamingException failure;
    private volatile boolean closed;

    /** A listener and the serial lane it runs on: one channel's events are handled in order. */
    private record Route(Consumer<StreamingEvent> listener, SerialExecutor lane) {
    }

    /** Marks the end of the pull queue (close or failure). */
    static final Object END = new Object();

    /** A subscription of a pull channel was lost: the consumer gets the error in order with the events. */
    record Lost(StreamingException error) {
    }

    Delivery(ReplayStore store, int capacity, Executor listenerPool, Runnable resume,
            Consumer<StreamingException> errorSink, ObserverCalls observer) {
        this.observer = observer;
        this.publisher = new EventPublisher(this, pullQueue, listenerPool);
        this.store = store;
        this.capacity = capacity;
        this.listenerPool = listenerPool;
        this.resume = resume;
        this.errorSink = errorSink;
    }

    void namespace(String namespace) {
        this.namespace = namespace;
    }

    String namespace() {
        return namespace;
    }

    /**
     * Drops events of a channel created before {@code since} until the first one created after it arrives: a
     * NEW_EVENTS start being recovered by a replay of everything retained.
     */
    void dropCreatedBefore(String channel, Instant since) {
        notBefore.put(channel, since);
    }

    /** The lease of an exclusive group this client holds (markers are written with its epoch), or null. */
    void lease(Lease lease) {
        this.lease = lease;
    }

    /** Told when the store refused a marker because another replica took over. */
    void onFenced(Consumer<FencedException> onFenced) {
        this.onFenced = onFenced;
    }

    /** The consumers of pull channels get {@code error} once, in order with the events (a lost lease). */
    void lostAll(StreamingException error) {
        pullQueue.add(new Lost(error));
        signalPublisher();
    }

    /** Salesforce refused the channel's stored marker: the next commit replaces it, even with a lower one. */
    void invalidate(String channel, ReplayMarker refused) {
        invalid.put(channel, refused);
    }

    /** The position of the latest event of a channel handed out in this process; null when none. */
    ReplayPosition handedOut(String channel) {
        return lastHandedOut.get(channel);
    }

    boolean hasRoom() {
        return outstanding.get() < capacity;
    }

    /** The channel's events go to {@code listener} (or to the pull queue when it is null) from now on. */
    void route(String channel, Consumer<StreamingEvent> listener) {
        discarded.remove(channel);
        if (listener != null) {
            listeners.put(channel, new Route(listener, new SerialExecutor(listenerPool)));
        } else {
            listeners.remove(channel);
        }
    }

    /**
     * The application no longer subscribes the channel (it unsubscribed, or its subscribe failed): events of it that
     * still arrive are dropped instead of filling a queue nobody reads, and nothing of it is committed any more.
     */
    void discard(String channel) {
        discarded.add(channel);
        listeners.remove(channel);
        ChannelCommits c = commits.remove(channel);
        if (c != null) {
            c.clear();
        }
        // Events of it in flight are dropped unfinished: a later subscription must start from the committed marker,
        // not after what was handed out here.
        int dropped = pullQueue.removeIf(o -> o instanceof StreamingEvent e && e.channel().equals(channel));
        for (int i = 0; i < dropped; i++) {
            finished();
        }
        seen.remove(channel);
        lastHandedOut.remove(channel);
        notBefore.remove(channel);
        invalid.remove(channel);
    }

    /**
     * A confirmed subscription was lost for good (refused when it was renewed). A listener's channel stops; a pull
     * consumer gets the error from {@code receive} in order with the events, a publisher's subscriber through
     * {@code onError}.
     */
    void lost(String channel, StreamingException error) {
        boolean hadListener = listeners.containsKey(channel);
        discard(channel);
        if (!hadListener) {
            pullQueue.add(new Lost(error));
            signalPublisher();
        }
    }

    // ---------------------------------------------------------------- from the session

    /** Events of a response, in order (called on the session's lane). */
    void accept(List<StreamingEvent> events) {
        List<Object> toPull = null;
        Map<Route, List<StreamingEvent>> toListeners = null;
        for (StreamingEvent event : events) {
            received.incrementAndGet();
            observer.received(event.channel());
            if (!discarded.isEmpty() && discarded.contains(event.channel())) {
                LOG.debug("sfstream: dropped {} #{}: the channel is no longer subscribed", event.channel(),
                        event.replayId());
                continue;
            }
            if (!notBefore.isEmpty() && createdBeforeRecoveredStart(event)) {
                duplicates.incrementAndGet();
                observer.duplicateDropped(event.channel());
                continue; // retained before the subscription started: not asked for
            }
            if (event.replayId() > 0) {
                SeenReplayIds ids = seen.computeIfAbsent(event.channel(), c -> new SeenReplayIds());
                if (!ids.add(event.replayId())) {
                    duplicates.incrementAndGet();
                    observer.duplicateDropped(event.channel());
                    LOG.debug("sfstream: dropped {} #{}: already handed out", event.channel(), event.replayId());
                    continue;
                }
                if (event.replayId() == ids.highest()) {
                    lastHandedOut.put(event.channel(), event.position().orElseThrow());
                }
                commits.computeIfAbsent(event.channel(), c -> new ChannelCommits()).handedOut(event.replayId());
            }
            outstanding.incrementAndGet();
            Route route = listeners.isEmpty() ? null : listeners.get(event.channel());
            if (route != null) {
                if (toListeners == null) {
                    toListeners = new java.util.LinkedHashMap<>();
                }
                toListeners.computeIfAbsent(route, r -> new ArrayList<>()).add(event);
            } else {
                if (toPull == null) {
                    toPull = new ArrayList<>(events.size());
                }
                toPull.add(event);
            }
        }
        if (toListeners != null) {
            // Each channel's listener runs on its own lane, never on the session's thread: a slow listener must
            // hold up neither the other channels nor the next long poll.
            toListeners.forEach((route, batch) -> {
                inListeners.addAndGet(batch.size());
                route.lane().execute(() -> batch.forEach(e -> runListener(route, e)));
            });
        }
        if (toPull != null) {
            pullQueue.addAll(toPull);
            signalPublisher();
        }
    }

    private boolean createdBeforeRecoveredStart(StreamingEvent event) {
        Instant since = notBefore.get(event.channel());
        if (since == null) {
            return false;
        }
        if (event.createdDate().isBefore(since)) {
            return true;
        }
        notBefore.remove(event.channel()); // the replay reached the start: later events are all new
        return false;
    }

    /** A replay gap notice, in order with the channel's events. */
    void gap(ReplayGap gap) {
        observer.gap(gap);
        StreamingEvent event = StreamingEvent.gap(gap);
        outstanding.incrementAndGet();
        Route route = listeners.get(event.channel());
        if (route != null) {
            inListeners.incrementAndGet();
            route.lane().execute(() -> runListener(route, event));
            return;
        }
        pullQueue.add(event);
        signalPublisher();
    }

    private void signalPublisher() {
        publisher.signal();
    }

    private void runListener(Route route, StreamingEvent event) {
        long start = System.nanoTime();
        try {
            if (closed) {
                return; // queued when the client closed: left uncommitted, delivered again after a restart
            }
            observer.delivered(event);
            route.listener().accept(event);
            observer.handled(event, start, null);
            commit(event);
        } catch (HoldEvent e) {
            observer.handled(event, start, e);
            LOG.debug("sfstream: {} #{} held uncommitted: {}", event.channel(), event.replayId(), e.getMessage());
        } catch (FencedException e) {
            onFenced.accept(e); // a listener's own fenced write (a transactional commit): this replica stops at once
        } catch (StreamingException e) {
            errorSink.accept(e);
        } catch (Throwable e) {
            // Errors too (a NoClassDefFoundError, a StackOverflowError): the lane must go on with the next events.
            observer.handled(event, start, e);
            LOG.error("sfstream: the listener of {} failed on replay ID {}: the channel's replay marker stays before "
                    + "this event (later events are delivered but not committed past it) until the event is "
                    + "committed with commit(event); a restart delivers it again", event.channel(), event.replayId(),
                    e);
        } finally {
            if (inListeners.decrementAndGet() == 0) {
                synchronized (inListeners) {
                    inListeners.notifyAll();
                }
            }
            finished();
        }
    }

    /** Waits until no listener is running or queued, at most {@code timeout}; returns whether it got there. */
    boolean awaitListeners(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inListeners) {
            while (inListeners.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(inListeners, left);
            }
        }
        return true;
    }

    void finished() {
        // Wake the session only when the count crosses below the capacity, not for every event consumed.
        if (outstanding.decrementAndGet() == capacity - 1) {
            resume.run();
        }
    }

    // ---------------------------------------------------------------- pull style

    /**
     * The next event, waiting at most {@code timeout}. Commits the events this method returned before: asking for
     * the next event means the previous one is done.
     */
    Optional<StreamingEvent> receive(Duration timeout) {
        commitPulled();
        Object next;
        try {
            next = pullQueue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        if (next == null) {
            throwIfFailed();
            return Optional.empty();
        }
        if (next == END) {
            pullQueue.add(END); // keep the end visible to every consumer
            throwIfFailed();
            return Optional.empty();
        }
        if (next instanceof Lost lost) {
            throw lost.error();
        }
        StreamingEvent event = (StreamingEvent) next;
        pulled.get().add(event);
        observer.delivered(event);
        finished();
        return Optional.of(event);
    }

    boolean isEnded() {
        return closed || failure != null;
    }

    /** The calling thread asked for the next event: the events it pulled before are finished. */
    private void commitPulled() {
        List<StreamingEvent> done = pulled.get();
        if (done.isEmpty()) {
            return;
        }
        List<StreamingEvent> copy = List.copyOf(done);
        done.clear();
        copy.forEach(this::commit);
    }

    /**
     * The consumer finished an event: its marker is stored (never backwards) once every earlier event of its channel
     * handed out in this process is finished too. A gap notice or an event without replay ID is ignored. After
     * {@link #close()} a commit is stored only if the store still takes it.
     */
    void commit(StreamingEvent event) {
        Optional<ReplayMarker> marker = event.marker();
        if (marker.isEmpty()) {
            return;
        }
        ChannelCommits channel = commits.get(event.channel());
        if (channel == null && discarded.contains(event.channel())) {
            // Unsubscribed while it was being handled: what was open before it is forgotten, not finished, so its
            // marker could pass a failed event. Dropped unfinished, as discard drops the channel's events in flight.
            return;
        }
        Optional<ReplayMarker> reached = channel == null ? marker : channel.finished(marker.get());
        if (reached.isEmpty()) {
            return;
        }
        try {
            ReplayMarker refused = invalid.get(event.channel());
            Lease held = lease;
            boolean stored = held != null ? ((LeasedReplayStore) store).put(namespace, event.channel(), reached.get(),
                    held) : refused == null ? store.put(namespace, event.channel(), reached.get())
                    : store.replace(namespace, event.channel(), refused, reached.get());
            if (refused != null) {
                invalid.remove(event.channel(), refused);
            }
            if (stored) {
                observer.committed(event.channel(), reached.get());
            }
        } catch (FencedException e) {
            onFenced.accept(e); // another replica took over: this one stops; the event stays uncommitted
        } catch (ReplayStoreException e) {
            if (!closed) {
                throw e;
            }
            LOG.debug("sfstream: {} #{} finished after close; the store no longer takes it: {}", event.channel(),
                    event.replayId(), e.getMessage());
        }
    }

    private void throwIfFailed() {
        StreamingException f = failure;
        if (f != null) {
            throw f;
        }
    }

    Flow.Publisher<StreamingEvent> publisher() {
        return publisher;
    }

    /** The error the client failed with, or null. */
    StreamingException failure() {
        return failure;
    }

    /** Hands an event taken by the publisher over: delivered, handled and (when it returned) committed. */
    void publish(Flow.Subscriber<? super StreamingEvent> subscriber, StreamingEvent event) {
        long start = System.nanoTime();
        try {
            observer.delivered(event);
            subscriber.onNext(event);
            observer.handled(event, start, null);
            commit(event);
        } catch (Throwable e) {
            observer.handled(event, start, e);
            LOG.error("sfstream: the events() subscriber failed on {} #{}: the channel's replay marker stays before "
                    + "this event; a restart delivers it again", event.channel(), event.replayId(), e);
        } finally {
            finished();
        }
    }

    // ---------------------------------------------------------------- end

    /** The client failed for good: consumers see the error once the events already received are handed out. */
    void fail(StreamingException error) {
        failure = error;
        end();
    }

    /**
     * Ends delivery. Commits nothing: events pulled and not finished stay uncommitted (a consumer that failed on its
     * event, or is still processing it when a shutdown hook closes the client, gets it again after a restart).
     */
    void close() {
        closed = true;
        end();
    }

    private void end() {
        pullQueue.add(END);
        signalPublisher();
    }

    long received() {
        return received.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    int outstanding() {
        return outstanding.get();
    }
}
