package dev.sfstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Events published while, at random intervals (seeded), the proxy resets, stalls, slows and cuts connections and
 * the emulator revokes tokens, drops sessions and goes busy. The consumer must see every event exactly once, in
 * order, and the replay store must end at the last event.
 *
 * <p>The default run is short (about a minute, {@code sfstream.soak.events} events); the long one is
 * {@code mvn -B verify -pl reliability -am -Dsfstream.soak.events=100000 -Dsfstream.soak.seconds=300}.
 */
class ChaosSoakTest {
    private static final String CHANNEL = "/event/Soak__e";

    @Test
    void everyEventArrivesExactlyOnceThroughFaults() throws Exception {
        int events = Integer.getInteger("sfstream.soak.events", 12_000);
        int seconds = Integer.getInteger("sfstream.soak.seconds", 45);
        long seed = Long.getLong("sfstream.soak.seed", 20261123L);
        Random chaos = new Random(seed);
        try (FaultProxy proxy = new FaultProxy();
                Emulator emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(2))
                        .reconnectTimeout(Duration.ofSeconds(3)).advertisedUrl(proxy.url())
                        .retainedEventsPerChannel(events + 1000).retainedEventBytes(512L << 20)
                        .replayBatchSize(500).build().start();
                ReplayStore store = ReplayStore.inMemory()) {
            proxy.target(emulator.port());
            StreamingClient client = StreamingClient.builder()
                    .authenticator(PasswordAuthenticator.builder().loginUrl(proxy.url())
                            .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                            .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD)
                            .timeout(Duration.ofSeconds(5)).build())
                    .replayStore(store).replayFrom(ReplayFrom.ALL_EVENTS)
                    .requestTimeout(Duration.ofSeconds(5)).connectionTimeout(Duration.ofMinutes(3))
                    .handshakeMinInterval(Duration.ofMillis(100)).backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                    .build();
            client.open();
            client.subscribe(CHANNEL);

            AtomicBoolean publishing = new AtomicBoolean(true);
            AtomicInteger published = new AtomicInteger();
            Thread publisher = new Thread(() -> {
                long start = System.nanoTime();
                for (int i = 0; i < events; i++) {
                    emulator.publishEvent("Soak__e", Map.of("Seq__c", i));
                    published.incrementAndGet();
                    long due = start + (long) ((i + 1) * (seconds * 1e9 / events));
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
                publishing.set(false);
            }, "soak-publisher");
            List<String> injected = new ArrayList<>();
            Thread monkey = new Thread(() -> {
                while (publishing.get()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(1000 + chaos.nextInt(2500))
                            .toNanos());
                    if (!publishing.get()) {
                        return;
                    }
                    int pick = chaos.nextInt(7);
                    switch (pick) {
                        case 0 -> proxy.inject(FaultProxy.Fault.RESET, Duration.ZERO);
                        case 1 -> proxy.inject(FaultProxy.Fault.STALL, Duration.ofSeconds(3));
                        case 2 -> proxy.inject(FaultProxy.Fault.SLOW, Duration.ofSeconds(2));
                        case 3 -> proxy.inject(FaultProxy.Fault.CUT, Duration.ZERO);
                        case 4 -> emulator.revokeTokens();
                        case 5 -> emulator.dropSessions();
                        default -> emulator.busy(Duration.ofMillis(800));
                    }
                    synchronized (injected) {
                        injected.add(List.of("reset", "stall", "slow", "cut", "revoke", "drop", "busy").get(pick));
                    }
                }
            }, "soak-chaos");
            publisher.start();
            monkey.start();

            BitSet seen = new BitSet(events);
            int duplicates = 0;
            int outOfOrder = 0;
            long lastReplayId = 0;
            StreamingEvent last = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds * 2L + 60).toNanos();
            while (seen.cardinality() < events && System.nanoTime() < deadline) {
                Optional<StreamingEvent> next = client.receive(Duration.ofSeconds(1));
                if (next.isEmpty() || next.get().isReplayGap()) {
                    continue;
                }
                StreamingEvent e = next.get();
                int seq = e.platformEvent().orElseThrow().payload().path("Seq__c").asInt();
                if (seen.get(seq)) {
                    duplicates++;
                }
                seen.set(seq);
                if (e.replayId() <= lastReplayId) {
                    outOfOrder++;
                }
                lastReplayId = e.replayId();
                last = e;
            }
            publisher.join();
            monkey.join();
            if (seen.cardinality() < events) {
                System.out.println("soak: stuck; client " + client.state() + " " + client.stats() + "; emulator "
                        + emulator.status());
                Thread.getAllStackTraces().forEach((t, stack) -> {
                    System.out.println("thread " + t.getName() + " " + t.getState());
                    for (StackTraceElement frame : stack) {
                        System.out.println("    at " + frame);
                    }
                });
            }
            client.commit(last);
            client.close();

            System.out.printf("soak: %d events, %d faults %s, %d handshakes, %d reconnects, %d duplicates dropped "
                    + "by the client%n", events, injected.size(), injected, client.stats().handshakes(),
                    client.stats().reconnects(), client.stats().duplicatesDropped());
            assertThat(seen.cardinality()).as("events received of %d (faults: %s)", events, injected)
                    .isEqualTo(events);
            assertThat(duplicates).as("events handed out twice").isZero();
            assertThat(outOfOrder).as("events out of replay order").isZero();
            assertThat(injected).as("faults injected").hasSizeGreaterThanOrEqualTo(Math.min(8, seconds / 4));
            assertThat(store.get(client.replayNamespace(), CHANNEL).orElseThrow().replayId())
                    .isEqualTo(last.replayId());
        }
    }
}
