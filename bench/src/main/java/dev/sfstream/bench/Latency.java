package dev.sfstream.bench;

import dev.sfstream.StreamingClient;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.emulator.Emulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.cometd.bayeux.Message;
import org.cometd.client.BayeuxClient;

/**
 * Scenario 2: latency from publish to consumer at a steady rate. One contender at a time (sfstream, then CometD's
 * BayeuxClient, alternating), each subscribed alone, so that they do not compete for the two cores.
 */
final class Latency {
    private Latency() {
    }

    /** Latencies in ms of events published after the warm-up, for sfstream. */
    static List<Double> sfstream(Emulator emulator, Authenticator auth, int rate, Duration length, Duration warmup)
            throws Exception {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        long measureFrom = System.nanoTime() + warmup.toNanos();
        try (StreamingClient client = StreamingClient.builder().authenticator(auth).build()) {
            client.open();
            client.subscribe("/event/Latency__e", e -> record(latencies, measureFrom,
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
            cometd.getChannel("/event/Latency__e").subscribe((c, m) -> {
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

    private static void record(List<Double> latencies, long measureFrom, long sent) {
        if (sent >= measureFrom) {
            latencies.add((System.nanoTime() - sent) / 1e6);
        }
    }

    /** Publishes at a steady rate, then waits (bounded) until the measured events have arrived. */
    private static void publish(Emulator emulator, int rate, Duration length, Duration warmup, List<Double> latencies) {
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
