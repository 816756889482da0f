package dev.sfstream.jdbc;

import dev.sfstream.ReplayStoreException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Where the store's connections come from: the application's {@link DataSource} (its pool), or, for a
 * {@code jdbc:postgresql://} location, the driver with a few idle connections kept for reuse. A connection that
 * failed is closed, never reused. Thread-safe.
 */
abstract class ConnectionSource implements AutoCloseable {
    /** A connection in autocommit mode. */
    abstract Connection get() throws SQLException;

    /** Gives a connection back: reused when it is still good, closed otherwise. */
    abstract void release(Connection connection, boolean failed);

    @Override
    public abstract void close();

    /** Something done with a connection of the store. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Does {@code work} with a connection and gives it back (closed instead when the failure broke it).
     *
     * @param what what is done, for the message: "renew the lease of group g"
     * @param where the database, without its password
     * @throws ReplayStoreException when it fails: "cannot " + what + " in PostgreSQL at " + where + the reason
     */
    <T> T with(String what, String where, Work<T> work) {
        Connection c;
        try {
            c = get();
        } catch (SQLException e) {
            throw new ReplayStoreException("cannot " + what + " in PostgreSQL at " + where + ": "
                    + PgFailure.describe(e), e);
        }
        boolean broken = false;
        try {
            return work.run(c);
        } catch (SQLException e) {
            broken = PgFailure.brokeConnection(e);
            throw new ReplayStoreException("cannot " + what + " in PostgreSQL at " + where + ": "
                    + PgFailure.describe(e), e);
        } finally {
            release(c, broken);
        }
    }

    static ConnectionSource of(DataSource dataSource) {
        return new Pooled(dataSource);
    }

    static ConnectionSource of(String url, Properties properties) {
        return new Direct(url, properties);
    }

    /** The application's pool: borrowed per use and closed (given back) after it. */
    private static final class Pooled extends ConnectionSource {
        private final DataSource dataSource;

        Pooled(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        Connection get() throws SQLException {
            Connection c = dataSource.getConnection();
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            return c;
        }

        @Override
        void release(Connection connection, boolean failed) {
            closeQuietly(connection);
        }

        @Override
        public void close() {
            // the pool is the application's
        }
    }

    /** Connections of the driver, a few of them kept idle. */
    private static final class Direct extends ConnectionSource {
        private static final int IDLE = 4;
        private final String url;
        private final Properties properties;
        private final Deque<Connection> idle = new ArrayDeque<>();
        private boolean closed;

        Direct(String url, Properties properties) {
            this.url = url;
            this.properties = properties;
        }

        @Override
        Connection get() throws SQLException {
            synchronized (idle) {
                Connection c = idle.pollFirst();
                if (c != null) {
                    return c;
                }
            }
            return DriverManager.getConnection(url, properties);
        }

        @Override
        void release(Connection connection, boolean failed) {
            try {
                if (!failed && !connection.isClosed() && !connection.getAutoCommit()) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                failed = true;
            }
            synchronized (idle) {
                if (!failed && !closed && idle.size() < IDLE) {
                    idle.addFirst(connection);
                    return;
                }
            }
            closeQuietly(connection);
        }

        @Override
        public void close() {
            synchronized (idle) {
                closed = true;
                idle.forEach(ConnectionSource::closeQuietly);
                idle.clear();
            }
        }
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            // closing a broken connection may fail; it is gone either way
        }
    }
}
