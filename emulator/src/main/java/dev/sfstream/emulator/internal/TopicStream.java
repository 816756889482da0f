package dev.sfstream.emulator.internal;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One subscription of the Pub/Sub API ({@code Subscribe} or {@code ManagedSubscribe}) reading a topic's log from a
 * cursor, with Salesforce's pull-based flow control (its Subscribe RPC and "Flow Control" pages): the client's
 * {@code num_requested} adds credit, at most 100 pending in a call; each event sent uses one; every response says how
 * many are still pending. While credit is pending and nothing arrives, an empty response with the latest replay ID
 * goes out every keepalive interval; with no credit left, the stream is closed once the idle timeout passes after the
 * last response.
 *
 * <p>Events come from the one log the Streaming API reads: the same events, the same replay IDs. Those that leave the
 * log (retention, budget) before the stream reaches them are skipped, as a CometD subscriber skips them.
 *
 * <p>Thread-safe: gRPC's threads (requests), the server's executor (new events) and the timer (keepalives) meet under
 * this stream's lock; the work done under it is a short read of the log and non-blocking sends.
 */
final class TopicStream implements PubSubStreams.Open {
    /** The most events a call may have pending, whatever the client requests. */
    static final int MAX_PENDING = 100;
    /** Events of one response stay within this many bytes (at least one event): under gRPC's default 4 MiB. */
    private static final int MAX_RESPONSE_BYTES = 3 * 1024 * 1024;

    /** Where the stream's responses go: {@code FetchResponse} or {@code ManagedFetchResponse}. */
    interface Sink {
        void send(List<ConsumerEvent> events, ByteString latestReplayId, int pending);

        void fail(StatusRuntimeException error);

        void complete();

        /** A sink onto a call's response observer, each batch made into a response of that call's type. */
        static <R> Sink of(StreamObserver<R> responses, Response<R> response) {
            return new Sink() {
                @Override
                public void send(List<ConsumerEvent> events, ByteString latestReplayId, int pending) {
                    responses.onNext(response.of(events, latestReplayId, pending));
                }

                @Override
                public void fail(StatusRuntimeException error) {
                    responses.onError(error);
                }

                @Override
                public void complete() {
                    responses.onCompleted();
                }
            };
        }
    }

    /** Makes a call's response (a FetchResponse, a ManagedFetchResponse) of a batch. */
    interface Response<R> {
        R of(List<ConsumerEvent> events, ByteString latestReplayId, int pending);
    }

    private final PubSubStreams streams;
    private final PubSubAuth.Caller caller;
    private final String topic;
    private final ChannelLog log;
    private final StreamingHub hub;
    private final OrgClock clock;
    private final Sink sink;
    private final Runnable onEnd;
    private final long keepaliveNanos;
    private final long idleNanos;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Instant openedAt = Instant.now();
    private long cursor; // guarded by this
    private int pending; // guarded by this
    private long delivered; // guarded by this
    private long lastSent = System.nanoTime(); // guarded by this
    private boolean closed; // guarded by this

    TopicStream(PubSubStreams streams, PubSubAuth.Caller caller, String topic, StreamingHub hub, OrgClock clock,
            long cursor, Sink sink, Runnable onEnd) {
        this.streams = streams;
        this.caller = caller;
        this.topic = topic;
        this.hub = hub;
        this.log = hub.log(topic);
        this.clock = clock;
        this.cursor = cursor;
        this.sink = sink;
        this.onEnd = onEnd;
        this.keepaliveNanos = streams.settings().keepaliveInterval().toNanos();
        this.idleNanos = streams.settings().idleTimeout().toNanos();
    }

    @Override
    public PubSubAuth.Caller caller() {
        return caller;
    }

    @Override
    public String topic() {
        return topic;
    }

    /** Adds credit (at most {@link #MAX_PENDING} pending) and sends what it allows. */
    void request(int numRequested) {
        synchronized (this) {
            pending = (int) Math.min(MAX_PENDING, (long) pending + numRequested);
        }
        drain();
    }

    /** Runs a send of the caller's own (a commit response) in order with the stream's others. */
    synchronized void exclusive(Runnable send) {
        if (!closed) {
            guarded(send);
        }
    }

    synchronized int pending() {
        return pending;
    }

    @Override
    public void drainSoon() {
        if (drainScheduled.compareAndSet(false, true)) {
            streams.executor().execute(() -> {
                drainScheduled.set(false);
                drain();
            });
        }
    }

    /** Sends retained events after the cursor while credit lasts. */
    synchronized void drain() {
        while (!closed && !streams.stalled() && pending > 0 && log.lastReplayId() > cursor) {
            int room = hub.allocation().reserve(pending);
            if (room == 0) {
                end(PubSubErrors.deliveryLimit(caller.rpcId(), caller.method()));
                return;
            }
            List<RetainedEvent> batch = log.after(cursor, room, clock.instant());
            List<ConsumerEvent> events = new ArrayList<>(batch.size());
            long bytes = 0;
            for (RetainedEvent e : batch) {
                ConsumerEvent encoded = log.pubSubEvent(e);
                int size = encoded == null ? 0 : encoded.getSerializedSize();
                if (!events.isEmpty() && bytes + size > MAX_RESPONSE_BYTES) {
                    break;
                }
                cursor = e.replayId;
                if (encoded != null) {
                    events.add(encoded);
                    bytes += size;
                }
            }
            hub.allocation().release(room - events.size());
            if (batch.isEmpty()) {
                cursor = Math.max(cursor, log.droppedThrough()); // what was after the cursor has left the log
                return;
            }
            if (!events.isEmpty()) {
                pending -= events.size();
                delivered += events.size();
                lastSent = System.nanoTime();
                guarded(() -> sink.send(events, events.get(events.size() - 1).getReplayId(), pending));
            }
        }
    }

    @Override
    public synchronized void tick(long now) {
        if (closed || streams.stalled()) {
            return;
        }
        drain();
        if (closed) {
            return;
        }
        if (pending > 0 && now - lastSent >= keepaliveNanos) {
            lastSent = now;
            ByteString latest = ReplayIds.encode(cursor);
            guarded(() -> sink.send(List.of(), latest, pending));
        } else if (pending == 0 && now - lastSent >= idleNanos) {
            finish();
            guarded(sink::complete);
        }
    }

    @Override
    public synchronized void end(StatusRuntimeException error) {
        if (!closed) {
            finish();
            guarded(() -> sink.fail(error));
        }
    }

    /** The client went away. */
    synchronized void cancelled() {
        if (!closed) {
            finish();
        }
    }

    private void finish() {
        closed = true;
        streams.remove(this);
        onEnd.run();
    }

    /** A send to a call the client has cancelled meanwhile fails: the stream is then over. */
    private void guarded(Runnable send) {
        try {
            send.run();
        } catch (RuntimeException callGone) {
            if (!closed) {
                finish();
            }
        }
    }

    @Override
    public synchronized Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rpcId", caller.rpcId());
        m.put("method", caller.method());
        m.put("topic", topic);
        m.put("pendingNumRequested", pending);
        m.put("delivered", delivered);
        m.put("replayId", cursor);
        m.put("openedAt", openedAt.toString());
        return m;
    }
}
