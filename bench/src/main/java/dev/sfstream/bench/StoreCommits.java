package dev.sfstream.bench;

import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 5: replay store commits per second. Two ways to commit are measured:
 * <ul>
 *   <li><b>grouped</b>, the way the stores run: markers are put on ten channels without pause for a fixed time while
 *       the store's own group commit writes them out (the file store: one atomic, fsynced write per 100 ms, holding
 *       the newest marker of each channel); the clock stops when a final flush has made the last markers durable,
 *       which covers every counted put, as markers only move forward;</li>
 *   <li><b>each flushed</b>: a flush after every put, one fsync (or one Redis round trip) per commit, the cost a
 *       store without group commit would pay; shown for context.</li>
 * </ul>
 */
final class StoreCommits {
    private StoreCommits() {
    }

    /** Puts for {@code length}, then a flush; commits per second including the time to make them all durable. */
    static double grouped(ReplayStore store, Duration length) {
        Instant created = Instant.now();
        String namespace = "bench-" + System.nanoTime();
        long start = System.nanoTime();
        long stop = start + length.toNanos();
        long commits = 0;
        while (System.nanoTime() < stop) {
            for (int i = 0; i < 1000; i++) {
                commits++;
                store.put(namespace, "/event/Commit" + (commits % 10) + "__e", new ReplayMarker(commits, created));
            }
        }
        store.flush();
        return commits / ((System.nanoTime() - start) / 1e9);
    }

    /** {@code commits} puts, each followed by a flush that waits until it is durable. */
    static double eachFlushed(ReplayStore store, int commits) {
        Instant created = Instant.now();
        String namespace = "bench-" + System.nanoTime();
        long start = System.nanoTime();
        for (int i = 1; i <= commits; i++) {
            store.put(namespace, "/event/Commit" + (i % 10) + "__e", new ReplayMarker(i, created));
            store.flush();
        }
        return commits / ((System.nanoTime() - start) / 1e9);
    }

    /** Grouped and each-flushed commits per second on a file store in a fresh temporary directory. */
    static double[] file(Duration length, int flushed) throws IOException {
        Path dir = Files.createTempDirectory("sfstream-bench");
        try (ReplayStore store = ReplayStore.file(dir.resolve("replay.json"))) {
            return new double[] {grouped(store, length), eachFlushed(store, flushed)};
        }
    }

    /** Grouped and each-flushed Redis commits per second, or NaNs when no {@code redis-server} can be started. */
    static double[] redis(Duration length, int flushed) throws Exception {
        double[] none = {Double.NaN, Double.NaN};
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("sfstream-bench-redis");
        Process redis;
        try {
            redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException notInstalled) {
            return none;
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        return none;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
            }
            try (ReplayStore store = ReplayStore.open("redis://127.0.0.1:" + port)) {
                grouped(store, Duration.ofMillis(500));
                return new double[] {grouped(store, length), eachFlushed(store, flushed)};
            }
        } finally {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
