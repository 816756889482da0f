package dev.sfstream;

import dev.sfstream.internal.HandOffQueue;
import dev.sfstream.internal.SerialExecutor;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client's {@code events()}: the pull queue as a {@link Flow.Publisher} with back-pressure. Events go out as the
 * one subscriber requests them, on a serial lane of their own; the end of the client completes the subscriber, its
 * failure or a lost subscription fails it.
 */
final class EventPublisher implements Flow.Publisher<StreamingEvent> {
    private final Delivery delivery;
    private final HandOffQueue<Object> queue;
    private final Executor pool;
    private final AtomicBoolean taken = new AtomicBoolean();
    private volatile Bridge current;

    EventPublisher(Delivery delivery, HandOffQueue<Object> queue, Executor pool) {
        this.delivery = delivery;
        this.queue = queue;
        this.pool = pool;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super StreamingEvent> subscriber) {
        if (!taken.compareAndSet(false, true)) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            subscriber.onError(new IllegalStateException("this client's events() already has a subscriber"));
            return;
        }
        Bridge bridge = new Bridge(subscriber);
        current = bridge;
        subscriber.onSubscribe(bridge);
        bridge.signal();
    }

    /** Something was queued, or the end came: the subscriber gets it if it asked for it. */
    void signal() {
        Bridge b = current;
        if (b != null) {
            b.signal();
        }
    }

    /** The subscription of the one subscriber. */
    private final class Bridge implements Flow.Subscription {
        private final Flow.Subscriber<? super StreamingEvent> subscriber;
        private final SerialExecutor lane = new SerialExecutor(pool);
        private final AtomicLong demand = new AtomicLong();
        private volatile boolean cancelled;
        private boolean completed;

        Bridge(Flow.Subscriber<? super StreamingEvent> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancelled = true;
                lane.execute(() -> subscriber.onError(new IllegalArgumentException("request(n) needs n > 0 "
                        + "(Reactive Streams rule 3.9)")));
                return;
            }
            demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            signal();
        }

        @Override
        public void cancel() {
            cancelled = true;
            current = null;
            taken.set(false);
        }

        void signal() {
            lane.execute(this::drain);
        }

        private void drain() {
            while (!cancelled && !completed && demand.get() > 0) {
                Object next = queue.poll();
                if (next == null) {
                    return;
                }
                if (next == Delivery.END || next instanceof Delivery.Lost) {
                    if (next == Delivery.END) {
                        queue.add(Delivery.END); // keep the end visible to pulling consumers
                    }
                    completed = true;
                    StreamingException f = next instanceof Delivery.Lost lost ? lost.error() : delivery.failure();
                    if (f != null) {
                        subscriber.onError(f);
                    } else {
                        subscriber.onComplete();
                    }
                    return;
                }
                demand.decrementAndGet();
                delivery.publish(subscriber, (StreamingEvent) next);
            }
        }
    }
}
