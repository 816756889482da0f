package dev.sfstream.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.auth.AccessToken;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The end-to-end benchmark: each scenario in this one process against one emulator, the contenders alternating,
 * a warm-up first, at least three measured runs, medians reported. Prints a table and writes
 * {@code bench-results.json}.
 *
 * <pre>
 * java -jar bench/target/sfstream-bench.jar [--quick] [--only 1,3] [--out bench-results.json]
 * </pre>
 */
public final class Bench {
    private final boolean quick;
    private final List<Result> results = new ArrayList<>();

    private Bench(boolean quick) {
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Set<Integer> only = new TreeSet<>(List.of(1, 2, 3, 4, 5, 6, 7, 8));
        Path out = Path.of("bench-results.json");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> {
                    only.clear();
                    for (String n : args[++i].split(",")) {
                        only.add(Integer.parseInt(n.trim()));
                    }
                }
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: java -jar sfstream-bench.jar [--quick] [--only 1,2,3,4,5,6,7,8] "
                            + "[--out FILE]");
                    System.exit(2);
                }
            }
        }
        Bench bench = new Bench(quick);
        System.out.printf("sfstream benchmark (%s): %d cores, Java %s, max heap %d MiB%n", quick ? "quick" : "full",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() / (1024 * 1024));
        if (only.contains(1)) {
            bench.drain();
        }
        if (only.contains(2)) {
            bench.latency();
        }
        if (only.contains(3)) {
            bench.idle();
        }
        if (only.contains(4)) {
            bench.fanout();
        }
        if (only.contains(5)) {
            bench.commits();
        }
        if (only.contains(6)) {
            bench.pubSubFanout();
        }
        if (only.contains(7)) {
            bench.pubSubDrain();
        }
        if (only.contains(8)) {
            StartupScenario.run(bench.results);
        }
        bench.print();
        bench.write(out);
        System.exit(0);
    }

    private static Authenticator auth(String url) {
        return PasswordAuthenticator.builder().loginUrl(url).consumerKey(Emulator.DEFAULT_CLIENT_ID)
                .consumerSecret(Emulator.DEFAULT_CLIENT_SECRET).username(Emulator.DEFAULT_USERNAME)
                .password(Emulator.DEFAULT_PASSWORD).build();
    }

    private void drain() throws Exception {
        DrainScenario.run(quick, results);
    }

    private void latency() throws Exception {
        int rate = 2000;
        Duration length = Duration.ofSeconds(quick ? 8 : 30);
        int runs = 3;
        System.out.printf("%n[2] latency at %d events/s for %d s, %d runs...%n", rate, length.toSeconds(), runs);
        try (Emulator emulator = Emulator.builder().quiet(true).retainedEventsPerChannel(500_000)
                .retainedEventBytes(512L << 20).build().start()) {
            Authenticator auth = auth(emulator.url());
            String token = auth.token().token();
            org.eclipse.jetty.client.HttpClient jetty = new org.eclipse.jetty.client.HttpClient();
            jetty.start();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Latency.sfstream(emulator, auth, rate, Duration.ofSeconds(3), Duration.ofSeconds(1));
            Latency.cometd(emulator, jetty, token, rate, Duration.ofSeconds(3), Duration.ofSeconds(1));
            Latency.raw(emulator, http, "Bearer " + token, rate, Duration.ofSeconds(3), Duration.ofSeconds(1));
            List<List<Double>> ours = new ArrayList<>();
            List<List<Double>> cometd = new ArrayList<>();
            List<List<Double>> raw = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                ours.add(Latency.sfstream(emulator, auth, rate, length, Duration.ofSeconds(2)));
                cometd.add(Latency.cometd(emulator, jetty, token, rate, length, Duration.ofSeconds(2)));
                raw.add(Latency.raw(emulator, http, "Bearer " + token, rate, length, Duration.ofSeconds(2)));
                System.out.printf("    run %d: sfstream %s; CometD %s; raw JDK client %s%n", r + 1,
                        summary(ours.get(r)), summary(cometd.get(r)), summary(raw.get(r)));
            }
            jetty.stop();
            for (double p : new double[] {50, 99, 100}) {
                String name = p == 100 ? "max" : "p" + (int) p;
                double us = medianPercentile(ours, p);
                double them = medianPercentile(cometd, p);
                double limit = medianPercentile(raw, p);
                String scenario = "latency " + name + " at 2,000 events/s";
                if (p == 99) {
                    results.add(Result.of(scenario, us, them, "CometD BayeuxClient 8", "ms", runs, "1.0x or less",
                            us <= them));
                } else {
                    results.add(Result.context(scenario, us, them, "CometD BayeuxClient 8", "ms", runs,
                            "lower is better"));
                }
                results.add(Result.context(scenario + ", raw JDK client", us, limit, "raw limit", "ms", runs,
                        "the floor of java.net.http"));
            }
        }
    }

    private static String summary(List<Double> latencies) {
        return String.format("p50 %.2f ms p99 %.2f ms max %.2f ms (%d events)", Result.percentile(latencies, 50),
                Result.percentile(latencies, 99), Result.percentile(latencies, 100), latencies.size());
    }

    private static double medianPercentile(List<List<Double>> runs, double p) {
        List<Double> values = new ArrayList<>();
        runs.forEach(run -> values.add(Result.percentile(run, p)));
        return Result.median(values);
    }

    private void idle() throws Exception {
        int clients = quick ? 200 : 1000;
        System.out.printf("%n[3] %d idle subscribed clients in one JVM (emulator in another)...%n", clients);
        List<Double> heap = new ArrayList<>();
        List<Double> cheap = new ArrayList<>();
        List<Double> threads = new ArrayList<>();
        List<Double> cthreads = new ArrayList<>();
        int runs = 3;
        try (ChildEmulator emulator = new ChildEmulator("2g", clients * 3 + 100)) {
            String token = auth(emulator.url()).token().token();
            for (int r = 0; r < runs; r++) {
                IdleClients.Footprint ours = IdleClients.sfstream(emulator.url(), clients);
                IdleClients.Footprint theirs = IdleClients.cometd(emulator.url(), token, clients);
                heap.add(ours.heapPerClient() / 1024);
                cheap.add(theirs.heapPerClient() / 1024);
                threads.add((double) ours.threadsAdded());
                cthreads.add((double) theirs.threadsAdded());
                System.out.printf("    run %d: sfstream %.1f KiB and %d threads added; CometD %.1f KiB and %d threads "
                        + "added%n", r + 1, heap.get(r), ours.threadsAdded(), cheap.get(r), theirs.threadsAdded());
            }
        }
        double h = Result.median(heap);
        results.add(Result.of(clients + " idle clients: heap per client", h, Result.median(cheap),
                "CometD BayeuxClient 8", "KiB", runs, "200 KiB or less", h <= 200));
        double t = Result.median(threads);
        results.add(Result.of(clients + " idle clients: threads added", t, Result.median(cthreads),
                "CometD BayeuxClient 8", "threads", runs, "not growing with clients", t < clients / 10.0));
    }

    private void fanout() throws Exception {
        int clients = quick ? 2_000 : 10_000;
        int runs = 3;
        System.out.printf("%n[4] emulator (own JVM, -Xmx1g) with %,d long-polling clients, one event fanned out, %d "
                + "runs...%n", clients, runs);
        try (ChildEmulator emulator = new ChildEmulator("1g", clients + 100)) {
            String token = auth(emulator.url()).token().token();
            List<Fanout.Run> fanouts = Fanout.run(emulator.url(), token, clients, runs + 1, () -> {
                try {
                    return emulator.liveHeapBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            List<Double> p99s = new ArrayList<>();
            List<Double> heaps = new ArrayList<>();
            List<Double> threads = new ArrayList<>();
            for (Fanout.Run run : fanouts.subList(1, fanouts.size())) {
                p99s.add(Result.percentile(run.delaysMs(), 99));
                heaps.add(run.emulatorHeapBytes() / (1024.0 * 1024));
                threads.add((double) run.emulatorThreads());
                System.out.printf("    p50 %.0f ms, p99 %.0f ms, max %.0f ms over %,d clients; emulator heap %.0f MiB, "
                        + "%d threads%n", Result.percentile(run.delaysMs(), 50), Result.percentile(run.delaysMs(), 99),
                        Result.percentile(run.delaysMs(), 100), run.delaysMs().size(),
                        run.emulatorHeapBytes() / (1024.0 * 1024), run.emulatorThreads());
            }
            double p99 = Result.median(p99s);
            results.add(Result.of("emulator fan-out to " + clients + " clients: p99 delivery", p99, 2000,
                    "target", "ms", runs, "under 2 s", p99 < 2000));
            results.add(Result.of("emulator with " + clients + " clients: live heap", Result.median(heaps), 1024,
                    "-Xmx1g", "MiB", runs, "fits in 1 GiB", Result.median(heaps) < 1024));
            // A waiting client holds no thread: the count is Jetty's pool (at most 64) and the JVM's own threads.
            results.add(new Result("emulator with " + clients + " clients: threads", Result.median(threads),
                    Double.NaN, "none per client", Double.NaN, "threads", runs, "no thread per waiting client",
                    Result.Verdict.of(Result.median(threads) < 100)));
        }
    }

    /** Scenario 6: one event to 1,000 Pub/Sub streams, next to the same fan-out to 1,000 CometD clients. */
    private void pubSubFanout() throws Exception {
        int streams = quick ? 200 : 1000;
        int runs = 3;
        System.out.printf("%n[6] emulator (own JVM, -Xmx1g) with %,d Pub/Sub Subscribe streams, then %,d CometD "
                + "clients, one event fanned out, %d runs...%n", streams, streams, runs);
        try (ChildEmulator emulator = new ChildEmulator("1g", streams + 100)) {
            String token = auth(emulator.url()).token().token();
            List<Double> grpc = new ArrayList<>();
            for (List<Double> run : PubSubBench.fanout(emulator, token, streams, runs + 1).subList(1, runs + 1)) {
                grpc.add(Result.percentile(run, 99));
                System.out.printf("    Pub/Sub: p50 %.1f ms, p99 %.1f ms, max %.1f ms over %,d streams%n",
                        Result.percentile(run, 50), Result.percentile(run, 99), Result.percentile(run, 100),
                        run.size());
            }
            List<Double> cometd = new ArrayList<>();
            for (Fanout.Run run : Fanout.run(emulator.url(), token, streams, runs + 1, () -> 0L).subList(1, runs + 1)) {
                cometd.add(Result.percentile(run.delaysMs(), 99));
                System.out.printf("    CometD: p50 %.0f ms, p99 %.0f ms over %,d clients%n",
                        Result.percentile(run.delaysMs(), 50), Result.percentile(run.delaysMs(), 99), run.clients());
            }
            double p99 = Result.median(grpc);
            results.add(Result.context("emulator fan-out to " + streams + " Pub/Sub streams: p99 delivery", p99,
                    Result.median(cometd), "CometD fan-out to " + streams + " clients", "ms", runs,
                    "next to the CometD figure"));
        }
    }

    /** Scenario 7: 200,000 retained change events drained over one Pub/Sub stream, Avro decoded. */
    private void pubSubDrain() throws Exception {
        int events = quick ? 50_000 : 200_000;
        int runs = 3;
        System.out.printf("%n[7] draining %,d retained change events over one Pub/Sub stream (EARLIEST, credit 100, "
                + "Avro decoded), %d runs...%n", events, runs);
        try (Emulator emulator = PubSubBench.drainOrg(events)) {
            String token = auth(emulator.url()).token().token();
            for (int w = 0; w < (quick ? 1 : 3); w++) {
                PubSubBench.drain(emulator, token, events);
            }
            List<Double> rates = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                rates.add(PubSubBench.drain(emulator, token, events));
                System.out.printf("    run %d: %,.0f ev/s%n", r + 1, rates.get(r));
            }
            results.add(Result.context("drain " + events + " retained change events over Pub/Sub", Result.median(
                    rates), Double.NaN, "none", "events/s", runs, "events per second, Avro decoded"));
        }
    }

    private void commits() throws Exception {
        Duration length = Duration.ofSeconds(quick ? 1 : 3);
        int flushed = quick ? 200 : 1000;
        int runs = 3;
        System.out.printf("%n[5] replay store commits on 10 channels: grouped for %d s, and %,d flushed one by one; "
                + "%d runs...%n", length.toSeconds(), flushed, runs);
        StoreCommits.file(Duration.ofMillis(500), flushed / 5);
        List<Double> file = new ArrayList<>();
        List<Double> fileEach = new ArrayList<>();
        List<Double> redis = new ArrayList<>();
        List<Double> redisEach = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            double[] f = StoreCommits.file(length, flushed);
            double[] rd = StoreCommits.redis(length, flushed);
            file.add(f[0]);
            fileEach.add(f[1]);
            redis.add(rd[0]);
            redisEach.add(rd[1]);
            System.out.printf("    run %d: file %,.0f commits/s grouped, %,.0f flushed one by one; "
                    + "Redis %,.0f grouped, %,.0f one by one%n", r + 1, f[0], f[1], rd[0], rd[1]);
        }
        double f = Result.median(file);
        double rd = Result.median(redis);
        results.add(Result.of("file store commits (puts), grouped", f, 50_000, "target", "commits/s",
                runs, "50,000/s or more", f >= 50_000));
        results.add(Result.context("file store commits, an fsync each", Result.median(fileEach), 50_000, "target",
                "commits/s", runs, "without group commit"));
        results.add(Result.of("Redis store commits (puts), grouped", rd, 20_000, "target", "commits/s", runs,
                "20,000/s or more", rd >= 20_000));
        results.add(Result.context("Redis store commits, a round trip each", Result.median(redisEach), 20_000,
                "target", "commits/s", runs, "without group commit"));
    }

    private void print() {
        System.out.printf("%n%-58s %14s %14s %8s  %-12s %s%n", "scenario", "sfstream", "peer", "ratio", "unit",
                "target");
        for (Result r : results) {
            System.out.printf("%-58s %14s %14s %8s  %-12s %s %s%n", r.scenario(), fmt(r.sfstream()), fmt(r.peer()),
                    Double.isNaN(r.ratio()) ? "-" : String.format("%.2fx", r.ratio()), r.unit(), r.target(),
                    r.verdict().label);
        }
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v >= 100 ? String.format("%,.0f", v) : String.format("%.2f", v);
    }

    private void write(Path out) throws Exception {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (Result r : results) {
            ObjectNode o = array.addObject();
            o.put("scenario", r.scenario());
            o.put("sfstream", r.sfstream());
            o.put("peer", r.peer());
            o.put("peerName", r.peerName());
            o.put("ratio", r.ratio());
            o.put("unit", r.unit());
            o.put("runs", r.runs());
            o.put("target", r.target());
            if (r.verdict() != Result.Verdict.NONE) {
                o.put("met", r.verdict() == Result.Verdict.MET);
            }
        }
        Files.write(out, Json.MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(array));
        System.out.println("\nwrote " + out.toAbsolutePath());
    }
}
