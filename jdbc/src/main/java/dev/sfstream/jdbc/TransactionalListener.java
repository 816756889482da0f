package dev.sfstream.jdbc;

import dev.sfstream.FencedException;
import dev.sfstream.HoldEvent;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.internal.Shared;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client listener that runs a {@link TransactionalHandler} and commits the event's marker in one transaction, on
 * a connection of the replay store's database. Made by {@link JdbcReplayStore#transactional}.
 *
 * <p>For each event: a transaction begins; the event's marker is written first (fenced by the client's lease),
 * which also tells whether the event was handled already; if it was not, the handler writes its effect; then the
 * transaction commits. So:
 * <ul>
 *   <li>once the transaction committed, the event is never handled again: a redelivery (after a crash, a
 *       takeover, a re-handshake) finds its marker and skips the handler;</li>
 *   <li>if the process dies before the commit, nothing of it is in the database and the event is delivered
 *       again;</li>
 *   <li>when another replica took over, the write is refused, the transaction rolls back and the client stops
 *       consuming at once (the {@link FencedException} reaches the client);</li>
 *   <li>when the handler (or the database) fails, the transaction rolls back and is tried again ({@code retries},
 *       2 by default, the backoff doubling from 1 s); if it still fails, the channel stops: an ERROR is logged, the
 *       channel is unsubscribed, and its marker stays before the failed event, so the next start (or a new
 *       subscription) delivers it first. A later event is never committed past a failed one.</li>
 * </ul>
 * Thread-safe; the client calls it one event of a channel at a time.
 */
public final class TransactionalListener implements Consumer<StreamingEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionalListener.class);

    private final JdbcReplayStore store;
    private final StreamingClient client;
    private final TransactionalHandler handler;
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile int retries = 2;
    private volatile Duration backoff = Duration.ofSeconds(1);

    TransactionalListener(JdbcReplayStore store, StreamingClient client, TransactionalHandler handler) {
        this.store = store;
        this.client = Objects.requireNonNull(client, "client");
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** How often a failed transaction is tried again before the channel stops, and the first wait (doubling). */
    public TransactionalListener retries(int retries, Duration backoff) {
        if (retries < 0 || backoff == null || backoff.isNegative()) {
            throw new IllegalArgumentException("retries must be 0 or more and the backoff 0 or positive");
        }
        this.retries = retries;
        this.backoff = backoff;
        return this;
    }

    @Override
    public void accept(StreamingEvent event) {
        if (event.isReplayGap()) {
            return; // the client warns about it; a gap notice has no marker and no effect
        }
        String channel = event.channel();
        if (stopped.contains(channel)) {
            throw new HoldEvent("channel " + channel + " is stopped after a failed transaction");
        }
        Exception last = null;
        int attempts = retries + 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                once(event);
                return;
            } catch (FencedException e) {
                throw e; // rolled back; the client stops consuming and waits as a standby
            } catch (Exception e) {
                last = e;
                LOG.warn("sfstream: the transaction of {} #{} failed (attempt {} of {}), rolled back: {}", channel,
                        event.replayId(), attempt, attempts, e.toString());
                if (attempt < attempts) {
                    try {
                        Thread.sleep(backoff.toMillis() << Math.min(attempt - 1, 10));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new HoldEvent("interrupted while retrying");
                    }
                }
            }
        }
        stopped.add(channel);
        LOG.error("sfstream: the transaction of {} #{} failed {} times; stopping the channel: its marker stays before "
                + "this event, and the next start delivers it again", channel, event.replayId(), attempts, last);
        Shared.workers().execute(() -> {
            try {
                client.unsubscribe(channel);
            } catch (RuntimeException e) {
                LOG.warn("sfstream: unsubscribing the stopped channel {} failed: {}", channel, e.getMessage());
            }
        });
        throw new HoldEvent("the transaction failed; channel " + channel + " stopped");
    }

    /** One transaction: claim the event with its marker, run the handler unless it was handled already, commit. */
    private void once(StreamingEvent event) throws Exception {
        Connection c = store.connection();
        boolean done = false;
        boolean broken = false;
        try {
            c.setAutoCommit(false);
            boolean fresh = event.marker().isEmpty() || store.commit(c, client, event);
            if (fresh) {
                handler.handle(event, c);
            } else {
                LOG.debug("sfstream: {} #{} was handled already (its marker is stored); skipped", event.channel(),
                        event.replayId());
            }
            c.commit();
            done = true;
            (fresh ? committed : skipped).incrementAndGet();
        } finally {
            if (!done) {
                try {
                    c.rollback();
                } catch (SQLException e) {
                    broken = true;
                }
            }
            store.release(c, broken);
        }
    }

    /** The channels stopped after a transaction kept failing. */
    public Set<String> stoppedChannels() {
        return Set.copyOf(stopped);
    }

    /** Events whose effect and marker this listener committed. */
    public long committedEvents() {
        return committed.get();
    }

    /** Events skipped because their marker (or a later one) was committed already: redeliveries. */
    public long skippedEvents() {
        return skipped.get();
    }
}
