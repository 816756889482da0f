package dev.sfstream.spring.boot;

/**
 * The {@code sfstream.replay.jdbc.*} properties: the replay store on the application's DataSource
 * ({@code sfstream.replay-store=jdbc}, see {@link SfstreamJdbcAutoConfiguration}). Bound by Boot as part of
 * {@link SfstreamProperties}; not thread-safe, read after binding only.
 */
public class SfstreamJdbcReplayProperties {
    /**
     * Whether the store creates its two tables (sfstream_replay_marker, sfstream_lease) when they are missing;
     * false when a migration tool or a DBA creates them (JdbcReplayStore.schema() gives the DDL).
     */
    private boolean createTables = true;

    /**
     * Whether each event's handlers run in a transaction of the application's PlatformTransactionManager that
     * also commits the event's marker: the handlers' database writes and the marker commit together, and an
     * event whose marker is committed is never handled again. False commits markers after the handlers, as
     * other stores do.
     */
    private boolean transactional = true;

    public boolean isCreateTables() {
        return createTables;
    }

    public void setCreateTables(boolean createTables) {
        this.createTables = createTables;
    }

    public boolean isTransactional() {
        return transactional;
    }

    public void setTransactional(boolean transactional) {
        this.transactional = transactional;
    }
}
