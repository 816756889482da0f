package dev.sfstream.cli;

import dev.sfstream.ConnectionListener;
import dev.sfstream.ConnectionState;
import dev.sfstream.StreamingClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What {@code listen} says on stderr about the connection. In a terminal, a status line (state, events, rate,
 * reconnects) that is cleared before each event is printed and drawn again after it, so events on the screen are
 * plain JSON lines. In a terminal or not, one warning with the cause when the connection is lost (or cannot be made
 * yet, at the start) and one when it is back, so an outage is never silent. Thread-safe: the client reports states
 * on its own threads.
 */
final class StatusLine implements ConnectionListener {
    /** Carriage return, then ANSI "erase to end of line". */
    private static final String CLEAR = "\r\033[K";

    private final PrintWriter err;
    private final boolean terminal;
    private final String group;
    private boolean standby;
    private volatile ConnectionState state = ConnectionState.NEW;
    private long lastTick = System.nanoTime();
    private long lastCount;
    private double rate;
    private String shown;
    private long lostAt;
    private boolean connectedOnce;

    StatusLine(PrintWriter err, boolean terminal) {
        this(err, terminal, null);
    }

    /** For a listen in an exclusive group (or {@code group} null): says when it waits and when it takes over. */
    StatusLine(PrintWriter err, boolean terminal, String group) {
        this.err = err;
        this.terminal = terminal;
        this.group = group;
    }

    @Override
    public void onStateChanged(ConnectionState s, String reason) {
        state = s;
        synchronized (this) {
            if (s == ConnectionState.STANDBY) {
                standby = true;
                lostAt = 0;
                say("sfstream: waiting as a standby of group " + group + " (" + reason + "); this listen takes over "
                        + "when the active one stops");
                drawState();
            } else if (standby && s == ConnectionState.CONNECTED) {
                standby = false;
                say("sfstream: took over group " + group + ": printing events");
                drawState();
            } else if (s == ConnectionState.RECONNECTING && lostAt == 0) {
                lostAt = System.nanoTime();
                say(connectedOnce ? "sfstream: connection lost (" + reason + "); reconnecting"
                        : "sfstream: cannot connect yet (" + reason + "); retrying");
            } else if (s == ConnectionState.CONNECTED && lostAt != 0) {
                long seconds = Duration.ofNanos(System.nanoTime() - lostAt).toSeconds();
                lostAt = 0;
                say("sfstream: connected " + (connectedOnce ? "again " : "") + "after " + seconds + " s");
            }
            if (s == ConnectionState.CONNECTED) {
                connectedOnce = true;
            }
        }
    }

    synchronized void subscribed(List<String> channels) {
        if (terminal) {
            say("sfstream: listening on " + String.join(", ", channels) + " (Ctrl-C to stop)");
        }
    }

    /** A line of its own on stderr, with the status line out of its way. */
    synchronized void say(String line) {
        clear();
        err.println(line);
        redraw();
    }

    /** Clears the status line so that an event can be printed on a line of its own. */
    synchronized void clear() {
        if (terminal && shown != null) {
            err.print(CLEAR);
            err.flush();
        }
    }

    /** Draws the status line again after an event (or a message) was printed. */
    synchronized void redraw() {
        if (terminal && shown != null) {
            err.print(shown);
        }
        err.flush();
    }

    /** Redraws the status line at once with the new state (a standby's or a takeover's), in a terminal. */
    private void drawState() {
        if (terminal && shown != null) {
            shown = String.format(Locale.ROOT, "%-12s", state.name().toLowerCase(Locale.ROOT))
                    + shown.substring(Math.min(shown.length(), 12));
            err.print(CLEAR + shown);
            err.flush();
        }
    }

    /** Updates the counters, at most once a second. */
    synchronized void tick(StreamingClient.Stats stats) {
        if (!terminal) {
            return;
        }
        long now = System.nanoTime();
        if (shown != null && now - lastTick < 1_000_000_000L) {
            return;
        }
        rate = (stats.eventsReceived() - lastCount) / Math.max(1e-9, (now - lastTick) / 1e9);
        lastCount = stats.eventsReceived();
        lastTick = now;
        shown = String.format(Locale.ROOT, "%-12s %8d events  %7.1f ev/s  %d reconnects", state.name()
                .toLowerCase(Locale.ROOT), stats.eventsReceived(), rate, stats.reconnects());
        err.print(CLEAR + shown);
        err.flush();
    }

    /** Ends the status line with a newline, so that the shell prompt starts on a line of its own. */
    synchronized void done() {
        if (terminal && shown != null) {
            err.println();
            err.flush();
            shown = null;
        }
    }
}
