package dev.sfstream.jdbc;

import dev.sfstream.FencedException;
import dev.sfstream.ReplayStoreException;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.replay.Lease;
import dev.sfstream.replay.LeasedReplayStore;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayPosition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Replay markers in PostgreSQL, for services that keep their data there: replicas share the markers, elect one
 * active consumer, and a handler can commit an event's marker in the same transaction as the event's effect, so
 * that the effect happens exactly once.
 *
 * <ul>
 *   <li>Table {@code sfstream_replay_marker} holds one row per namespace and channel; {@code sfstream_lease} one
 *       row per namespace and exclusive group. Both are created on first use unless {@link Builder#createTables}
 *       is off ({@link #schema()} gives the DDL), in the connection's current schema.</li>
 *   <li>Markers only move forward, whoever writes: the comparison is the {@code WHERE} of the upsert.</li>
 *   <li>Commits are grouped: a put keeps the newest marker of its channel pending and never waits for the database;
 *       one write per commit interval (100 ms by default) sends every pending marker in one statement. When the
 *       database is away, markers stay pending and are retried while the store is open; {@link #flush()} waits at
 *       most {@code retryFor} (60 s by default).</li>
 *   <li>Leases ({@link LeasedReplayStore}): expiry is judged by the database's clock only; each takeover raises the
 *       group's epoch; every marker write carries the writer's epoch and is refused, in the same statement, when a
 *       newer one exists. A put refused that way is dropped and the next put with the old lease throws
 *       {@link FencedException}; a renewal finds the loss too.</li>
 *   <li>Transactional commit: {@link #commit(Connection, StreamingClient, StreamingEvent)} writes an event's marker
 *       in the caller's transaction, and {@link #transactional(StreamingClient, TransactionalHandler)} runs a
 *       handler in one transaction with it. Once that transaction commits the event is never delivered again; if
 *       the process dies before, it is.</li>
 * </ul>
 * Thread-safe. Messages, logs and {@link #toString()} show the database without its password.
 */
public final class JdbcReplayStore implements LeasedReplayStore {
    private final ConnectionSource source;
    private final String where;
    private final MarkerWriter writer;
    private final Leases leases;
    private volatile boolean closed;

    private JdbcReplayStore(Builder b) {
        this.source = b.dataSource != null ? ConnectionSource.of(b.dataSource) : ConnectionSource.of(b.url,
                b.properties);
        this.where = b.where();
        try {
            StoreTables.prepare(source, where, b.createTables);
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        this.writer = new MarkerWriter(source, where, b.commitInterval, b.retryFor);
        this.leases = new Leases(source, where, writer);
    }

    /** A builder for a store on the application's data source (its pool): the handlers' own database. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"), null);
    }

    /**
     * A builder for a store at a PostgreSQL JDBC URL: {@code jdbc:postgresql://host:5432/database?user=u&password=p}
     * (every parameter of the PostgreSQL driver may be given).
     */
    public static Builder builder(String jdbcUrl) {
        return new Builder(null, Objects.requireNonNull(jdbcUrl, "jdbcUrl"));
    }

    /** The DDL of the two tables, for those who manage their schema themselves (the same as in the README). */
    public static String schema() {
        try (InputStream in = JdbcReplayStore.class.getResourceAsStream("schema-postgresql.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<ReplayMarker> get(String namespace, String channel) {
        throwIfClosed();
        ReplayMarker stored = read(namespace, channel);
        ReplayMarker local = writer.pendingMarker(new MarkerWriter.Key(namespace, channel)).orElse(null);
        return Optional.ofNullable(local != null && local.isAfter(stored) ? local : stored);
    }

    private ReplayMarker read(String namespace, String channel) {
        return source.with("read the marker of " + channel, where, c -> {
            try (PreparedStatement s = c.prepareStatement(Sql.of(Sql.GET))) {
                s.setString(1, namespace);
                s.setString(2, channel);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return null;
                    }
                    Instant created = r.getObject(3, OffsetDateTime.class).toInstant();
                    try {
                        return new ReplayMarker(ReplayPosition.decode(r.getString(2)), created);
                    } catch (IllegalArgumentException e) {
                        throw new ReplayStoreException("the marker of " + channel + " in namespace " + namespace
                                + " in PostgreSQL at " + where + " is not a replay position ('" + r.getString(2)
                                + "'); it was left as it is", e);
                    }
                }
            }
        });
    }

    /**
     * Keeps the marker as the newest pending one of its channel, if it is later; the group commit writes it. Never
     * waits for the database.
     *
     * @return whether the marker was accepted for writing; the database still refuses it if another writer went
     *     further
     */
    @Override
    public boolean put(String namespace, String channel, ReplayMarker marker) {
        Objects.requireNonNull(marker, "marker");
        throwIfClosed();
        return writer.offer(new MarkerWriter.Key(namespace, channel), marker, null);
    }

    /**
     * Like {@link #put(String, String, ReplayMarker)}, with the writer's lease: the write is refused in the database
     * when the group has a newer epoch.
     *
     * @throws FencedException when a write with this lease was refused already, or this store granted a newer
     *     epoch of the group
     */
    @Override
    public boolean put(String namespace, String channel, ReplayMarker marker, Lease lease) {
        Objects.requireNonNull(marker, "marker");
        Objects.requireNonNull(lease, "lease");
        throwIfClosed();
        return writer.offer(new MarkerWriter.Key(namespace, channel), marker, lease);
    }

    @Override
    public boolean replace(String namespace, String channel, ReplayMarker invalid, ReplayMarker marker) {
        Objects.requireNonNull(marker, "marker");
        throwIfClosed();
        return writer.offerReplacing(new MarkerWriter.Key(namespace, channel), invalid, marker);
    }

    /**
     * Writes every marker put so far, waiting at most {@code retryFor}. Markers refused by a newer epoch are not
     * written, and do not make it fail.
     *
     * @throws ReplayStoreException when they cannot be written in time (they stay pending and retried)
     */
    @Override
    public void flush() {
        if (closed) {
            return;
        }
        writer.flush();
    }

    /** Flushes (which may throw), then stops the writes and closes the store's own connections. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            writer.flush();
        } finally {
            closed = true;
            writer.stop();
            source.close();
        }
    }

    /** How many markers wait to be written (the newest of each channel). For health checks and tests. */
    public int pendingMarkers() {
        return writer.pendingCount();
    }

    /** Since when writes have been failing; empty while they succeed. For health checks. */
    public Optional<Instant> failingSince() {
        return writer.failingSince();
    }

    // ---------------------------------------------------------------------------------------------- leases

    /**
     * Takes the group's lease when it is free or expired (by the database's clock), raising the epoch, or renews it
     * for its holder. A takeover waits at most a third of the TTL for the old holder's open handler transactions,
     * and returns empty when they are still open.
     */
    @Override
    public Optional<Lease> acquire(String namespace, String group, String owner, Duration ttl) {
        throwIfClosed();
        return leases.acquire(namespace, group, owner, ttl);
    }

    @Override
    public Optional<Lease> renew(Lease lease, Duration ttl) {
        throwIfClosed();
        return leases.renew(lease, ttl);
    }

    @Override
    public void release(Lease lease) {
        if (closed) {
            return;
        }
        leases.release(lease);
    }

    // ------------------------------------------------------------------------------------ transactional commit

    /**
     * Writes a channel's marker in the caller's transaction, so that it commits (or rolls back) with the caller's
     * own writes: the event's effect and its marker are one. Call it first in the transaction: it also claims the
     * event, and says whether the event was handled already.
     *
     * <p>With a lease, the write is fenced like every write of this store, and the group's lease row is locked
     * (shared) until the transaction ends, so that a takeover waits for it; the transaction may then sit idle for
     * at most the lease's time-to-live before PostgreSQL ends it (a paused replica cannot hold a takeover up).
     *
     * @param connection a connection of this store's database, in a transaction (autocommit off)
     * @param lease the lease of the client's exclusive group, or null outside one
     * @return true when the marker moved: go on with the effect; false when this marker or a later one is stored
     *     already: the event was handled (by this replica before a crash, or by another one), so skip its effect
     * @throws FencedException when a newer epoch of the group exists: roll back; the client stops consuming
     * @throws ReplayStoreException when the statement fails (roll back; the event is delivered again)
     * @throws IllegalStateException when the connection is in autocommit mode
     */
    public boolean commit(Connection connection, String namespace, String channel, ReplayMarker marker, Lease lease) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(marker, "marker");
        throwIfClosed();
        try {
            if (connection.getAutoCommit()) {
                throw new IllegalStateException("the transactional commit of " + channel + " needs a connection in a "
                        + "transaction (setAutoCommit(false)): in autocommit mode the marker would be committed "
                        + "before the event's effect");
            }
            if (lease != null) {
                writer.checkFence(lease, channel);
            }
            Duration idle = lease == null ? null : leases.idleBound(lease).orElse(null);
            String idleMillis = idle == null ? "0" : Long.toString(Math.max(1000, idle.toMillis()));
            try (PreparedStatement s = connection.prepareStatement(Sql.of(Sql.UPSERT_ONE))) {
                s.setString(1, lease == null ? null : lease.namespace());
                s.setString(2, lease == null ? null : lease.group());
                s.setString(3, idleMillis);
                s.setString(4, idleMillis);
                s.setString(5, namespace);
                s.setString(6, channel);
                s.setLong(7, marker.replayId());
                s.setString(8, marker.position().encode());
                s.setString(9, marker.createdDate().toString());
                s.setObject(10, lease == null ? null : lease.epoch(), Types.BIGINT);
                s.setObject(11, lease == null ? null : lease.epoch(), Types.BIGINT);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    long moved = r.getLong(1);
                    Long fence = r.getObject(2, Long.class);
                    if (lease != null && fence != null && fence > lease.epoch()) {
                        writer.epochSeen(lease.namespace(), lease.group(), fence);
                        throw fenced(lease, fence, channel);
                    }
                    return moved == 1;
                }
            }
        } catch (SQLException e) {
            throw new ReplayStoreException("cannot commit the marker of " + channel + " in the transaction, in "
                    + "PostgreSQL at " + where + ": " + PgFailure.describe(e), e);
        }
    }

    /**
     * {@link #commit(Connection, String, String, ReplayMarker, Lease)} for an event the client handed out: its
     * namespace, channel, marker and the client's current lease.
     *
     * @return true when the marker moved (go on with the effect); false when the event was handled already, or
     *     has no marker (a replay gap notice)
     * @throws FencedException when the client is a replica of an exclusive group and no longer holds its lease (it
     *     lost it while the event was being handled): a marker written without the lease would not be fenced
     */
    public boolean commit(Connection connection, StreamingClient client, StreamingEvent event) {
        Optional<ReplayMarker> marker = event.marker();
        if (marker.isEmpty()) {
            return false;
        }
        Lease lease = client.lease().orElse(null);
        Optional<String> group = client.exclusiveGroup();
        if (group.isPresent() && lease == null) {
            throw new FencedException(group.get(), 0, "this replica of group " + group.get() + " lost its lease "
                    + "while " + event.channel() + " #" + event.replayId() + " was being handled: roll its "
                    + "transaction back; the active replica handles the event");
        }
        return commit(connection, client.replayNamespace(), event.channel(), marker.get(), lease);
    }

    /**
     * A listener that runs {@code handler} and commits the event's marker in one transaction, on a connection of
     * this store's database: for {@code client.subscribe(channel, store.transactional(client, handler))}. See
     * {@link TransactionalListener} for retries and what happens when the handler keeps failing.
     */
    public TransactionalListener transactional(StreamingClient client, TransactionalHandler handler) {
        return new TransactionalListener(this, client, handler);
    }

    /** A connection of this store's database, autocommit on; given back with {@link #release}. */
    Connection connection() throws SQLException {
        throwIfClosed();
        return source.get();
    }

    void release(Connection c, boolean failed) {
        source.release(c, failed);
    }

    static FencedException fenced(Lease lease, long newer, String channel) {
        return new FencedException(lease.group(), lease.epoch(), "another replica of group " + lease.group()
                + " took over (epoch " + newer + " after " + lease.epoch() + "): the marker of " + channel
                + " was not written");
    }

    private void throwIfClosed() {
        if (closed) {
            throw new ReplayStoreException("the replay store in PostgreSQL at " + where + " is closed", null);
        }
    }

    /** A JDBC URL without its password, for messages. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    @Override
    public String toString() {
        return "JdbcReplayStore[" + where + "]";
    }

    /**
     * Configures a {@link JdbcReplayStore}; {@link #build()} checks the settings, connects once and checks the
     * tables. Not thread-safe; the store it builds is.
     */
    public static final class Builder {
        private final DataSource dataSource;
        private final String url;
        private final Properties properties = new Properties();
        private boolean createTables = true;
        private Duration commitInterval = Duration.ofMillis(100);
        private Duration retryFor = Duration.ofSeconds(60);

        private Builder(DataSource dataSource, String url) {
            this.dataSource = dataSource;
            this.url = url;
            if (url != null && (!url.startsWith("jdbc:postgresql:") || org.postgresql.Driver.parseURL(url, null)
                    == null)) {
                throw new IllegalArgumentException("not a PostgreSQL JDBC URL: '" + redact(url) + "'; use "
                        + "jdbc:postgresql://host:5432/database?user=...&password=...");
            }
        }

        /** Whether the tables are created when they are missing; on by default. */
        public Builder createTables(boolean createTables) {
            this.createTables = createTables;
            return this;
        }

        /** At most one write of the pending markers per interval; 100 ms by default. */
        public Builder commitInterval(Duration interval) {
            this.commitInterval = Objects.requireNonNull(interval, "commitInterval");
            return this;
        }

        /**
         * How long the database may be away before the outage is an ERROR and {@link JdbcReplayStore#flush()}
         * gives up waiting; 60 seconds by default. The writes are retried after it while the store is open.
         */
        public Builder retryFor(Duration retryFor) {
            this.retryFor = Objects.requireNonNull(retryFor, "retryFor");
            return this;
        }

        /** A property for the driver (with a URL): {@code user}, {@code password}, {@code ssl}, ... */
        public Builder property(String name, String value) {
            if (dataSource != null) {
                throw new IllegalStateException("driver properties go to the DataSource, not to the store");
            }
            properties.setProperty(name, value);
            return this;
        }

        String where() {
            if (dataSource != null) {
                return "DataSource " + dataSource.getClass().getSimpleName();
            }
            return redact(url);
        }

        /**
         * Checks the settings, connects once and checks the tables (creating them when allowed).
         *
         * @throws IllegalArgumentException when a setting is wrong
         * @throws ReplayStoreException when the database cannot be reached, refuses the credentials, or the tables
         *     are missing (and may not be created) or may not be written, saying which
         */
        public JdbcReplayStore build() {
            if (commitInterval.isNegative() || commitInterval.isZero()) {
                throw new IllegalArgumentException("commitInterval must be positive, got " + commitInterval);
            }
            if (retryFor.isNegative() || retryFor.isZero()) {
                throw new IllegalArgumentException("retryFor must be positive, got " + retryFor);
            }
            if (url != null && !properties.containsKey("ApplicationName") && !url.contains("ApplicationName=")) {
                properties.setProperty("ApplicationName", "sfstream");
            }
            return new JdbcReplayStore(this);
        }
    }
}
