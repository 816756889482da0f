package dev.sfstream.bench;

import dev.sfstream.auth.AccessToken;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Scenario 8: from process start to the first event of a retained channel, as a person or a script sees it:
 * {@code sfstream listen --count 1} (the shipped jar: it logs in with a password, subscribes, prints the event), with
 * and without the class data archive the {@code ./sfstream} launcher makes, against a plain {@code java} process of
 * CometD's {@code BayeuxClient} (given a token, so it does not log in) printing a line at its first event. Each time
 * is taken from the outside: the process is started and the clock stops when its first line of output arrives.
 * Needs the command-line jar: {@code -Dsfstream.cli.jar=cli/target/sfstream-cli.jar} ({@code bench/run} sets it).
 */
final class StartupScenario {
    private static final int RUNS = 5;

    private StartupScenario() {
    }

    static void run(List<Result> results) throws Exception {
        String given = System.getProperty("sfstream.cli.jar");
        if (given == null || !Files.isRegularFile(Path.of(given))) {
            System.out.printf("%n[8] skipped: no command-line jar (-Dsfstream.cli.jar=...; bench/run sets it)%n");
            return;
        }
        String cliJar = Path.of(given).toAbsolutePath().toString();
        System.out.printf("%n[8] process start to the first event of a retained channel, %d runs each...%n", RUNS);
        Path work = Files.createTempDirectory("sfstream-startup");
        Path jsa = work.resolve("sfstream-cli.jsa");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The archive as ./sfstream makes it: a training run of the demo.
        new ProcessBuilder(java, "-XX:ArchiveClassesAtExit=" + jsa, "-jar", cliJar, "demo", "--count", "2",
                "--interval", "50ms", "--dir", work.resolve("demo").toString()).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve("training.log").toFile()).start()
                .waitFor(120, TimeUnit.SECONDS);
        try (ChildEmulator emulator = new ChildEmulator("1g", 100)) {
            emulator.publish("Startup__e", 10);
            String channel = "/event/Startup__e";
            AccessToken token = PasswordAuthenticator.builder().loginUrl(emulator.url())
                    .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                    .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD).build().token();
            List<String> listen = List.of("-jar", cliJar, "listen", "--emulator", emulator.url(), "--replay", "all",
                    "--count", "1", channel);
            List<Double> plain = new ArrayList<>();
            List<Double> cds = new ArrayList<>();
            List<Double> cometd = new ArrayList<>();
            for (int r = 0; r < RUNS; r++) {
                plain.add(firstLine(java, List.of(), listen));
                if (Files.isRegularFile(jsa)) {
                    cds.add(firstLine(java, List.of("-XX:SharedArchiveFile=" + jsa, "-Xshare:auto"), listen));
                }
                cometd.add(firstLine(java, List.of(), List.of("-cp", System.getProperty("java.class.path"),
                        ColdDrain.class.getName(), "cometd", emulator.url(), token.token(), channel, "1")));
                System.out.printf("    run %d: sfstream listen %.0f ms, with class data sharing %s; CometD %.0f ms%n",
                        r + 1, plain.get(r), cds.isEmpty() ? "n/a" : String.format("%.0f ms", cds.get(r)),
                        cometd.get(r));
            }
            double c = Result.median(cometd);
            results.add(Result.context("sfstream listen: start to first event", Result.median(plain), c,
                    "CometD BayeuxClient, java", "ms", RUNS, "reported (listen also logs in)"));
            if (!cds.isEmpty()) {
                results.add(Result.context("sfstream listen with class data sharing (./sfstream)",
                        Result.median(cds), c, "CometD BayeuxClient, java", "ms", RUNS,
                        "reported (listen also logs in)"));
            }
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Milliseconds from starting the process to its first line on standard output; the process is then ended. */
    private static double firstLine(String java, List<String> jvmOptions, List<String> command) throws IOException {
        List<String> all = new ArrayList<>();
        all.add(java);
        all.addAll(jvmOptions);
        all.addAll(command);
        long start = System.nanoTime();
        Process p = new ProcessBuilder(all).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = out.readLine();
            double ms = (System.nanoTime() - start) / 1e6;
            if (line == null) {
                throw new IllegalStateException("no output from " + all);
            }
            return ms;
        } finally {
            p.destroy();
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
