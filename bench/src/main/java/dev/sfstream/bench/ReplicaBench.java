package dev.sfstream.bench;

import dev.sfstream.ConnectionListener;
import dev.sfstream.ConnectionState;
import dev.sfstream.StreamingClient;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.jdbc.JdbcReplayStore;
import dev.sfstream.jdbc.PostgresServer;
import dev.sfstream.replay.Lease;
import dev.sfstream.replay.ReplayMarker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The replica benchmarks (issue 18), beside the file and Redis stores' figures: the JDBC store's grouped commits per
 * second, the added cost of committing the marker in the handler's transaction, and the time from {@code kill -9}
 * of the active replica to a standby's takeover (median and max over 20 takeovers), on a real PostgreSQL started
 * here (Debian's postgresql package).
 *
 * <pre>
 * bench/run replicas [--takeovers 20] [--lease-ttl 15s] [--seconds 3]
 * </pre>
 */
public final class ReplicaBench {
    private ReplicaBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args[1], args[2], Duration.ofMillis(Long.parseLong(args[3])));
            return;
        }
        int takeovers = 20;
        Duration ttl = Duration.ofSeconds(15);
        Duration length = Duration.ofSeconds(3);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--takeovers" -> takeovers = Integer.parseInt(args[++i]);
                case "--lease-ttl" -> ttl = Duration.ofMillis(parseMillis(args[++i]));
                case "--seconds" -> length = Duration.ofSeconds(Long.parseLong(args[++i]));
                default -> {
                    System.err.println("usage: bench/run replicas [--takeovers 20] [--lease-ttl 15s] [--seconds 3]");
                    System.exit(2);
                }
            }
        }
        System.out.printf("sfstream replica benchmark: %d cores, Java %s%n", Runtime.getRuntime()
                .availableProcessors(), System.getProperty("java.version"));
        int code = 0;
        try (PostgresServer pg = PostgresServer.start()) {
            commits(pg, length);
            transactional(pg);
            takeovers(pg, takeovers, ttl);
        } catch (Exception | Error e) {
            e.printStackTrace();
            code = 1;
        }
        System.exit(code); // the children are killed, the server stopped; no thread may keep the JVM up
    }

    private static long parseMillis(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Long.parseLong(t.substring(0, t.length() - 2));
        }
        if (t.endsWith("s")) {
            return Long.parseLong(t.substring(0, t.length() - 1)) * 1000;
        }
        return Long.parseLong(t);
    }

    private static void commits(PostgresServer pg, Duration length) throws Exception {
        System.out.printf("%n[1] replay store commits (puts), grouped, %d s sustained, timed until the last is "
                + "durable; each flushed: one write per put (context)%n", length.toSeconds());
        double[] file = StoreCommits.file(length, 2000);
        double[] redis = StoreCommits.redis(length, 2000);
        double[] jdbc;
        try (JdbcReplayStore store = JdbcReplayStore.builder(pg.url()).build()) {
            StoreCommits.grouped(store, Duration.ofMillis(500)); // warm-up
            jdbc = new double[] {StoreCommits.grouped(store, length), StoreCommits.eachFlushed(store, 2000)};
        }
        System.out.printf("    %-12s %16s %16s%n", "store", "grouped/s", "each flushed/s");
        System.out.printf("    %-12s %,16.0f %,16.0f%n", "file", file[0], file[1]);
        System.out.printf("    %-12s %,16.0f %,16.0f%n", "Redis", redis[0], redis[1]);
        System.out.printf("    %-12s %,16.0f %,16.0f%n", "PostgreSQL", jdbc[0], jdbc[1]);
    }

    /** The cost per event of a handler transaction that inserts a row, without and with the marker in it. */
    private static void transactional(PostgresServer pg) throws Exception {
        int events = 5000;
        System.out.printf("%n[2] transactional commit: a handler transaction inserting one row, %,d events, one "
                + "connection, medians of 3 runs%n", events);
        pg.execute("CREATE TABLE IF NOT EXISTS bench_orders (number text PRIMARY KEY)");
        try (JdbcReplayStore store = JdbcReplayStore.builder(pg.url()).build();
             Connection c = DriverManager.getConnection(pg.url())) {
            c.setAutoCommit(false);
            Lease lease = store.acquire("bench", "bench", "me", Duration.ofMinutes(10)).orElseThrow();
            List<Double> plain = new ArrayList<>();
            List<Double> marker = new ArrayList<>();
            List<Double> fenced = new ArrayList<>();
            for (int run = 0; run < 4; run++) { // run 0 warms up
                int r = run;
                double p = perEvent(c, events, "p" + r, (i, conn) -> { });
                double m = perEvent(c, events, "m" + r, (i, conn) -> store.commit(conn, "bench", "/event/M" + r
                        + "__e", new ReplayMarker(i + 1, Instant.now()), null));
                double f = perEvent(c, events, "f" + r, (i, conn) -> store.commit(conn, "bench", "/event/F" + r
                        + "__e", new ReplayMarker(i + 1, Instant.now()), lease));
                if (run > 0) {
                    plain.add(p);
                    marker.add(m);
                    fenced.add(f);
                }
            }
            double p = Result.median(plain);
            double m = Result.median(marker);
            double f = Result.median(fenced);
            System.out.printf("    row only:                  %7.1f µs/event (%,.0f events/s)%n", p, 1e6 / p);
            System.out.printf("    row + marker:              %7.1f µs/event (%,.0f events/s), +%.1f µs%n", m, 1e6 / m,
                    m - p);
            System.out.printf("    row + marker, with a lease: %6.1f µs/event (%,.0f events/s), +%.1f µs%n", f,
                    1e6 / f, f - p);
        }
    }

    /** Something done in the transaction besides the row. */
    private interface Extra {
        void run(int i, Connection c) throws Exception;
    }

    private static double perEvent(Connection c, int events, String prefix, Extra extra) throws Exception {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO bench_orders (number) VALUES (?)")) {
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                extra.run(i, c);
                insert.setString(1, prefix + "-" + i + "-" + start);
                insert.executeUpdate();
                c.commit();
            }
            return (System.nanoTime() - start) / 1e3 / events;
        }
    }

    /**
     * Takeover after {@code kill -9}: two replicas in child JVMs on one emulator and PostgreSQL; the active one is
     * killed, and the time until the standby is connected is measured; then a new standby starts, and so on.
     */
    private static void takeovers(PostgresServer pg, int count, Duration ttl) throws Exception {
        System.out.printf("%n[3] takeover after kill -9 of the active replica, lease TTL %d s, %d takeovers...%n",
                ttl.toSeconds(), count);
        List<Double> seconds = new ArrayList<>();
        try (Emulator emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(20)).build()
                .start()) {
            Child active = Child.start(emulator.url(), pg.url(), ttl);
            active.await("CONNECTED", Duration.ofSeconds(60));
            Child standby = Child.start(emulator.url(), pg.url(), ttl);
            standby.await("STANDBY", Duration.ofSeconds(60));
            for (int i = 0; i < count; i++) {
                active.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                long killed = System.nanoTime();
                standby.await("CONNECTED", ttl.multipliedBy(4));
                double s = (System.nanoTime() - killed) / 1e9;
                seconds.add(s);
                System.out.printf("    takeover %2d: %.2f s%n", i + 1, s);
                active = standby;
                standby = Child.start(emulator.url(), pg.url(), ttl);
                standby.await("STANDBY", Duration.ofSeconds(60));
            }
            active.process.destroyForcibly();
            standby.process.destroyForcibly();
        }
        Collections.sort(seconds);
        System.out.printf("    median %.2f s, max %.2f s over %d takeovers (lease TTL %d s: expiry, then the "
                + "standby's next try, a third of the TTL apart, then a handshake and the subscriptions)%n",
                Result.median(seconds), seconds.get(seconds.size() - 1), seconds.size(), ttl.toSeconds());
    }

    /** A replica in a child JVM; its state changes come on stdout. */
    private record Child(Process process, BlockingQueue<String> states) {
        static Child start(String emulatorUrl, String store, Duration ttl) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), ReplicaBench.class.getName(), "--child", emulatorUrl, store,
                    Long.toString(ttl.toMillis())).redirectErrorStream(true).start();
            BlockingQueue<String> states = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        states.add(line);
                    }
                } catch (java.io.IOException ended) {
                    // gone
                }
            });
            reader.setDaemon(true);
            reader.start();
            return new Child(p, states);
        }

        void await(String state, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (true) {
                String line = states.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException("no " + state + " within " + within.toSeconds() + " s");
                }
                if (line.equals(state)) {
                    return;
                }
            }
        }
    }

    /** The child: an exclusive client that prints its states. */
    private static void child(String emulatorUrl, String store, Duration ttl) throws Exception {
        JdbcReplayStore replay = JdbcReplayStore.builder(store).build();
        StreamingClient client = StreamingClient.builder()
                .authenticator(PasswordAuthenticator.builder().loginUrl(emulatorUrl)
                        .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                        .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD).build())
                .replayStore(replay).replayNamespace("takeover").exclusive("bench").leaseTtl(ttl)
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void onStateChanged(ConnectionState state, String reason) {
                        System.out.println(state);
                        System.out.flush();
                    }
                }).build();
        client.open();
        client.subscribe("/event/Takeover__e", e -> { });
        new CountDownLatch(1).await();
    }
}
