package dev.sfstream.bench;

import dev.sfstream.StreamingClient;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.cometd.bayeux.Message;
import org.cometd.client.BayeuxClient;

/**
 * Scenario 3: many idle subscribed clients in one JVM (the emulator runs in another): heap and threads per client,
 * for sfstream and for CometD's BayeuxClient sharing one Jetty HttpClient.
 */
final class IdleClients {
    /** Heap bytes and threads added by the clients, divided by their number. */
    record Footprint(double heapPerClient, double threadsPerClient, int threadsAdded) {
        /** Lets the clients settle for 3 s, then measures what {@code count} of them added. */
        static Footprint since(long heapBefore, int threadsBefore, int count) {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3));
            long heapAfter = heap();
            int threadsAfter = threads();
            return new Footprint((heapAfter - heapBefore) / (double) count, (threadsAfter - threadsBefore)
                    / (double) count, threadsAfter - threadsBefore);
        }
    }

    private IdleClients() {
    }

    static Footprint sfstream(String url, int count) throws Exception {
        Authenticator auth = PasswordAuthenticator.builder().loginUrl(url).consumerKey(Emulator.DEFAULT_CLIENT_ID)
                .consumerSecret(Emulator.DEFAULT_CLIENT_SECRET).username(Emulator.DEFAULT_USERNAME)
                .password(Emulator.DEFAULT_PASSWORD).build();
        auth.token();
        // Warm the shared pieces up (HTTP client, timer, workers) so that the baseline holds them.
        try (StreamingClient warm = StreamingClient.builder().authenticator(auth).build()) {
            warm.open();
            warm.subscribe("/event/Idle__e");
        }
        long heapBefore = heap();
        int threadsBefore = threads();
        List<StreamingClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                StreamingClient c = StreamingClient.builder().authenticator(auth).build();
                c.open();
                c.subscribe("/event/Idle__e");
                clients.add(c);
            }
            return Footprint.since(heapBefore, threadsBefore, count);
        } finally {
            clients.forEach(StreamingClient::close);
        }
    }

    static Footprint cometd(String url, String token, int count) throws Exception {
        org.eclipse.jetty.client.HttpClient jetty = new org.eclipse.jetty.client.HttpClient();
        jetty.setMaxConnectionsPerDestination(count * 2 + 10);
        jetty.start();
        BayeuxClient warm = Drain.BayeuxCometD.newClient(jetty, url, token, -1);
        Drain.BayeuxCometD.handshake(warm);
        warm.disconnect(2000);
        long heapBefore = heap();
        int threadsBefore = threads();
        List<BayeuxClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                BayeuxClient c = Drain.BayeuxCometD.newClient(jetty, url, token, -1);
                Drain.BayeuxCometD.handshake(c);
                CompletableFuture<Message> subscribed = new CompletableFuture<>();
                c.getChannel("/event/Idle__e").subscribe((ch, m) -> { }, subscribed::complete);
                subscribed.get(30, TimeUnit.SECONDS);
                clients.add(c);
            }
            return Footprint.since(heapBefore, threadsBefore, count);
        } finally {
            clients.forEach(c -> c.disconnect(1000));
            jetty.stop();
        }
    }

    static long heap() {
        for (int i = 0; i < 4; i++) {
            System.gc();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }
}
