package dev.sfstream.emulator.internal;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The org's daily allocation of delivered events (Salesforce's streaming allocations: 10,000 a day for a Developer
 * Edition; none by default here), counted per UTC day on the org's clock.
 * Events are counted when they are handed to a client session; once the day's allocation is spent, further events
 * stay in their channel logs (they can be replayed within retention, and go out the next day) and a
 * {@code /meta/connect} with nothing left to carry is refused with {@code 403::Organization total events daily
 * limit exceeded}. Thread-safe.
 */
final class DeliveryAllocation {
    private final long limit;
    private final Clock clock;
    private LocalDate day;
    private long deliveredToday;

    /** @param limit deliveries allowed per day; 0 for no limit */
    DeliveryAllocation(long limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    /** Reserves up to {@code wanted} deliveries for today; returns how many may go out. */
    synchronized int reserve(int wanted) {
        rollOver();
        if (limit == 0) {
            deliveredToday += wanted;
            return wanted;
        }
        int granted = (int) Math.max(0, Math.min(wanted, limit - deliveredToday));
        deliveredToday += granted;
        return granted;
    }

    /** Gives back deliveries reserved but not used. */
    synchronized void release(int unused) {
        deliveredToday = Math.max(0, deliveredToday - unused);
    }

    /** Whether today's allocation is spent. */
    synchronized boolean exhausted() {
        rollOver();
        return limit > 0 && deliveredToday >= limit;
    }

    /** The day's allocation, as {@code /limits} reports it: the limit, or 1,000,000 when there is none. */
    long max() {
        return limit == 0 ? 1_000_000 : limit;
    }

    /** What is left of today's allocation. */
    synchronized long remaining() {
        rollOver();
        return Math.max(0, max() - deliveredToday);
    }

    private void rollOver() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (!today.equals(day)) {
            day = today;
            deliveredToday = 0;
        }
    }
}
