package dev.sfstream;

import java.util.Arrays;

/**
 * The replay IDs of one channel that this process has handed out, for dropping duplicates.
 *
 * <p>Exact for the most recent {@link #WINDOW} IDs: an event whose ID is lower than the highest one seen but was
 * never handed out (a response that completed late, after a later one) is delivered, not taken for a duplicate. IDs
 * older than the window are taken for duplicates, which only matters for a replay of more than {@code WINDOW}
 * events arriving out of order. Memory: at most {@code 2 * WINDOW} longs per channel, amortized O(1) per event in
 * the usual increasing order.
 *
 * <p>Not thread-safe: used on the session's lane only.
 */
final class SeenReplayIds {
    static final int WINDOW = 1024;

    private long[] ids = new long[16];
    private int size;
    private boolean forgotten;

    /** Records an ID; {@code false} when it was handed out already (or is older than the window). */
    boolean add(long id) {
        if (size == 0 || id > ids[size - 1]) {
            append(id);
            return true;
        }
        int found = Arrays.binarySearch(ids, 0, size, id);
        if (found >= 0) {
            return false;
        }
        int at = -found - 1;
        if (at == 0 && forgotten) {
            return false;
        }
        grow();
        System.arraycopy(ids, at, ids, at + 1, size - at);
        ids[at] = id;
        size++;
        trim();
        return true;
    }

    /** The highest ID handed out; 0 when none. */
    long highest() {
        return size == 0 ? 0 : ids[size - 1];
    }

    private void append(long id) {
        grow();
        ids[size++] = id;
        trim();
    }

    private void grow() {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, Math.min(ids.length * 2, 2 * WINDOW + 1));
        }
    }

    /** Forgets the oldest IDs in one step once the array holds twice the window. */
    private void trim() {
        if (size > 2 * WINDOW) {
            System.arraycopy(ids, size - WINDOW, ids, 0, WINDOW);
            size = WINDOW;
            forgotten = true;
        }
    }
}
