package dev.sfstream.spring.boot;

import dev.sfstream.FencedException;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.jdbc.JdbcReplayStore;
import dev.sfstream.service.HandlerInvoker;
import dev.sfstream.service.StreamingService;
import java.sql.Connection;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs each event's handlers in one transaction of the application's {@link PlatformTransactionManager} that also
 * commits the event's replay marker, on the {@link DataSource} the {@link JdbcReplayStore} keeps its markers in: the
 * handlers' writes to that database and the marker commit together, or neither does.
 *
 * <p>Per attempt at an event: a transaction begins (or the caller's is joined, {@code PROPAGATION_REQUIRED}); the
 * marker is written first on the transaction's connection ({@link DataSourceUtils#getConnection}), which also tells
 * whether the event was handled already; unless it was, the handlers run, and a {@code @Transactional} handler, a
 * {@code JdbcTemplate} or JPA on that DataSource joins the same transaction; then it commits.
 * <ul>
 *   <li>once committed, the event is never handled again: a redelivery (after a crash, a takeover, a re-handshake)
 *       finds its marker and the handlers are skipped;</li>
 *   <li>a handler that throws rolls back its writes and the marker, and the attempt is retried
 *       ({@code sfstream.retries}); then {@code sfstream.error-policy} applies: {@code stop} leaves the marker before
 *       the event, {@code skip} commits the marker without the handlers' writes;</li>
 *   <li>when another replica of the exclusive group took over (or this one lost its lease while the event was
 *       being handled), the marker write is refused with a {@link FencedException}: the transaction rolls back and
 *       the replica stops consuming at once;</li>
 *   <li>an event without a replay position has no marker to commit: its handlers run in a transaction all the
 *       same, and it may come again (at least once).</li>
 * </ul>
 * Effects outside that database (HTTP calls, messages) stay at least once. Thread-safe.
 */
public class TransactionalHandlers implements HandlerInvoker, StreamingServiceCustomizer {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionalHandlers.class);

    private final JdbcReplayStore store;
    private final DataSource dataSource;
    private final PlatformTransactionManager transactionManager;
    private final TransactionTemplate transactions;

    /**
     * @param store the replay store, on {@code dataSource}
     * @param dataSource the database of the markers and of the handlers' writes
     * @param transactionManager the transaction manager of {@code dataSource}
     */
    public TransactionalHandlers(JdbcReplayStore store, DataSource dataSource,
            PlatformTransactionManager transactionManager) {
        this.store = Objects.requireNonNull(store, "store");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.transactionManager = Objects.requireNonNull(transactionManager, "transactionManager");
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
    }

    /** Makes the service run every event's handlers through {@link #invoke}. */
    @Override
    public void customize(StreamingService.Builder builder) {
        builder.invoker(this);
    }

    @Override
    public void invoke(StreamingClient client, StreamingEvent event, Handlers handlers) throws Exception {
        try {
            transactions.executeWithoutResult(status -> {
                Connection connection = DataSourceUtils.getConnection(dataSource);
                try {
                    if (connection.getAutoCommit()) {
                        throw new IllegalStateException("the transaction manager " + transactionManager.getClass()
                                .getName() + " does not manage the DataSource the replay markers are in (its "
                                + "connection is in autocommit mode): the marker would commit before the event's "
                                + "effect; make it that DataSource's transaction manager, or set "
                                + "sfstream.replay.jdbc.transactional=false");
                    }
                    if (!claim(connection, client, event)) {
                        LOG.debug("sfstream: {} #{} was handled already (its marker is committed); skipped",
                                event.channel(), event.replayId());
                        return;
                    }
                    handlers.call();
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Exception e) {
                    throw new CheckedFailure(e); // rolls back; unwrapped below
                } finally {
                    DataSourceUtils.releaseConnection(connection, dataSource); // the transaction's: not closed
                }
            });
        } catch (CheckedFailure e) {
            throw (Exception) e.getCause();
        }
    }

    /**
     * Writes the event's marker in the transaction, fenced by the client's lease.
     *
     * @return whether the handlers should run: false when the event was handled already
     * @throws FencedException when the client is a replica of an exclusive group and no longer holds its lease (it
     *     lost it while the event was being handled): a marker written without the lease would not be fenced
     */
    private boolean claim(Connection connection, StreamingClient client, StreamingEvent event) {
        // No position to commit (an event without a replay ID): handled, at least once.
        return event.marker().isEmpty() || store.commit(connection, client, event);
    }

    /** A handler's checked exception, carried through the transaction template (which rolls back on it). */
    private static final class CheckedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CheckedFailure(Exception cause) {
            super(cause);
        }
    }

    @Override
    public String toString() {
        return "TransactionalHandlers[" + store + "]";
    }
}
