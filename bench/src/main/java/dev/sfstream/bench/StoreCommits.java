package dev.sfstream.bench;

import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 5: replay store commits per second, durable at the end: puts on ten channels, then a flush that waits
 * until every marker is on disk (the file store's group commit) or in Redis.
 */
final class StoreCommits {
    private StoreCommits() {
    }

    static double run(ReplayStore store, int commits) {
        Instant created = Instant.now();
        String namespace = "bench-" + System.nanoTime();
        long start = System.nanoTime();
        for (int i = 1; i <= commits; i++) {
            store.put(namespace, "/event/Commit" + (i % 10) + "__e", new ReplayMarker(i, created));
        }
        store.flush();
        return commits / ((System.nanoTime() - start) / 1e9);
    }

    static double file(int commits) throws IOException {
        Path dir = Files.createTempDirectory("sfstream-bench");
        try (ReplayStore store = ReplayStore.file(dir.resolve("replay.json"))) {
            return run(store, commits);
        }
    }

    /** Redis commits per second, or NaN when no {@code redis-server} can be started. */
    static double redis(int commits) throws Exception {
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
            return Double.NaN;
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        return Double.NaN;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
            }
            try (ReplayStore store = ReplayStore.open("redis://127.0.0.1:" + port)) {
                run(store, Math.min(commits, 20_000));
                return run(store, commits);
            }
        } finally {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
