package dev.sfstream.jdbc;

import dev.sfstream.FencedException;
import dev.sfstream.ReplayStoreException;
import dev.sfstream.internal.Backoff;
import dev.sfstream.internal.Shared;
import dev.sfstream.replay.Lease;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayPosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group commit: a put keeps the newest marker of its channel pending, and one write per commit interval sends
 * every pending marker in one statement per lease (so one round trip for a client), on a shared worker. When
 * PostgreSQL is away the markers stay pending and the write is retried with capped backoff while the store is
 * open; a WARN, an ERROR after {@code retryFor} and an INFO on recovery say so. A write refused by the fence (a newer
 * epoch exists) drops its markers and remembers the epoch, so that the next put with the old lease throws
 * {@link FencedException}. Writes never overlap.
 */
final class MarkerWriter {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcReplayStore.class);

    /** A channel's marker key. */
    record Key(String namespace, String channel) {
    }

    /** A marker waiting to be written: its lease (or null), the refused position it may replace, its put number. */
    private record Pending(ReplayMarker marker, Lease lease, ReplayPosition replacing, long seq) {
        long epoch() {
            return lease == null ? Long.MIN_VALUE : lease.epoch();
        }
    }

    private final ConnectionSource source;
    private final String where;
    private final Duration commitInterval;
    private final Duration retryFor;
    private final Map<Key, Pending> pending = new ConcurrentHashMap<>();
    /** Per namespace and group, the newest epoch this store has seen: a put with an older lease is fenced. */
    private final Map<String, Long> newestEpoch = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Object writeLock = new Object();
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    private volatile boolean stopped;
    private volatile Instant failingSince;
    private volatile String failure;
    private boolean reportedLong;

    MarkerWriter(ConnectionSource source, String where, Duration commitInterval, Duration retryFor) {
        this.source = source;
        this.where = where;
        this.commitInterval = commitInterval;
        this.retryFor = retryFor;
    }

    /**
     * Keeps the marker for writing if it is later than the one pending for its channel.
     *
     * @throws FencedException when the lease is older than an epoch this store has seen for its group
     */
    boolean offer(Key key, ReplayMarker marker, Lease lease) {
        if (lease != null) {
            checkFence(lease, key.channel());
        }
        Pending put = new Pending(marker, lease, null, seq.incrementAndGet());
        Pending kept = pending.merge(key, put, (old, p) -> p.marker().isAfter(old.marker())
                || (!old.marker().isAfter(p.marker()) && p.epoch() > old.epoch()) ? p : old);
        schedule();
        return kept == put;
    }

    /** Keeps the marker for writing over {@code invalid}, whatever the order of the two. */
    boolean offerReplacing(Key key, ReplayMarker invalid, ReplayMarker marker) {
        pending.put(key, new Pending(marker, null, invalid.position(), seq.incrementAndGet()));
        schedule();
        return true;
    }

    Optional<ReplayMarker> pendingMarker(Key key) {
        Pending p = pending.get(key);
        return p == null ? Optional.empty() : Optional.of(p.marker());
    }

    int pendingCount() {
        return pending.size();
    }

    Optional<Instant> failingSince() {
        return Optional.ofNullable(failingSince);
    }

    /** Throws when a newer epoch than the lease's is known for its group. */
    void checkFence(Lease lease, String channel) {
        Long newest = newestEpoch.get(groupKey(lease));
        if (newest != null && newest > lease.epoch()) {
            throw JdbcReplayStore.fenced(lease, newest, channel);
        }
    }

    /**
     * The group now has {@code epoch} (a takeover, or a write refused by it): pending markers of older leases of
     * the group are dropped, and puts with them are fenced from now on.
     */
    void epochSeen(String namespace, String group, long epoch) {
        newestEpoch.merge(namespace + '\u0000' + group, epoch, Math::max);
        pending.entrySet().removeIf(e -> e.getValue().lease() != null
                && e.getValue().lease().namespace().equals(namespace) && e.getValue().lease().group().equals(group)
                && e.getValue().lease().epoch() < epoch);
    }

    private static String groupKey(Lease lease) {
        return lease.namespace() + '\u0000' + lease.group();
    }

    /**
     * Writes every marker put so far, retrying for at most {@code retryFor}.
     *
     * @throws ReplayStoreException naming how many markers are not written (they stay pending and retried)
     */
    void flush() {
        long target = seq.get();
        long deadline = System.nanoTime() + retryFor.toNanos();
        Backoff retry = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        while (pendingUpTo(target)) {
            try {
                writeOnce();
                recovered();
            } catch (SQLException e) {
                failed(e);
                if (System.nanoTime() > deadline) {
                    throw new ReplayStoreException(pending.size() + " replay marker(s) could not be written to "
                            + "PostgreSQL at " + where + " within retryFor (" + retryFor.toSeconds() + " s): "
                            + PgFailure.describe(e) + "; they are kept in memory and retried while the store is open",
                            e);
                }
                try {
                    Thread.sleep(retry.next().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new ReplayStoreException("interrupted while flushing replay markers to PostgreSQL at "
                            + where, ie);
                }
            }
        }
    }

    private boolean pendingUpTo(long target) {
        for (Pending p : pending.values()) {
            if (p.seq() <= target) {
                return true;
            }
        }
        return false;
    }

    /** Stops the background writes; markers still pending are not written. */
    void stop() {
        stopped = true;
    }

    private void schedule() {
        if (!stopped && scheduled.compareAndSet(false, true)) {
            Shared.timer().schedule(() -> Shared.workers().execute(this::writeDue), commitInterval.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    private void writeDue() {
        scheduled.set(false);
        if (stopped) {
            return;
        }
        try {
            writeOnce();
            recovered();
            backoff.reset();
        } catch (SQLException | RuntimeException e) {
            failed(e);
            if (!stopped && scheduled.compareAndSet(false, true)) {
                Shared.timer().schedule(() -> Shared.workers().execute(this::writeDue), backoff.next().toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    /** One write of everything pending: the markers of each lease in one statement, replacements one by one. */
    private void writeOnce() throws SQLException {
        synchronized (writeLock) {
            if (pending.isEmpty()) {
                return;
            }
            Map<Key, Pending> batch = new HashMap<>(pending);
            Map<Lease, List<Map.Entry<Key, Pending>>> byLease = new LinkedHashMap<>();
            List<Map.Entry<Key, Pending>> replacing = new ArrayList<>();
            for (Map.Entry<Key, Pending> e : batch.entrySet()) {
                if (e.getValue().replacing() != null) {
                    replacing.add(e);
                } else {
                    byLease.computeIfAbsent(e.getValue().lease(), l -> new ArrayList<>()).add(e);
                }
            }
            Connection c = source.get();
            boolean broken = false;
            try {
                for (Map.Entry<Lease, List<Map.Entry<Key, Pending>>> group : byLease.entrySet()) {
                    write(c, group.getKey(), group.getValue());
                }
                for (Map.Entry<Key, Pending> e : replacing) {
                    replace(c, e.getKey(), e.getValue());
                    pending.remove(e.getKey(), e.getValue());
                }
            } catch (SQLException e) {
                broken = PgFailure.brokeConnection(e);
                throw e;
            } finally {
                source.release(c, broken);
            }
        }
    }

    private void write(Connection c, Lease lease, List<Map.Entry<Key, Pending>> entries) throws SQLException {
        int n = entries.size();
        String[] namespaces = new String[n];
        String[] channels = new String[n];
        Long[] numbers = new Long[n];
        String[] positions = new String[n];
        String[] created = new String[n];
        for (int i = 0; i < n; i++) {
            Key k = entries.get(i).getKey();
            ReplayMarker m = entries.get(i).getValue().marker();
            namespaces[i] = k.namespace();
            channels[i] = k.channel();
            numbers[i] = m.replayId();
            positions[i] = m.position().encode();
            created[i] = m.createdDate().toString();
        }
        Long fence;
        try (PreparedStatement s = c.prepareStatement(Sql.of(Sql.UPSERT_MANY))) {
            s.setString(1, lease == null ? null : lease.namespace());
            s.setString(2, lease == null ? null : lease.group());
            s.setObject(3, lease == null ? null : lease.epoch(), java.sql.Types.BIGINT);
            s.setArray(4, c.createArrayOf("text", namespaces));
            s.setArray(5, c.createArrayOf("text", channels));
            s.setArray(6, c.createArrayOf("bigint", numbers));
            s.setArray(7, c.createArrayOf("text", positions));
            s.setArray(8, c.createArrayOf("text", created));
            s.setObject(9, lease == null ? null : lease.epoch(), java.sql.Types.BIGINT);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                fence = (Long) r.getObject(2, Long.class);
            }
        }
        for (Map.Entry<Key, Pending> e : entries) {
            pending.remove(e.getKey(), e.getValue());
        }
        if (lease != null && fence != null && fence > lease.epoch()) {
            epochSeen(lease.namespace(), lease.group(), fence);
            LOG.warn("sfstream: {} replay marker(s) of group {} were refused by PostgreSQL at {}: another replica took "
                    + "over (epoch {} after {}); they were not written", n, lease.group(), where, fence, lease.epoch());
        }
    }

    private void replace(Connection c, Key k, Pending p) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(Sql.of(Sql.REPLACE))) {
            s.setString(1, k.namespace());
            s.setString(2, k.channel());
            s.setLong(3, p.marker().replayId());
            s.setString(4, p.marker().position().encode());
            s.setString(5, p.marker().createdDate().toString());
            s.setString(6, p.replacing().encode());
            s.executeUpdate();
        }
    }

    private void failed(Exception e) {
        String cause = e instanceof SQLException sql ? PgFailure.describe(sql) : e.toString();
        failure = cause;
        Instant now = Instant.now();
        if (failingSince == null) {
            failingSince = now;
            LOG.warn("sfstream: the replay store cannot write to PostgreSQL at {} ({}); {} replay marker(s) kept in "
                    + "memory and retried, delivery goes on", where, cause, pending.size());
        } else if (!reportedLong && Duration.between(failingSince, now).compareTo(retryFor) > 0) {
            reportedLong = true;
            LOG.error("sfstream: the replay store has not been able to write to PostgreSQL at {} for {} s, longer than "
                    + "retryFor ({} s): {}. {} replay marker(s) are kept in memory and retried; if this process "
                    + "stopped now, the events after the last marker written would be delivered again", where,
                    Duration.between(failingSince, now).toSeconds(), retryFor.toSeconds(), cause, pending.size());
        }
    }

    private void recovered() {
        Instant since = failingSince;
        if (since != null) {
            failingSince = null;
            reportedLong = false;
            LOG.info("sfstream: the replay store writes to PostgreSQL at {} again after {} s", where,
                    Duration.between(since, Instant.now()).toSeconds());
        }
    }

    /** The last failure, for messages; empty while writes succeed. */
    Optional<String> failure() {
        return failingSince == null ? Optional.empty() : Optional.ofNullable(failure);
    }
}
