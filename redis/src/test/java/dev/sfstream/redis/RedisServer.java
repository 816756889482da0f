package dev.sfstream.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} started by a test on a free loopback port, without persistence; plain, with a
 * password, or TLS-only. CI installs Debian's redis-server package when it is missing ({@code .ci/run}). In this
 * module's test jar, for the tests of the modules that take a Redis store (the CLI's, the Spring Boot starter's).
 */
public final class RedisServer implements AutoCloseable {
    private final int port;
    private final Path dir;
    private final boolean tls;
    private final List<String> options;
    private Process process;

    /** A plain server, no password. */
    public RedisServer() throws IOException {
        this(false, List.of());
    }

    private RedisServer(boolean tls, List<String> options) throws IOException {
        this.port = freePort();
        this.dir = Files.createTempDirectory("sfstream-redis");
        this.tls = tls;
        this.options = List.copyOf(options);
        start();
    }

    /** A plain server that asks for this password (the {@code default} user's). */
    static RedisServer withPassword(String password) throws IOException {
        return new RedisServer(false, List.of("--requirepass", password));
    }

    /** A server that speaks TLS only, presenting this certificate; clients are not asked for one. */
    static RedisServer tls(Path certificate, Path key, Path caCertificate) throws IOException {
        return new RedisServer(true, List.of("--tls-cert-file", certificate.toString(), "--tls-key-file",
                key.toString(), "--tls-ca-cert-file", caCertificate.toString(), "--tls-auth-clients", "no"));
    }

    /** A loopback port nothing listens on (at the time of the call). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    public String uri() {
        return (tls ? "rediss" : "redis") + "://127.0.0.1:" + port;
    }

    void start() throws IOException {
        List<String> command = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.toString()));
        command.addAll(tls ? List.of("--port", "0", "--tls-port", Integer.toString(port))
                : List.of("--port", Integer.toString(port)));
        command.addAll(options);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
                }
                Thread.onSpinWait();
            }
        }
        throw new IOException("redis-server did not listen on port " + port + " within 10 s");
    }

    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
