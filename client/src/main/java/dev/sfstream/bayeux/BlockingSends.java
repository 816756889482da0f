package dev.sfstream.bayeux;

import dev.sfstream.internal.Shared;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * A few threads that send requests with the JDK client's blocking {@code send}, where its {@code sendAsync} is slow:
 * on Java 17 to 20, {@code sendAsync} completes every exchange through {@code CompletableFuture}'s default
 * executor, which on a machine with two cores or fewer (a common pool of one thread) starts a new thread per
 * response. That thread start is on no path of ours (answers are taken from the body handler), but on two cores it
 * competes with the thread that has to send the next long poll: measured at 2,000 events/s, a raw loop chained on
 * {@code sendAsync} had a median latency 2.5 to 4 times that of the same loop on {@code send}. Java 21 and later do
 * not have the problem, nor do larger machines, so this is off there.
 *
 * <p>At most {@value #SLOTS} requests of the whole JVM are sent this way at a time (a held long poll keeps its
 * thread until it is answered); the others go through {@code sendAsync}, so the thread count does not grow with
 * the number of clients.
 */
final class BlockingSends {
    /** How many requests may block a thread at once, in the whole JVM. */
    static final int SLOTS = 8;
    private static final boolean ENABLED = Runtime.version().feature() < 21
            && ForkJoinPool.getCommonPoolParallelism() <= 1;
    private static final Semaphore FREE = new Semaphore(SLOTS);
    private static final ExecutorService SENDERS = Executors.newCachedThreadPool(Shared.daemon("sfstream-http-"));

    private BlockingSends() {
    }

    /** Whether this request is to be sent blocking; if so, a slot is taken, given back by {@link #submit}'s task. */
    static boolean take() {
        return ENABLED && FREE.tryAcquire();
    }

    /** Runs a blocking send on a sender thread, then frees the slot {@link #take} took. */
    static Future<?> submit(Runnable send) {
        return SENDERS.submit(() -> {
            try {
                send.run();
            } finally {
                FREE.release();
            }
        });
    }
}
