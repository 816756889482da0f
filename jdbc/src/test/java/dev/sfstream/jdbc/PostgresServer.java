package dev.sfstream.jdbc;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server started by a test on a free loopback port, in a temporary directory, with Debian's
 * binaries ({@code initdb}, {@code pg_ctl} of package {@code postgresql}, under
 * {@code /usr/lib/postgresql/<version>/bin}); trust authentication, no fsync. As root it runs them as the
 * {@code postgres} user, since PostgreSQL refuses to run as root. {@link #close()} stops it ({@code pg_ctl -m fast
 * stop}) and removes the directory. Without the binaries it fails with a message saying to install the package: a
 * test that needs PostgreSQL never skips. CI installs the package when it is missing ({@code .ci/run}).
 */
public final class PostgresServer implements AutoCloseable {
    private static final Path DEBIAN = Path.of("/usr/lib/postgresql");

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgres;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /** Initialises a cluster in a new temporary directory and starts it on a free port. */
    public static PostgresServer start() throws IOException, InterruptedException {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("sfstream-pg");
        if (root) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
        PostgresServer server = new PostgresServer(bin, dir, freePort(), root);
        server.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust",
                "-U", "postgres", "--no-sync", "-E", "UTF8"), 60);
        server.startServer();
        return server;
    }

    /** The directory of Debian's newest PostgreSQL binaries, or of {@code initdb} on the PATH. */
    static Path binaries() {
        Optional<Path> debian = Optional.empty();
        if (Files.isDirectory(DEBIAN)) {
            try (Stream<Path> versions = Files.list(DEBIAN)) {
                debian = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                        .max(Comparator.comparingInt(PostgresServer::majorVersion));
            } catch (IOException e) {
                debian = Optional.empty();
            }
        }
        if (debian.isPresent()) {
            return debian.get();
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "initdb"))
                    && Files.isExecutable(Path.of(entry, "pg_ctl"))) {
                return Path.of(entry);
            }
        }
        throw new IllegalStateException("PostgreSQL's initdb and pg_ctl were not found (looked in "
                + DEBIAN + "/<version>/bin and on the PATH): install Debian's postgresql package "
                + "(apt-get install postgresql); the JDBC store's tests run against a real PostgreSQL server");
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A loopback port nothing listens on (at the time of the call). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of database {@code postgres} as the superuser {@code postgres}. */
    public String url() {
        return url("postgres");
    }

    /** The JDBC URL of a database as the superuser {@code postgres}. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    /** A new connection to database {@code postgres}, as the superuser, autocommit on. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    /** Runs statements as the superuser, each committed. */
    public void execute(String... sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    /** Creates a database and returns its URL (as the superuser). */
    public String createDatabase(String name) throws SQLException {
        execute("CREATE DATABASE " + name);
        return url(name);
    }

    /** Stops the server (fast: open sessions are ended), leaving its files: {@link #restart()} starts it again. */
    public void stop() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
                "stop"), 60);
    }

    /** Starts the stopped server again on the same port, with the same data. */
    public void restart() throws IOException, InterruptedException {
        startServer();
    }

    private void startServer() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "60",
                "-l", dir.resolve("server.log").toString(), "-o", "-p " + port + " -k " + dir
                        + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start"), 90);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stop();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void run(List<String> command, int seconds) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path output = Files.createTempFile("sfstream-pg-cmd", ".txt");
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + seconds + " s");
            }
            if (p.exitValue() != 0) {
                String log = Files.exists(dir.resolve("server.log"))
                        ? Files.readString(dir.resolve("server.log"), StandardCharsets.UTF_8) : "";
                throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
                        + Files.readString(output, StandardCharsets.UTF_8) + log);
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    @Override
    public String toString() {
        return "PostgresServer[127.0.0.1:" + port + ", " + bin + "]";
    }
}
