package dev.sfstream.internal;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An unbounded FIFO between the protocol lane and consumer threads that takes a whole batch under one lock and
 * wakes a waiting consumer once, rather than once per element as {@link java.util.concurrent.LinkedBlockingQueue}
 * does: a connect response of a thousand events costs one hand-off. (Bounding is done by the caller's
 * back-pressure, which stops polling instead of blocking the producer.)
 *
 * @param <T> the element type
 */
public final class HandOffQueue<T> {
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();

    public void add(T item) {
        lock.lock();
        try {
            items.add(item);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    public void addAll(Collection<? extends T> batch) {
        if (batch.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            items.addAll(batch);
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The head, or {@code null} when empty. */
    public T poll() {
        lock.lock();
        try {
            return items.poll();
        } finally {
            lock.unlock();
        }
    }

    /** The head, waiting up to {@code timeout}; {@code null} when none came. */
    public T poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (items.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return items.poll();
        } finally {
            lock.unlock();
        }
    }

    /** Removes the items that match; how many were removed. */
    public int removeIf(java.util.function.Predicate<? super T> filter) {
        lock.lock();
        try {
            int before = items.size();
            items.removeIf(filter);
            return before - items.size();
        } finally {
            lock.unlock();
        }
    }
}
