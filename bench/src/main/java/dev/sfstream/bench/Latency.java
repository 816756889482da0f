package dev.sfstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.StreamingClient;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.emulator.Emulator;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.cometd.bayeux.Message;
import org.cometd.client.BayeuxClient;

/**
 * Scenario 2: latency from publish to consumer at a steady rate. One contender at a time (sfstream, CometD's
 * BayeuxClient and the raw JDK client, alternating), each subscribed alone, so that they do not compete for the
 * two cores.
 */
final class Latency {
    private static final String CHANNEL = "/event/Latency__e";

    private Latency() {
    }

    /** Latencies in ms of events published after the warm-up, for sfstream. */
    static List<Double> sfstream(Emulator emulator, Authenticator auth, int rate, Duration length, Duration warmup)
            throws Exception {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        long measureFrom = System.nanoTime() + warmup.toNanos();
        try (StreamingClient client = StreamingClient.builder().authenticator(auth).build()) {
            client.open();
            client.subscribe(CHANNEL, e -> record(latencies, measureFrom,
                    e.data().path("payload").path("T__c").asLong()));
            publish(emulator, rate, length, warmup, latencies);
        }
        return new ArrayList<>(latencies);
    }

    /** Latencies in ms of events published after the warm-up, for CometD's BayeuxClient. */
    static List<Double> cometd(Emulator emulator, org.eclipse.jetty.client.HttpClient jetty, String token, int rate,
            Duration length, Duration warmup) throws Exception {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        long measureFrom = System.nanoTime() + warmup.toNanos();
        BayeuxClient cometd = Drain.BayeuxCometD.newClient(jetty, emulator.url(), token, -1);
        try {
            Drain.BayeuxCometD.handshake(cometd);
            CompletableFuture<Message> subscribed = new CompletableFuture<>();
            cometd.getChannel(CHANNEL).subscribe((c, m) -> {
                Object payload = m.getDataAsMap().get("payload");
                record(latencies, measureFrom, ((Number) ((Map<?, ?>) payload).get("T__c")).longValue());
            }, subscribed::complete);
            subscribed.get(30, TimeUnit.SECONDS);
            publish(emulator, rate, length, warmup, latencies);
        } finally {
            cometd.disconnect(2000);
        }
        return new ArrayList<>(latencies);
    }

    /**
     * Latencies of the raw limit: one thread posting {@code /meta/connect} with the JDK HTTP client and parsing the
     * answers with Jackson, nothing else. What the JDK client costs per round trip, below which sfstream cannot go.
     */
    static List<Double> raw(Emulator emulator, HttpClient http, String authorization, int rate, Duration length,
            Duration warmup) throws Exception {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        long measureFrom = System.nanoTime() + warmup.toNanos();
        RawBayeux raw = new RawBayeux(http, emulator.url(), authorization);
        raw.handshake();
        raw.post(RawBayeux.subscribe(raw.clientId(), CHANNEL, -1));
        String connect = RawBayeux.connect(raw.clientId());
        AtomicBoolean running = new AtomicBoolean(true);
        Thread poller = new Thread(() -> {
            try {
                while (running.get()) {
                    for (JsonNode m : raw.post(connect)) {
                        if (CHANNEL.equals(m.path("channel").asText())) {
                            record(latencies, measureFrom, m.path("data").path("payload").path("T__c").asLong());
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                running.set(false);
            }
        }, "raw-latency");
        poller.setDaemon(true);
        poller.start();
        publish(emulator, rate, length, warmup, latencies);
        running.set(false);
        raw.post(RawBayeux.disconnect(raw.clientId())); // answers the held connect, so the poller ends
        poller.join(10_000);
        return new ArrayList<>(latencies);
    }

    private static void record(List<Double> latencies, long measureFrom, long sent) {
        if (sent >= measureFrom) {
            latencies.add((System.nanoTime() - sent) / 1e6);
        }
    }

    /** Publishes at a steady rate, then waits (bounded) until the measured events have arrived. */
    static void publish(Emulator emulator, int rate, Duration length, Duration warmup, List<Double> latencies) {
        long total = (long) rate * length.plus(warmup).toSeconds();
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            emulator.publishEvent("Latency__e", Map.of("T__c", System.nanoTime()));
        }
        long expected = (long) rate * length.toSeconds();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (latencies.size() < expected * 0.99 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

}
