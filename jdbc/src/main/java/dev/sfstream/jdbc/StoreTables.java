package dev.sfstream.jdbc;

import dev.sfstream.ReplayStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's two tables as the store opens: there (or created, when allowed), sfstream's (their columns are there),
 * and readable and writable by the connection's user. Each failure is a {@link ReplayStoreException} that says what
 * to do: the DDL to run, the {@code GRANT} to give, the schema and user concerned.
 */
final class StoreTables {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcReplayStore.class);

    private StoreTables() {
    }

    /** Checks the connection and the tables, creating them when allowed and missing. */
    static void prepare(ConnectionSource source, String where, boolean createTables) {
        Connection c;
        try {
            c = source.get();
        } catch (SQLException e) {
            throw PgFailure.atOpen(e, where);
        }
        boolean failed = false;
        try {
            if (!exist(c)) {
                if (!createTables) {
                    throw new ReplayStoreException("the replay store's tables " + Sql.MARKER_TABLE + " and "
                            + Sql.LEASE_TABLE + " do not exist in PostgreSQL at " + where + " (schema "
                            + currentSchema(c) + ") and createTables is off: create them with the DDL of "
                            + "JdbcReplayStore.schema() (in sfstream-jdbc's README), or allow createTables", null);
                }
                create(c, where);
            }
            check(c, where);
        } catch (SQLException e) {
            failed = true;
            throw PgFailure.atOpen(e, where);
        } finally {
            source.release(c, failed);
        }
    }

    private static boolean exist(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL AND to_regclass(?) IS NOT "
                + "NULL")) {
            s.setString(1, Sql.MARKER_TABLE);
            s.setString(2, Sql.LEASE_TABLE);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private static String currentSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT current_schema()")) {
            r.next();
            return r.getString(1);
        }
    }

    private static String currentUser(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT current_user")) {
            r.next();
            return r.getString(1);
        }
    }

    private static void create(Connection c, String where) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(JdbcReplayStore.schema());
            LOG.info("sfstream: created the replay store's tables {} and {} in PostgreSQL at {}", Sql.MARKER_TABLE,
                    Sql.LEASE_TABLE, where);
        } catch (SQLException e) {
            String state = String.valueOf(e.getSQLState());
            if (state.equals("42501") || state.equals("3F000")) {
                throw new ReplayStoreException("the replay store's tables " + Sql.MARKER_TABLE + " and "
                        + Sql.LEASE_TABLE + " do not exist in PostgreSQL at " + where + " and user " + currentUser(c)
                        + " may not create them in schema " + currentSchema(c) + " (" + PgFailure.describe(e)
                        + "): create them with the DDL of JdbcReplayStore.schema() (in sfstream-jdbc's README) as a "
                        + "user who may, and grant SELECT, INSERT, UPDATE on both to " + currentUser(c), e);
            }
            if (state.equals("23505") || state.equals("42P07")) {
                return; // another replica created them at the same moment
            }
            throw e;
        }
    }

    /** The tables are sfstream's (their columns are there) and this user may read and write them. */
    private static void check(Connection c, String where) throws SQLException {
        for (String[] table : new String[][] {{Sql.MARKER_TABLE, Sql.CHECK_MARKER_COLUMNS},
            {Sql.LEASE_TABLE, Sql.CHECK_LEASE_COLUMNS}}) {
            try (PreparedStatement s = c.prepareStatement("SELECT has_table_privilege(to_regclass(?), 'SELECT'), "
                    + "has_table_privilege(to_regclass(?), 'INSERT'), has_table_privilege(to_regclass(?), 'UPDATE')")) {
                s.setString(1, table[0]);
                s.setString(2, table[0]);
                s.setString(3, table[0]);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    if (!r.getBoolean(1) || !r.getBoolean(2) || !r.getBoolean(3)) {
                        throw new ReplayStoreException("user " + currentUser(c) + " may not read and write the replay "
                                + "store's table " + table[0] + " in PostgreSQL at " + where + ": GRANT SELECT, "
                                + "INSERT, UPDATE ON " + table[0] + " TO " + currentUser(c), null);
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.executeQuery(Sql.of(table[1])).close();
            } catch (SQLException e) {
                if ("42703".equals(e.getSQLState())) {
                    throw new ReplayStoreException("the table " + table[0] + " in PostgreSQL at " + where + " is not "
                            + "the replay store's (" + PgFailure.describe(e) + "); see JdbcReplayStore.schema()", e);
                }
                throw e;
            }
        }
    }
}
