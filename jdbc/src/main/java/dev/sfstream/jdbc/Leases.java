package dev.sfstream.jdbc;

import dev.sfstream.replay.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leases of exclusive groups, one row per namespace and group in {@code sfstream_lease}: taking one (a takeover
 * raises the epoch), renewing and releasing it. Expiry is judged by the database's clock only. A takeover locks the
 * row, so it waits for the old holder's open handler transactions (which hold a share lock on it), at most a third
 * of the TTL per try. What this store learns of epochs goes to the {@link MarkerWriter}, which fences older writers.
 * Thread-safe.
 */
final class Leases {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcReplayStore.class);

    private final ConnectionSource source;
    private final String where;
    private final MarkerWriter writer;
    /** Per namespace and group, the TTL of the lease this store last granted: the idle bound of handler txns. */
    private final Map<String, Duration> ttls = new ConcurrentHashMap<>();

    Leases(ConnectionSource source, String where, MarkerWriter writer) {
        this.source = source;
        this.where = where;
        this.writer = writer;
    }

    Optional<Lease> acquire(String namespace, String group, String owner, Duration ttl) {
        Optional<Lease> lease = source.with("take the lease of group " + group, where, c -> {
            try (PreparedStatement peek = c.prepareStatement(Sql.of(Sql.LEASE_PEEK))) {
                peek.setString(1, namespace);
                peek.setString(2, group);
                try (ResultSet r = peek.executeQuery()) {
                    if (r.next() && !r.getString(1).equals(owner) && !r.getBoolean(3)) {
                        return Optional.<Lease>empty(); // held by another, unexpired: no lock taken
                    }
                }
            }
            c.setAutoCommit(false);
            try {
                Optional<Lease> taken = take(c, namespace, group, owner, ttl);
                c.commit();
                return taken;
            } catch (SQLException e) {
                c.rollback();
                if ("55P03".equals(e.getSQLState())) {
                    // A handler transaction of the old holder is still open (a paused replica): wait for the next
                    // try; PostgreSQL ends that transaction once it has been idle a lease's time.
                    LOG.debug("sfstream: the lease of group {} is expired but still locked by a transaction of its "
                            + "holder; trying again later", group);
                    return Optional.<Lease>empty();
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
        lease.ifPresent(l -> {
            ttls.put(key(namespace, group), ttl);
            writer.epochSeen(namespace, group, l.epoch());
        });
        return lease;
    }

    private static Optional<Lease> take(Connection c, String namespace, String group, String owner, Duration ttl)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(Sql.LOCK_TIMEOUT)) {
            s.setString(1, Long.toString(Math.max(100, ttl.toMillis() / 3)));
            s.executeQuery().close();
        }
        try (PreparedStatement s = c.prepareStatement(Sql.of(Sql.LEASE_ENSURE))) {
            s.setString(1, namespace);
            s.setString(2, group);
            s.executeUpdate();
        }
        String holder;
        long epoch;
        boolean expired;
        try (PreparedStatement s = c.prepareStatement(Sql.of(Sql.LEASE_LOCK))) {
            s.setString(1, namespace);
            s.setString(2, group);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                holder = r.getString(1);
                epoch = r.getLong(2);
                expired = r.getBoolean(3);
            }
        }
        if (holder.equals(owner)) {
            return renewIn(c, new Lease(namespace, group, owner, epoch), ttl);
        }
        if (!expired) {
            return Optional.empty();
        }
        try (PreparedStatement s = c.prepareStatement(Sql.of(Sql.LEASE_TAKE))) {
            s.setString(1, owner);
            s.setLong(2, ttl.toMillis());
            s.setString(3, namespace);
            s.setString(4, group);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return Optional.of(new Lease(namespace, group, owner, r.getLong(1)));
            }
        }
    }

    Optional<Lease> renew(Lease lease, Duration ttl) {
        Optional<Lease> renewed = source.with("renew the lease of group " + lease.group(), where, c ->
                renewIn(c, lease, ttl));
        if (renewed.isEmpty()) {
            writer.epochSeen(lease.namespace(), lease.group(), lease.epoch() + 1);
        } else {
            ttls.put(key(lease.namespace(), lease.group()), ttl);
        }
        return renewed;
    }

    private static Optional<Lease> renewIn(Connection c, Lease lease, Duration ttl) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(Sql.of(Sql.LEASE_RENEW))) {
            s.setLong(1, ttl.toMillis());
            s.setString(2, lease.namespace());
            s.setString(3, lease.group());
            s.setString(4, lease.owner());
            s.setLong(5, lease.epoch());
            return s.executeUpdate() == 1 ? Optional.of(lease) : Optional.empty();
        }
    }

    void release(Lease lease) {
        source.with("release the lease of group " + lease.group(), where, c -> {
            try (PreparedStatement s = c.prepareStatement(Sql.of(Sql.LEASE_RELEASE))) {
                s.setString(1, lease.namespace());
                s.setString(2, lease.group());
                s.setString(3, lease.owner());
                s.setLong(4, lease.epoch());
                return s.executeUpdate();
            }
        });
    }

    /**
     * How long a handler transaction holding this lease's row may sit idle before PostgreSQL ends it: the TTL this
     * store last granted the lease with; empty when it granted none (the lease came from another store object).
     */
    Optional<Duration> idleBound(Lease lease) {
        return Optional.ofNullable(ttls.get(key(lease.namespace(), lease.group())));
    }

    private static String key(String namespace, String group) {
        return namespace + '\u0000' + group;
    }
}
