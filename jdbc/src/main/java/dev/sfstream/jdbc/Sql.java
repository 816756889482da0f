package dev.sfstream.jdbc;

/**
 * The store's SQL for PostgreSQL, in one place. Two rules run inside the database, each in the one statement that
 * writes: a marker never moves backwards ({@link #FORWARD}), and a writer carrying a lease epoch older than the
 * group's current one writes nothing (the {@code fence} common table expression). The fence row is read
 * {@code FOR KEY SHARE}: a takeover locks it {@code FOR UPDATE}, so it waits for the handler transactions of the
 * old epoch that are still open, and none of them can commit after it (claim, then read). Renewals update the row
 * without touching its key, which {@code FOR KEY SHARE} does not block. Every time is the database's
 * ({@code clock_timestamp()}); the replicas' clocks are never compared.
 */
final class Sql {
    static final String MARKER_TABLE = "sfstream_replay_marker";
    static final String LEASE_TABLE = "sfstream_lease";

    /**
     * Whether the new marker ({@code EXCLUDED}) is later than the stored one ({@code m}): by number, or, when either
     * position has no number (a Pub/Sub position of more than 8 bytes), when it differs, as
     * {@code ReplayPosition.isAfter} decides.
     */
    static final String FORWARD = """
            ((EXCLUDED.replay_id >= 0 AND m.replay_id >= 0 AND EXCLUDED.replay_id > m.replay_id)
               OR ((EXCLUDED.replay_id < 0 OR m.replay_id < 0) AND EXCLUDED.position <> m.position))""";

    private static final String SET_ALL = """
            SET replay_id = EXCLUDED.replay_id, position = EXCLUDED.position, created_date = EXCLUDED.created_date,
                epoch = EXCLUDED.epoch, updated_at = EXCLUDED.updated_at""";

    /**
     * The group commit: many markers of one writer in one statement, fenced by one lease (or none: a null group
     * matches no fence row). Parameters: namespace and group of the lease, the epoch written, the five arrays
     * (namespace, channel, replay_id, position, created_date as text), the epoch compared. Returns the number of
     * markers that moved and the group's current epoch (null without a lease row).
     */
    static final String UPSERT_MANY = """
            WITH fence AS (
                SELECT epoch FROM %2$s WHERE namespace = ? AND grp = ? FOR KEY SHARE),
            moved AS (
                INSERT INTO %1$s AS m (namespace, channel, replay_id, position, created_date, epoch, updated_at)
                SELECT v.namespace, v.channel, v.replay_id, v.position, v.created_date::timestamptz, ?::bigint,
                       clock_timestamp()
                  FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[])
                       AS v(namespace, channel, replay_id, position, created_date)
                 WHERE NOT EXISTS (SELECT 1 FROM fence WHERE fence.epoch > ?::bigint)
                 ORDER BY v.namespace, v.channel
                ON CONFLICT (namespace, channel) DO UPDATE
                """ + SET_ALL + """

                 WHERE""" + FORWARD + """

                RETURNING 1)
            SELECT (SELECT count(*) FROM moved), (SELECT max(epoch) FROM fence)""";

    /**
     * One marker in the caller's transaction (the transactional commit), fenced like {@link #UPSERT_MANY}; it also
     * bounds how long the transaction may then sit idle (a paused replica must not hold a takeover up forever).
     * Parameters: lease namespace, group, idle timeout in milliseconds (text; '0' leaves the session's), namespace,
     * channel, replay_id, position, created_date, epoch written, epoch compared.
     */
    static final String UPSERT_ONE = """
            WITH fence AS (
                SELECT epoch FROM %2$s WHERE namespace = ? AND grp = ? FOR KEY SHARE),
            idle AS (
                SELECT CASE WHEN ?::text = '0' THEN ''
                            ELSE set_config('idle_in_transaction_session_timeout', ?::text, true) END AS v),
            moved AS (
                INSERT INTO %1$s AS m (namespace, channel, replay_id, position, created_date, epoch, updated_at)
                SELECT ?, ?, ?, ?, ?::timestamptz, ?::bigint, clock_timestamp()
                 WHERE NOT EXISTS (SELECT 1 FROM fence WHERE fence.epoch > ?::bigint)
                ON CONFLICT (namespace, channel) DO UPDATE
                """ + SET_ALL + """

                 WHERE""" + FORWARD + """

                RETURNING 1)
            SELECT (SELECT count(*) FROM moved), (SELECT max(epoch) FROM fence), (SELECT v FROM idle)""";

    /**
     * A marker over one Salesforce refused, whatever the order (never fenced: a client in an exclusive group does
     * not replace). Parameters: namespace, channel, replay_id, position, created_date, the refused position.
     */
    static final String REPLACE = """
            INSERT INTO %1$s AS m (namespace, channel, replay_id, position, created_date, epoch, updated_at)
            VALUES (?, ?, ?, ?, ?::timestamptz, NULL, clock_timestamp())
            ON CONFLICT (namespace, channel) DO UPDATE
            """ + SET_ALL + """

             WHERE m.position = ? OR""" + FORWARD;

    static final String GET = "SELECT replay_id, position, created_date FROM %1$s WHERE namespace = ? AND channel = ?";

    /** The lease as it stands, without a lock: a standby's look that never waits for the active replica. */
    static final String LEASE_PEEK = "SELECT holder, epoch, expires_at <= clock_timestamp() FROM %2$s "
            + "WHERE namespace = ? AND grp = ?";
    static final String LEASE_ENSURE = "INSERT INTO %2$s (namespace, grp, epoch, holder, expires_at) "
            + "VALUES (?, ?, 0, '', '-infinity') ON CONFLICT DO NOTHING";
    static final String LEASE_LOCK = "SELECT holder, epoch, expires_at <= clock_timestamp() FROM %2$s "
            + "WHERE namespace = ? AND grp = ? FOR UPDATE";
    static final String LEASE_TAKE = "UPDATE %2$s SET epoch = epoch + 1, holder = ?, "
            + "expires_at = clock_timestamp() + ? * interval '1 millisecond' WHERE namespace = ? AND grp = ? "
            + "RETURNING epoch";
    static final String LEASE_RENEW = "UPDATE %2$s SET expires_at = clock_timestamp() + ? * interval '1 millisecond' "
            + "WHERE namespace = ? AND grp = ? AND holder = ? AND epoch = ?";
    static final String LEASE_RELEASE = "UPDATE %2$s SET expires_at = '-infinity' "
            + "WHERE namespace = ? AND grp = ? AND holder = ? AND epoch = ?";
    static final String LOCK_TIMEOUT = "SELECT set_config('lock_timeout', ?, true)";

    /** The columns the store reads and writes, to tell a table of another program from sfstream's. */
    static final String CHECK_MARKER_COLUMNS = "SELECT namespace, channel, replay_id, position, created_date, epoch, "
            + "updated_at FROM %1$s WHERE false";
    static final String CHECK_LEASE_COLUMNS = "SELECT namespace, grp, epoch, holder, expires_at FROM %2$s WHERE false";

    private Sql() {
    }

    /** A statement with the table names in place. */
    static String of(String template) {
        return String.format(template, MARKER_TABLE, LEASE_TABLE);
    }
}
