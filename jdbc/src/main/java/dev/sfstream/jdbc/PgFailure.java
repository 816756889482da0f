package dev.sfstream.jdbc;

import dev.sfstream.ReplayStoreException;
import java.sql.SQLException;

/** What a failure of PostgreSQL means for the store, by SQLState, said in one line that names the database. */
final class PgFailure {
    private PgFailure() {
    }

    /** The error's one-line description: the driver's message and the SQLState. */
    static String describe(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int newline = message.indexOf('\n');
        if (newline > 0) {
            message = message.substring(0, newline).strip();
        }
        return message + (e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]");
    }

    /** Whether the connection the error came on cannot be trusted again (its session is gone or unknown). */
    static boolean brokeConnection(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P") || state.equals("25P03");
    }

    /** The error of opening the store, saying what to check. */
    static ReplayStoreException atOpen(SQLException e, String where) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String what;
        if (state.equals("28P01") || state.equals("28000")) {
            what = "PostgreSQL at " + where + " refused the credentials: " + describe(e);
        } else if (state.equals("3D000")) {
            what = "PostgreSQL at " + where + " has no such database: " + describe(e);
        } else if (state.startsWith("08")) {
            what = "cannot reach PostgreSQL at " + where + " (" + describe(e) + "): check that PostgreSQL runs there "
                    + "and accepts TCP connections";
        } else {
            what = "cannot open the replay store in PostgreSQL at " + where + ": " + describe(e);
        }
        return new ReplayStoreException(what, e);
    }
}
