package dev.sfstream.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool. Many clients can each have their own serial
 * lane without each owning a thread: an idle lane costs no thread at all.
 */
public final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        pool.execute(this::drain);
    }

    /**
     * Runs the task on the calling thread when the lane is idle (and then whatever else was queued meanwhile), else
     * queues it; only on sfstream's own worker threads, others hand the task over as {@link #execute} does. For
     * HTTP completions, which run on those workers: it saves a hand-off to another thread.
     */
    public void executeHere(Runnable task) {
        if (!Thread.currentThread().getName().startsWith(Shared.WORKER_PREFIX)) {
            execute(task); // not one of ours (an HTTP client's own thread, say): hand it over as usual
            return;
        }
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        drain();
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                LOG.error("sfstream: a task failed on a serial lane", e);
            }
        }
    }
}
