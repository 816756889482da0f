package dev.sfstream.cli;

import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.internal.JsonTree;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayStore;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
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
            "Ctrl-C closes cleanly and commits the replay store.",
            "With --exclusive, only one listen of a group prints events: the others wait as standbys (said on stderr "
                + "and the status line) and one takes over when it stops or dies."},
        footer = {"", "Examples:",
            "  sfstream listen /topic/LeadCreation --emulator http://127.0.0.1:8080 --count 5",
            "  sfstream listen /data/AccountChangeEvent --store replay.json --replay stored | jq .data.payload",
            "  sfstream listen /event/Order__e --store jdbc:postgresql://db/app?user=app --exclusive=orders",
            "", ExitCode.HELP})
final class ListenCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CHANNEL", description = "/topic/..., /event/...__e, /data/..., /u/...")
    List<String> channels;

    @Option(names = "--replay", paramLabel = "new|all|stored|ID", defaultValue = "stored",
            description = "Where to start: new events, all retained events, the stored marker (else new events), "
                    + "or after a replay ID [default: ${DEFAULT-VALUE}]. With --exclusive, new and all apply only to "
                    + "channels without a stored marker.")
    String replay;

    @Option(names = "--store", paramLabel = "PATH|URI", description = "Replay store: a file path, memory:, "
            + "redis://host:port or jdbc:postgresql://host/db?user=... [default: memory:].")
    String store;

    @Option(names = "--exclusive", arity = "0..1", fallbackValue = "", paramLabel = "GROUP",
            description = "Be one replica of an exclusive group: one listen of the group prints events, the others "
                    + "wait as standbys and one takes over when it stops or dies. Needs a --store that replicas "
                    + "share (redis://, jdbc:postgresql://). GROUP (given as --exclusive=GROUP) defaults to listen: "
                    + "and the channels, sorted, joined with commas.")
    String exclusive;

    @Option(names = "--lease-ttl", paramLabel = "DURATION", converter = Durations.class, defaultValue = "15s",
            description = "With --exclusive: how long the lease lasts without renewal, so how soon a standby takes "
                    + "over when the active listen dies [default: ${DEFAULT-VALUE}].")
    Duration leaseTtl;

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

    @Mixin
    TransportOptions transportOptions = new TransportOptions();

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
        ReplayFrom start = replayStart(replay);
        String group = group();
        if (group != null && start != null && start != ReplayFrom.NEW_EVENTS && start != ReplayFrom.ALL_EVENTS) {
            throw new IllegalArgumentException("--replay " + replay + " cannot be used with --exclusive: each "
                    + "replica that takes over would start from it again; use --replay new, all or stored");
        }
        if (group != null && (store == null || !(store.contains("://")))) {
            throw new IllegalArgumentException("--exclusive needs a replay store that the replicas share: --store "
                    + "redis://... or --store jdbc:postgresql://...");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReplayStore replayStore = store == null ? ReplayStore.inMemory() : ReplayStore.open(store);
        StreamingClient.Builder builder = StreamingClient.builder()
                .transport(transportOptions.transport(credentials))
                .authenticator(credentials.authenticator())
                .apiVersion(apiVersion)
                .replayStore(replayStore);
        if (group != null) {
            if (!(replayStore instanceof dev.sfstream.replay.LeasedReplayStore)) {
                replayStore.close();
                throw new IllegalArgumentException("--exclusive needs a replay store that elects (redis:// or "
                        + "jdbc:postgresql://), not " + replayStore);
            }
            builder.exclusive(group).leaseTtl(leaseTtl);
        }
        if (start == null) {
            builder.replayFrom(ReplayFrom.NEW_EVENTS);
        } else if (group != null) {
            // A replica that takes over resumes from the markers of the one before it: new or all only decide where
            // a channel without a marker starts.
            builder.replayFrom(start);
        } else {
            builder.startFrom(start);
        }
        StatusLine status = new StatusLine(err, System.console() != null, group);
        builder.connectionListener(status);
        StreamingClient client = builder.build();
        Thread hook = new Thread(() -> {
            client.close();
            replayStore.close();
            status.done();
        }, "sfstream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            client.open();
            if (store != null) {
                describeStore(replayStore, client.replayNamespace(), start, status);
            }
            for (String channel : channels) {
                client.subscribe(channel);
            }
            status.subscribed(channels);
            if (group != null && client.state() != dev.sfstream.ConnectionState.STANDBY) {
                status.say("sfstream: active in group " + group + " (holding its lease): printing events");
            }
            int seen = 0;
            long lastEvent = System.nanoTime();
            while (count == null || seen < count) {
                Optional<StreamingEvent> event;
                try {
                    event = client.receive(Duration.ofMillis(500));
                } catch (dev.sfstream.FencedException fenced) {
                    // Another listen of the group took over (this one was paused or cut off): the status line has
                    // said so; what was printed and not committed comes again from the one that took over.
                    lastEvent = System.nanoTime();
                    continue;
                }
                status.tick(client.stats());
                if (client.state() == dev.sfstream.ConnectionState.STANDBY) {
                    lastEvent = System.nanoTime(); // a standby is not idle: it waits for its turn
                }
                if (event.isEmpty()) {
                    if (idleTimeout != null && System.nanoTime() - lastEvent > idleTimeout.toNanos()) {
                        break;
                    }
                    continue;
                }
                lastEvent = System.nanoTime();
                StreamingEvent e = event.get();
                if (e.isReplayGap()) {
                    status.say("sfstream: replay gap on " + e.channel() + ": " + e.replayGap().get().reason()
                            + "; resuming from " + e.replayGap().get().fallback());
                    continue;
                }
                status.clear();
                out.println(new String(JsonTree.write(e.json(), format.equals("pretty")), StandardCharsets.UTF_8));
                boolean written = written(out);
                status.redraw();
                if (!written) {
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
        }
    }

    /**
     * The exclusive group, or null without {@code --exclusive}. A value that looks like a channel is one: picocli
     * takes the argument after a bare {@code --exclusive} as its value, and a group never starts with a slash.
     */
    String group() {
        if (exclusive == null) {
            return null;
        }
        if (exclusive.startsWith("/")) {
            channels.add(0, exclusive);
            exclusive = "";
        }
        if (!exclusive.isBlank()) {
            return exclusive.trim();
        }
        return "listen:" + String.join(",", new java.util.TreeSet<>(channels));
    }

    /** The start asked for: {@code null} for the stored marker (else new events). */
    static ReplayFrom replayStart(String replay) {
        if (replay.trim().equalsIgnoreCase("stored")) {
            return null;
        }
        try {
            return ReplayFrom.parse(replay);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--replay must be new, all, stored or a replay ID, got '" + replay
                    + "'");
        }
    }

    /** Says which store is used and where each channel starts, so that a mistyped path does not go unnoticed. */
    private void describeStore(ReplayStore replayStore, String namespace, ReplayFrom start, StatusLine status) {
        status.say("sfstream: replay store " + replayStore);
        for (String channel : channels) {
            var marker = replayStore.get(namespace, dev.sfstream.ChannelName.of(channel).value());
            status.say("sfstream: " + channel + ": " + (marker.isPresent()
                    ? "stored marker " + marker.get().replayId() + " (" + marker.get().createdDate() + ")"
                    : "no stored marker") + (start != null && (exclusive == null || marker.isEmpty())
                    ? "; starting from " + start + " as asked"
                    : marker.isPresent() ? "; resuming after it" : "; starting from new events"));
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
}
