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
 * Scenario 2: latency from publish to consumer at a steady rate, sfstream and CometD's BayeuxClient subscribed to
 * the same channel at the same time, so that both see the same events under the same load.
 */
final class Latency {
    /** Latencies in milliseconds of one run, per contender. */
    record Run(List<Double> sfstream, List<Double> cometd) {
    }

    private Latency() {
    }

    static Run run(Emulator emulator, Authenticator auth, org.eclipse.jetty.client.HttpClient jetty, String token,
            int rate, Duration length, Duration warmup) throws Exception {
        String channel = "/event/Latency__e";
        String type = "Latency__e";
        List<Double> ours = Collections.synchronizedList(new ArrayList<>());
        List<Double> theirs = Collections.synchronizedList(new ArrayList<>());
        long measureFrom = System.nanoTime() + warmup.toNanos();
        try (StreamingClient client = StreamingClient.builder().authenticator(auth).build()) {
            client.open();
            client.subscribe(channel, e -> {
                long sent = e.data().path("payload").path("T__c").asLong();
                if (sent >= measureFrom) {
                    ours.add((System.nanoTime() - sent) / 1e6);
                }
            });
            BayeuxClient cometd = Drain.BayeuxCometD.newClient(jetty, emulator.url(), token, -1);
            try {
                Drain.BayeuxCometD.handshake(cometd);
                CompletableFuture<Message> subscribed = new CompletableFuture<>();
                cometd.getChannel(channel).subscribe((c, m) -> {
                    Object payload = m.getDataAsMap().get("payload");
                    long sent = ((Number) ((Map<?, ?>) payload).get("T__c")).longValue();
                    if (sent >= measureFrom) {
                        theirs.add((System.nanoTime() - sent) / 1e6);
                    }
                }, subscribed::complete);
                subscribed.get(30, TimeUnit.SECONDS);
                long total = (long) rate * (length.plus(warmup).toSeconds());
                long start = System.nanoTime();
                for (long i = 0; i < total; i++) {
                    long due = start + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    emulator.publishEvent(type, Map.of("T__c", System.nanoTime()));
                }
                long expected = (long) rate * length.toSeconds();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while ((ours.size() < expected * 0.99 || theirs.size() < expected * 0.99)
                        && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
                }
            } finally {
                cometd.disconnect(2000);
            }
        }
        return new Run(new ArrayList<>(ours), new ArrayList<>(theirs));
    }
}
