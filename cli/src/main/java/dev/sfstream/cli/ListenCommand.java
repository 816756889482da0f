package dev.sfstream.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sfstream.ConnectionListener;
import dev.sfstream.ConnectionState;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.internal.Json;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sfstream listen}: stream events to stdout, one JSON line each. */
@Command(name = "listen", mixinStandardHelpOptions = true,
        description = {"Subscribe to channels and print each event on stdout as one JSON line (the message as "
                + "received: channel and data), ready for jq.",
            "In a terminal, a status line on stderr shows the connection, reconnects and events per second.",
            "Ctrl-C closes cleanly and commits the replay store."},
        footer = {"", "Examples:",
            "  sfstream listen /topic/LeadCreation --emulator http://127.0.0.1:8080 --count 5",
            "  sfstream listen /data/AccountChangeEvent --store replay.json --replay stored | jq .data.payload",
            "", ExitCode.HELP})
final class ListenCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CHANNEL", description = "/topic/..., /event/...__e, /data/..., /u/...")
    List<String> channels;

    @Option(names = "--replay", paramLabel = "new|all|stored|ID", defaultValue = "stored",
            description = "Where to start: new events, all retained events, the stored marker (else new events), "
                    + "or after a replay ID [default: ${DEFAULT-VALUE}].")
    String replay;

    @Option(names = "--store", paramLabel = "PATH|URI", description = "Replay store: a file path, memory:, or "
            + "redis://host:port [default: memory:].")
    String store;

    @Option(names = "--format", paramLabel = "json|pretty", defaultValue = "json",
            description = "json: one line per event; pretty: indented [default: ${DEFAULT-VALUE}].")
    String format;

    @Option(names = "--count", paramLabel = "N", description = "Exit 0 after N events.")
    Integer count;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "Exit 0 once no event came for DURATION (10s, 2m).")
    Duration idleTimeout;

    @Option(names = "--api-version", paramLabel = "VERSION", defaultValue = "64.0",
            description = "Streaming API version [default: ${DEFAULT-VALUE}].")
    String apiVersion;

    @Mixin
    Credentials credentials = new Credentials();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (count != null && count < 1) {
            throw new IllegalArgumentException("--count must be 1 or more, got " + count);
        }
        if (!format.equals("json") && !format.equals("pretty")) {
            throw new IllegalArgumentException("--format must be json or pretty, got '" + format + "'");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReplayStore replayStore = store == null ? ReplayStore.inMemory() : ReplayStore.open(store);
        StreamingClient.Builder builder = StreamingClient.builder()
                .authenticator(credentials.authenticator())
                .apiVersion(apiVersion)
                .replayStore(replayStore);
        switch (replay.toLowerCase(java.util.Locale.ROOT)) {
            case "stored" -> builder.replayFrom(ReplayFrom.NEW_EVENTS);
            default -> builder.startFrom(ReplayFrom.parse(replay));
        }
        StatusLine status = new StatusLine(err, System.console() != null);
        builder.connectionListener(status);
        StreamingClient client = builder.build();
        AtomicReference<Thread> main = new AtomicReference<>(Thread.currentThread());
        Thread hook = new Thread(() -> {
            client.close();
            replayStore.close();
        }, "sfstream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            client.open();
            for (String channel : channels) {
                client.subscribe(channel);
            }
            status.subscribed(channels);
            int seen = 0;
            long lastEvent = System.nanoTime();
            while (count == null || seen < count) {
                Optional<StreamingEvent> event = client.receive(Duration.ofMillis(500));
                status.tick(client.stats());
                if (event.isEmpty()) {
                    if (idleTimeout != null && System.nanoTime() - lastEvent > idleTimeout.toNanos()) {
                        break;
                    }
                    continue;
                }
                lastEvent = System.nanoTime();
                StreamingEvent e = event.get();
                if (e.isReplayGap()) {
                    err.println("sfstream: replay gap on " + e.channel() + ": " + e.replayGap().get().reason()
                            + "; resuming from " + e.replayGap().get().fallback());
                    err.flush();
                    continue;
                }
                out.println(format.equals("pretty")
                        ? Json.MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(e.json())
                        : Json.MAPPER.writeValueAsString(e.json()));
                if (!written(out)) {
                    // Stop before the next receive, which would commit this event: it never reached the reader.
                    status.done();
                    err.println("sfstream: cannot write to standard output (did the reader of the pipe exit?); "
                            + "stopping. " + e.channel() + " #" + e.replayId() + " and later events are not "
                            + "committed: the next listen with the same store starts with them");
                    err.flush();
                    return ExitCode.OUTPUT;
                }
                client.commit(e); // written: done with it, whatever comes next
                seen++;
            }
            status.done();
            return ExitCode.OK;
        } finally {
            client.close();
            replayStore.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs and closes again, which is harmless
            }
            main.set(null);
        }
    }

    /**
     * Flushes and tells whether everything printed so far was written. Both {@link PrintWriter} and the
     * {@code System.out} it may wrap swallow I/O errors (a closed pipe) and only remember them.
     */
    static boolean written(PrintWriter out) {
        out.flush();
        return !out.checkError() && !System.out.checkError();
    }

    /** The status line on stderr (only in a terminal): connection state, reconnects, events per second. */
    static final class StatusLine implements ConnectionListener {
        private final PrintWriter err;
        private final boolean terminal;
        private volatile ConnectionState state = ConnectionState.NEW;
        private long lastTick = System.nanoTime();
        private long lastCount;
        private double rate;

        StatusLine(PrintWriter err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        @Override
        public void onStateChanged(ConnectionState s, String reason) {
            state = s;
        }

        void subscribed(List<String> channels) {
            if (terminal) {
                err.println("sfstream: listening on " + String.join(", ", channels) + " (Ctrl-C to stop)");
                err.flush();
            }
        }

        void tick(StreamingClient.Stats stats) {
            if (!terminal) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastTick < 1_000_000_000L) {
                return;
            }
            rate = (stats.eventsReceived() - lastCount) / ((now - lastTick) / 1e9);
            lastCount = stats.eventsReceived();
            lastTick = now;
            err.print(String.format("\r%-12s %8d events  %7.1f ev/s  %d reconnects   ", state.name().toLowerCase(
                    java.util.Locale.ROOT), stats.eventsReceived(), rate, stats.reconnects()));
            err.flush();
        }

        void done() {
            if (terminal) {
                err.println();
                err.flush();
            }
        }
    }
}
