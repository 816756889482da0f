package dev.sfstream.bench;

import dev.sfstream.auth.AccessToken;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 1: a service catching up on retained events, sfstream against CometD's {@code BayeuxClient} 8 (the client
 * EMP-Connector wraps) and the raw limit (the JDK HTTP client and Jackson, no protocol logic). The emulator runs in
 * its own JVM; each channel holds its events before anyone subscribes.
 * <ul>
 *   <li><b>cold</b>: each drain in a fresh JVM, as after a deploy or a crash: class loading and the JIT are part of
 *       it. Contenders alternate, three runs each; the raw limit too, in a fresh JVM of its own.</li>
 *   <li><b>warm</b>: in this JVM after warm-up drains, three measured runs each, alternating.</li>
 * </ul>
 * sfstream is measured twice: through the iterator (the README's quick start) and with a listener.
 */
final class DrainScenario {
    private static final int RUNS = 3;
    private static final String[] CONTENDERS = {"iterator", "listener", "cometd"};

    private DrainScenario() {
    }

    static void run(boolean quick, List<Result> results) throws Exception {
        int[] sizes = {20_000, quick ? 50_000 : 200_000};
        System.out.printf("%n[1] draining retained events (ALL_EVENTS) of %,d and %,d events: cold (a fresh JVM per "
                + "drain) and warm, %d runs each...%n", sizes[0], sizes[1], RUNS);
        try (ChildEmulator emulator = new ChildEmulator("2g", 1000)) {
            AccessToken token = PasswordAuthenticator.builder().loginUrl(emulator.url())
                    .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                    .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD).build().token();
            Map<Integer, String> channels = new LinkedHashMap<>();
            for (int size : sizes) {
                String name = "Drain" + size + "__e";
                emulator.publish(name, size);
                channels.put(size, "/event/" + name);
            }
            for (int size : sizes) {
                cold(emulator.url(), token, channels.get(size), size, results);
            }
            for (int size : sizes) {
                warm(emulator.url(), token, channels.get(size), size, quick, results);
            }
        }
    }

    private static void cold(String url, AccessToken token, String channel, int events, List<Result> results)
            throws Exception {
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (String c : CONTENDERS) {
            rates.put(c, new ArrayList<>());
        }
        List<Double> raw = new ArrayList<>();
        for (int r = 0; r < RUNS; r++) {
            for (String c : CONTENDERS) {
                rates.get(c).add(ColdDrain.run(c, url, token.token(), channel, events));
            }
            raw.add(ColdDrain.run("raw", url, token.token(), channel, events));
            System.out.printf("    cold %,d, run %d: sfstream iterator %,.0f ev/s, listener %,.0f; CometD %,.0f; "
                    + "raw %,.0f%n", events, r + 1, rates.get("iterator").get(r), rates.get("listener").get(r),
                    rates.get("cometd").get(r), raw.get(r));
        }
        add(results, "cold", events, rates, Result.median(raw));
    }

    private static void warm(String url, AccessToken token, String channel, int events, boolean quick,
            List<Result> results) throws Exception {
        org.eclipse.jetty.client.HttpClient jetty = new org.eclipse.jetty.client.HttpClient();
        jetty.start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (String c : CONTENDERS) {
            rates.put(c, new ArrayList<>());
        }
        List<Double> raw = new ArrayList<>();
        // Warm-up, not measured: the JIT settles after about a million events on two cores shared with the emulator.
        int warmups = Math.max(2, Math.min(quick ? 4 : 8, 1_000_000 / events));
        for (int w = 0; w < warmups + RUNS; w++) {
            double i = timed(() -> ColdDrain.iterator(url, token.token(), channel, events), events);
            double l = timed(() -> ColdDrain.listener(url, token.token(), channel, events), events);
            double c = Drain.cometd(jetty, url, token.token(), channel, events);
            double w0 = Drain.raw(http, url, token.authorizationHeader(), channel, events);
            if (w >= warmups) {
                rates.get("iterator").add(i);
                rates.get("listener").add(l);
                rates.get("cometd").add(c);
                raw.add(w0);
                System.out.printf("    warm %,d, run %d: sfstream iterator %,.0f ev/s, listener %,.0f; CometD %,.0f; "
                        + "raw %,.0f%n", events, w - warmups + 1, i, l, c, w0);
            }
        }
        jetty.stop();
        add(results, "warm", events, rates, Result.median(raw));
    }

    /** A drain that returns {@code System.nanoTime()} at its last event. */
    private interface Drainer {
        long drain() throws Exception;
    }

    private static double timed(Drainer drainer, int events) throws Exception {
        long start = System.nanoTime();
        long end = drainer.drain();
        return events / ((end - start) / 1e9);
    }

    private static void add(List<Result> results, String mode, int events, Map<String, List<Double>> rates,
            double raw) {
        double cometd = Result.median(rates.get("cometd"));
        for (String way : List.of("iterator", "listener")) {
            double ours = Result.median(rates.get(way));
            results.add(Result.of(String.format("drain %,d, %s, %s vs CometD BayeuxClient", events, mode, way), ours,
                    cometd, "CometD BayeuxClient 8", "events/s", RUNS, "1.5x or more", ours / cometd >= 1.5));
            if (!Double.isNaN(raw)) {
                results.add(Result.of(String.format("drain %,d, %s, %s vs the raw limit", events, mode, way), ours,
                        raw, "raw JDK HttpClient + Jackson", "events/s", RUNS, "0.8x or more", ours / raw >= 0.8));
            }
        }
    }
}
