package dev.sfstream.jdbc;

import dev.sfstream.StreamingEvent;
import java.sql.Connection;

/**
 * A handler whose effect is written to the replay store's database, in the transaction that also commits the
 * event's marker (see {@link JdbcReplayStore#transactional}). It must write only through {@code connection} and must
 * not commit, roll back or close it: the listener does. Called on the channel's listener lane, one event of a
 * channel at a time.
 */
@FunctionalInterface
public interface TransactionalHandler {
    /** Writes the event's effect through {@code connection}; throwing rolls the transaction back. */
    void handle(StreamingEvent event, Connection connection) throws Exception;
}
