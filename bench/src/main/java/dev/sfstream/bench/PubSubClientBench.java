package dev.sfstream.bench;

import dev.sfstream.StreamingClient;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.emulator.PubSubSettings;
import dev.sfstream.pubsub.PubSubTransport;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The Pub/Sub transport's benchmarks, side by side in one run ({@code bench/run pubsub [--quick]}):
 * <ol>
 *   <li>draining 200,000 retained change events: sfstream's client on the Pub/Sub transport (a {@code receive} loop,
 *       every event decoded into the Streaming API's JSON with its field lists, deduplicated, queued and committed)
 *       against the limit, a raw grpc-java loop that decodes each payload into an Avro record and does nothing else
 *       ({@link PubSubBench#drain}); the target is at least 0.8 of the limit;</li>
 *   <li>latency p50 and p99 from publish to listener at 2,000 events per second, the Pub/Sub transport beside the
 *       Streaming API (CometD) transport, one at a time;</li>
 *   <li>heap and threads per idle Pub/Sub subscription (one client, one channel each, sharing one transport), beside
 *       an idle Streaming API client, with the emulator in its own JVM.</li>
 * </ol>
 */
public final class PubSubClientBench {
    private static final String LATENCY = "/event/Latency__e";

    private PubSubClientBench() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        List<Result> results = new ArrayList<>();
        drain(quick, results);
        latency(quick, results);
        idle(quick, results);
        System.out.printf("%n%-58s %14s %14s %-22s %7s  %s%n", "scenario", "sfstream", "peer", "peer is", "ratio",
                "target");
        for (Result r : results) {
            System.out.printf("%-58s %,14.1f %,14.1f %-22s %7.2f  %s %s%n", r.scenario(), r.sfstream(), r.peer(),
                    r.peerName(), r.ratio(), r.target(), r.verdict().label);
        }
        System.exit(0);
    }

    private static Authenticator auth(String url) {
        return PasswordAuthenticator.builder().loginUrl(url).consumerKey(Emulator.DEFAULT_CLIENT_ID)
                .consumerSecret(Emulator.DEFAULT_CLIENT_SECRET).username(Emulator.DEFAULT_USERNAME)
                .password(Emulator.DEFAULT_PASSWORD).build();
    }

    // ---------------------------------------------------------------- drain

    private static void drain(boolean quick, List<Result> results) throws Exception {
        int events = quick ? 50_000 : 200_000;
        int runs = 3;
        System.out.printf("%n[P1] draining %,d retained change events over the Pub/Sub API: sfstream against a raw "
                + "grpc-java loop with Avro decode, %d runs each, alternating...%n", events, runs);
        try (Emulator emulator = PubSubBench.drainOrg(events)) {
            Authenticator auth = auth(emulator.url());
            String token = auth.token().token();
            PubSubTransport transport = PubSubTransport.builder().endpoint(emulator.pubSubEndpoint()).plaintext()
                    .build();
            for (int w = 0; w < (quick ? 2 : 4); w++) { // JIT warm-up on two cores shared with the emulator
                drainWithSfstream(auth, transport, events);
                PubSubBench.drain(emulator, token, events);
            }
            List<Double> ours = new ArrayList<>();
            List<Double> raw = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                ours.add(drainWithSfstream(auth, transport, events));
                raw.add(PubSubBench.drain(emulator, token, events));
                System.out.printf("    run %d: sfstream %,.0f ev/s, raw grpc-java %,.0f ev/s%n", r + 1, ours.get(r),
                        raw.get(r));
            }
            double ratio = Result.median(ours) / Result.median(raw);
            results.add(Result.of("drain " + events + " retained change events (Pub/Sub)", Result.median(ours),
                    Result.median(raw), "raw grpc-java + Avro", "events/s", runs, ">= 0.8 of the raw loop",
                    ratio >= 0.8));
        }
    }

    /** Events per second until the last retained event was received, from before {@code open()}. */
    private static double drainWithSfstream(Authenticator auth, Transport transport, int events) {
        long start = System.nanoTime();
        try (StreamingClient client = StreamingClient.builder().authenticator(auth).transport(transport)
                .replayFrom(ReplayFrom.ALL_EVENTS).build()) {
            client.open();
            client.subscribe("/data/AccountChangeEvent");
            for (int seen = 0; seen < events; seen++) {
                if (client.receive(Duration.ofSeconds(30)).isEmpty()) {
                    throw new IllegalStateException("the sfstream drain stalled at " + seen);
                }
            }
            return events / ((System.nanoTime() - start) / 1e9);
        }
    }

    // ---------------------------------------------------------------- latency

    private static void latency(boolean quick, List<Result> results) throws Exception {
        int rate = 2_000;
        Duration length = Duration.ofSeconds(quick ? 5 : 20);
        Duration warmup = Duration.ofSeconds(quick ? 2 : 5);
        int runs = quick ? 1 : 3;
        System.out.printf("%n[P2] latency from publish to listener at %,d events/s for %d s (after %d s of warm-up), "
                + "Pub/Sub beside CometD, one at a time, %d runs each...%n", rate, length.toSeconds(),
                warmup.toSeconds(), runs);
        try (Emulator emulator = Emulator.builder().quiet(true).retainedEventBytes(512L << 20)
                .pubSub(PubSubSettings.defaults().plaintext(true)).build().start()) {
            emulator.publishEvent("Latency__e", Map.of("T__c", System.nanoTime())); // the topic exists
            Authenticator auth = auth(emulator.url());
            PubSubTransport transport = PubSubTransport.builder().endpoint(emulator.pubSubEndpoint()).plaintext()
                    .build();
            List<Double> pubSubP50 = new ArrayList<>();
            List<Double> pubSubP99 = new ArrayList<>();
            List<Double> cometdP50 = new ArrayList<>();
            List<Double> cometdP99 = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                List<Double> p = latencies(emulator, auth, transport, rate, length, warmup);
                List<Double> c = latencies(emulator, auth, Transport.bayeux(), rate, length, warmup);
                pubSubP50.add(Result.percentile(p, 50));
                pubSubP99.add(Result.percentile(p, 99));
                cometdP50.add(Result.percentile(c, 50));
                cometdP99.add(Result.percentile(c, 99));
                System.out.printf("    run %d: Pub/Sub p50 %.2f ms, p99 %.2f ms (%,d events); CometD p50 %.2f ms, "
                        + "p99 %.2f ms (%,d events)%n", r + 1, pubSubP50.get(r), pubSubP99.get(r), p.size(),
                        cometdP50.get(r), cometdP99.get(r), c.size());
            }
            results.add(Result.context("latency p50 at 2,000 ev/s, Pub/Sub (ms)", Result.median(pubSubP50),
                    Result.median(cometdP50), "sfstream on CometD", "ms", runs, "beside CometD"));
            results.add(Result.context("latency p99 at 2,000 ev/s, Pub/Sub (ms)", Result.median(pubSubP99),
                    Result.median(cometdP99), "sfstream on CometD", "ms", runs, "beside CometD"));
        }
    }

    /** Latencies in ms of the events published after the warm-up, to a listener on the given transport. */
    private static List<Double> latencies(Emulator emulator, Authenticator auth, Transport transport, int rate,
            Duration length, Duration warmup) throws Exception {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        long measureFrom = System.nanoTime() + warmup.toNanos();
        try (StreamingClient client = StreamingClient.builder().authenticator(auth).transport(transport).build()) {
            client.open();
            client.subscribe(LATENCY, e -> {
                long sent = e.data().path("payload").path("T__c").asLong();
                if (sent >= measureFrom) {
                    latencies.add((System.nanoTime() - sent) / 1e6);
                }
            });
            Latency.publish(emulator, rate, length, warmup, latencies);
        }
        return new ArrayList<>(latencies);
    }

    // ---------------------------------------------------------------- idle subscriptions

    private static void idle(boolean quick, List<Result> results) throws Exception {
        int count = quick ? 200 : 1_000;
        System.out.printf("%n[P3] %,d idle clients, one subscription each, the emulator in its own JVM: Pub/Sub "
                + "(one shared transport: one HTTP/2 connection) beside CometD...%n", count);
        try (ChildEmulator emulator = new ChildEmulator("1g", count + 100)) {
            Authenticator auth = auth(emulator.url());
            IdleClients.Footprint pubSub = idlePubSub(emulator, auth, count);
            IdleClients.Footprint cometd = IdleClients.sfstream(emulator.url(), count);
            System.out.printf("    Pub/Sub: %,.0f bytes and %.3f threads per idle subscription (%d threads added)%n",
                    pubSub.heapPerClient(), pubSub.threadsPerClient(), pubSub.threadsAdded());
            System.out.printf("    CometD:  %,.0f bytes and %.3f threads per idle client (%d threads added)%n",
                    cometd.heapPerClient(), cometd.threadsPerClient(), cometd.threadsAdded());
            results.add(Result.context("heap per idle subscription, Pub/Sub (bytes)", pubSub.heapPerClient(),
                    cometd.heapPerClient(), "sfstream on CometD", "bytes", 1, "beside CometD"));
        }
    }

    private static IdleClients.Footprint idlePubSub(ChildEmulator emulator, Authenticator auth, int count)
            throws Exception {
        PubSubTransport transport = PubSubTransport.builder().endpoint(emulator.pubSubEndpoint()).plaintext().build();
        String channel = "/data/AccountChangeEvent";
        List<StreamingClient> clients = new ArrayList<>();
        // Warm the shared pieces up (the channel, the schema cache, timers, workers) so that the baseline holds them.
        StreamingClient warm = StreamingClient.builder().authenticator(auth).transport(transport).build().open();
        warm.subscribe(channel);
        try {
            long heapBefore = IdleClients.heap();
            int threadsBefore = IdleClients.threads();
            // A subscription to a quiet channel counts as confirmed after 1 s without a refusal: subscribing one
            // after the other would take a second each, so they subscribe 100 at a time, from threads that are
            // gone before the footprint is taken.
            java.util.concurrent.ExecutorService subscribers = java.util.concurrent.Executors.newFixedThreadPool(100);
            List<java.util.concurrent.Future<?>> pending = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                StreamingClient c = StreamingClient.builder().authenticator(auth).transport(transport).build();
                clients.add(c);
                pending.add(subscribers.submit(() -> c.open().subscribe(channel)));
            }
            for (java.util.concurrent.Future<?> f : pending) {
                f.get();
            }
            subscribers.shutdown();
            subscribers.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
            return IdleClients.Footprint.since(heapBefore, threadsBefore, count);
        } finally {
            clients.forEach(StreamingClient::close);
            warm.close();
        }
    }
}
