package dev.sfstream.cli;

import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.FileReplayStore;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.rest.PushTopic;
import dev.sfstream.rest.PushTopicDefinition;
import dev.sfstream.rest.PushTopics;
import dev.sfstream.rest.SalesforceRest;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sfstream demo}: the whole job on a local org. An emulator starts in the process, PushTopic
 * {@code LeadCreation} is declared, and Leads are created, updated, deleted and undeleted while their notifications
 * stream to the terminal; the replay store remembers where the stream stood, so a second run resumes there.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a local Salesforce org emulator, declare PushTopic LeadCreation, change Leads and "
                + "print each notification as it arrives.",
            "The org and the replay store are kept in --dir, so a second run resumes where the first stopped."},
        footer = {"", "Examples:", "  ./sfstream demo            (until Ctrl-C)", "  ./sfstream demo --count 3",
            "", ExitCode.HELP})
final class DemoCommand implements Callable<Integer> {
    static final String TOPIC = "LeadCreation";
    static final String QUERY = "SELECT Id, FirstName, LastName, Company FROM Lead";
    private static final List<String[]> PEOPLE = List.of(
            new String[] {"Ada", "Lovelace", "Analytical Engines"},
            new String[] {"Grace", "Hopper", "Compilers Inc"},
            new String[] {"Alan", "Turing", "Bletchley Park"},
            new String[] {"Katherine", "Johnson", "Trajectories Ltd"},
            new String[] {"Edsger", "Dijkstra", "Shortest Paths BV"});

    @Option(names = "--count", paramLabel = "N", description = "Exit 0 after N notifications.")
    Integer count;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".sfstream",
            description = "Where the demo keeps its org and replay store [default: ${DEFAULT-VALUE}].")
    Path dir;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", converter = Durations.class,
            description = "Time between record changes [default: ${DEFAULT-VALUE}].")
    Duration interval;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (count != null && count < 1) {
            throw new IllegalArgumentException("--count must be 1 or more, got " + count);
        }
        PrintWriter out = spec.commandLine().getOut();
        Files.createDirectories(dir);
        Path replayFile = dir.resolve("demo-replay.json");
        Emulator emulator = Emulator.builder().quiet(true).dataFile(dir.resolve("demo-org.json")).build().start();
        AtomicBoolean stopping = new AtomicBoolean();
        Thread actor = null;
        StreamingClient client = null;
        FileReplayStore store = null;
        Thread hook = null;
        try {
            say(out, "Started a local Salesforce org (the sfstream emulator) at " + emulator.url());
            say(out, "Watch it in a browser: " + emulator.url() + "/ (its web console: the org, its topics and every "
                    + "event live)");
            Authenticator auth = PasswordAuthenticator.builder().loginUrl(emulator.url())
                    .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                    .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD).build();
            SalesforceRest rest = SalesforceRest.builder().authenticator(auth).build();
            PushTopics topics = new PushTopics(rest);
            boolean existed = topics.get(TOPIC).isPresent();
            PushTopic topic = topics.declare(PushTopicDefinition.builder().name(TOPIC).query(QUERY).build());
            say(out, (existed ? "PushTopic " + TOPIC + " is declared already (by an earlier run): "
                    : "Declared PushTopic " + TOPIC + ": ") + QUERY);

            store = FileReplayStore.builder(replayFile).build();
            String namespace = emulator.orgId();
            Optional<ReplayMarker> marker = store.get(namespace, topic.channel());
            say(out, marker.map(m -> "Replay store " + replayFile + ": the last run stopped after replay ID "
                    + m.replayId() + "; resuming from there")
                    .orElse("Replay store " + replayFile + ": no marker yet, so only new events"));
            client = StreamingClient.builder().authenticator(auth).replayStore(store).build().open();
            client.subscribe(topic.channel());
            say(out, "Subscribed to " + topic.channel() + (count == null ? "; Ctrl-C to stop" : "; stopping after "
                    + count + " notification" + (count == 1 ? "" : "s")));

            StreamingClient c = client;
            FileReplayStore s = store;
            hook = new Thread(() -> {
                stopping.set(true);
                c.close();
                s.close();
                emulator.close();
            }, "sfstream-demo-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            actor = new Thread(() -> changeLeads(emulator, out, stopping), "sfstream-demo-actor");
            actor.setDaemon(true);
            actor.start();

            int seen = 0;
            long last = 0;
            while (count == null || seen < count) {
                Optional<StreamingEvent> next = client.receive(Duration.ofMillis(500));
                if (next.isEmpty()) {
                    continue;
                }
                StreamingEvent e = next.get();
                if (e.isReplayGap()) {
                    say(out, "  replay gap: " + e.replayGap().get().reason() + "; resuming from "
                            + e.replayGap().get().fallback());
                    continue;
                }
                out.println("  <- " + describe(e));
                out.flush();
                client.commit(e); // shown: done with it
                seen++;
                last = e.replayId();
            }
            stopping.set(true);
            actor.join(2000);
            client.close();
            say(out, "Received " + seen + " notification" + (seen == 1 ? "" : "s") + "; the replay store now "
                    + "holds replay ID " + last + ". Run ./sfstream demo again to resume after it.");
            return ExitCode.OK;
        } finally {
            stopping.set(true);
            if (client != null) {
                client.close();
            }
            if (store != null) {
                store.close();
            }
            emulator.close();
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook closes everything again, harmlessly
                }
            }
        }
    }

    /** Creates, updates, deletes and undeletes Leads, one change per interval, saying what it does. */
    private void changeLeads(Emulator emulator, PrintWriter out, AtomicBoolean stopping) {
        int step = 0;
        String id = null;
        String[] person = null;
        while (!stopping.get()) {
            try {
                switch (step % 4) {
                    case 0 -> {
                        person = PEOPLE.get((step / 4) % PEOPLE.size());
                        say(out, "  -> creating Lead " + person[0] + " " + person[1] + " (" + person[2] + ")");
                        id = emulator.create("Lead", Map.of("FirstName", person[0], "LastName", person[1],
                                "Company", person[2]));
                    }
                    case 1 -> {
                        say(out, "  -> updating " + id + ": Company = " + person[2] + " Labs");
                        emulator.update("Lead", id, Map.of("Company", person[2] + " Labs"));
                    }
                    case 2 -> {
                        say(out, "  -> deleting " + id);
                        emulator.delete("Lead", id);
                    }
                    default -> {
                        say(out, "  -> undeleting " + id);
                        emulator.undelete(id);
                    }
                }
                step++;
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!stopping.get()) {
                    say(out, "  (could not change the Lead: " + e.getMessage() + ")");
                }
                return;
            }
        }
    }

    private static String describe(StreamingEvent e) {
        var p = e.pushTopic().orElse(null);
        if (p == null) {
            return e.channel() + " replay " + e.replayId() + " " + e.data();
        }
        var s = p.sobject();
        String name = (s.path("FirstName").asText("") + " " + s.path("LastName").asText("")).trim();
        String company = s.path("Company").isMissingNode() || s.path("Company").isNull() ? ""
                : " (" + s.path("Company").asText() + ")";
        return String.format("%s  replay %-4d %-9s %s %s%s", e.channel(), e.replayId(), p.type(),
                s.path("Id").asText(), name, company);
    }

    private static synchronized void say(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }
}
