package dev.sfstream.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on a free loopback port, without persistence: the plain case of the Redis module's test
 * helper of the same name. CI installs Debian's redis-server package when it is missing ({@code .ci/run}).
 */
final class RedisServer implements AutoCloseable {
    private final int port;
    private final Process process;

    RedisServer() throws IOException {
        port = freePort();
        Path dir = Files.createTempDirectory("sfstream-cli-redis");
        Path log = dir.resolve("redis.log");
        process = new ProcessBuilder(List.of("redis-server", "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                new Socket("127.0.0.1", port).close();
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("redis-server exited: " + Files.readString(log));
                }
                Thread.onSpinWait();
            }
        }
        process.destroyForcibly();
        throw new IOException("redis-server did not listen on port " + port + " within 10 s");
    }

    /** A loopback port nothing listens on (at the time of the call). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
