package dev.sfstream.bench;

import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.auth.StaticTokenAuthenticator;
import dev.sfstream.replay.ReplayFrom;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cometd.client.BayeuxClient;

/**
 * One drain of a retained channel in a fresh JVM, the way a restarted service catches up: the JVM has loaded and
 * compiled nothing yet. Started by the benchmark once per contender and run, as its own process:
 *
 * <pre>
 * java -cp sfstream-bench.jar dev.sfstream.bench.ColdDrain (iterator|listener|cometd|raw) URL TOKEN CHANNEL EVENTS
 * </pre>
 *
 * The clock starts before the client is built (its classes are not loaded yet: loading them is part of a cold
 * start) and stops at the last event; the token is given, so logging in is not measured for anyone. Prints
 * {@code RATE <events/s>}.
 */
public final class ColdDrain {
    /** When the first event arrived ({@code System.nanoTime()}). */
    private static volatile long FIRST;

    private ColdDrain() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String url = args[1];
        String token = args[2];
        String channel = args[3];
        int events = Integer.parseInt(args[4]);
        long start = System.nanoTime();
        long end = switch (mode) {
            case "iterator" -> iterator(url, token, channel, events);
            case "listener" -> listener(url, token, channel, events);
            case "cometd" -> cometd(url, token, channel, events);
            case "raw" -> raw(url, token, channel, events);
            default -> throw new IllegalArgumentException("mode: iterator, listener, cometd or raw, not " + mode);
        };
        double seconds = (end - start) / 1e9;
        System.out.println("RATE " + events / seconds);
        System.out.println("FIRST " + (FIRST - start) / 1e6);
        System.out.flush();
        System.exit(0);
    }

    // Each returns System.nanoTime() at its last event: closing is not part of draining.

    /** The README's quick start: a for loop over the client, each next event committing the one before. */
    static long iterator(String url, String token, String channel, int events) {
        try (StreamingClient client = StreamingClient.builder().authenticator(StaticTokenAuthenticator.of(url, token))
                .replayFrom(ReplayFrom.ALL_EVENTS).build()) {
            client.open();
            client.subscribe(channel);
            int seen = 0;
            for (StreamingEvent event : client) {
                if (++seen == 1) {
                    FIRST = System.nanoTime();
                }
                if (seen == events) {
                    return System.nanoTime();
                }
            }
            throw new IllegalStateException("the iterator ended at " + seen);
        }
    }

    /** A listener per channel, as the declarative handlers use. */
    static long listener(String url, String token, String channel, int events) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger seen = new AtomicInteger();
        try (StreamingClient client = StreamingClient.builder().authenticator(StaticTokenAuthenticator.of(url, token))
                .replayFrom(ReplayFrom.ALL_EVENTS).build()) {
            client.open();
            client.subscribe(channel, e -> {
                int n = seen.incrementAndGet();
                if (n == 1) {
                    FIRST = System.nanoTime();
                }
                if (n == events) {
                    done.countDown();
                }
            });
            if (!done.await(600, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the listener drain stalled at " + seen.get());
            }
            return System.nanoTime();
        }
    }

    /** CometD's BayeuxClient as EMP-Connector sets it up, with a listener (its only way to consume). */
    static long cometd(String url, String token, String channel, int events) throws Exception {
        org.eclipse.jetty.client.HttpClient jetty = new org.eclipse.jetty.client.HttpClient();
        jetty.start();
        BayeuxClient client = Drain.BayeuxCometD.newClient(jetty, url, token, -2);
        Drain.BayeuxCometD.handshake(client);
        Drain.BayeuxCometD.drain(client, channel, events, () -> {
            FIRST = System.nanoTime();
            if (events == 1) {
                System.out.println("EVENT"); // for the startup benchmark, which times this line from the outside
                System.out.flush();
            }
        });
        return System.nanoTime(); // the disconnect is not part of draining (the process exits)
    }

    /** The raw limit in a fresh JVM: the JDK HTTP client and Jackson, no protocol logic, one request at a time. */
    static long raw(String url, String token, String channel, int events) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        Drain.raw(http, url, "Bearer " + token, channel, events);
        return System.nanoTime();
    }

    /** Runs one cold drain as a child process and returns its rate. */
    static double run(String mode, String url, String token, String channel, int events) throws Exception {
        String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaCommand, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                ColdDrain.class.getName(), mode, url, token, channel, Integer.toString(events))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(Duration.ofMinutes(10).toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("cold drain " + mode + " failed: " + out);
        }
        for (String line : out.split("\n")) {
            if (line.startsWith("RATE ")) {
                return Double.parseDouble(line.substring(5).trim());
            }
        }
        throw new IllegalStateException("cold drain " + mode + " printed no rate: " + out);
    }
}
