package dev.sfstream.spring.boot;

import dev.sfstream.StreamingEvent;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.jdbc.PostgresServer;
import dev.sfstream.service.Subscribe;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * An application that keeps orders in PostgreSQL, for the tests of {@code sfstream.replay-store=jdbc}: a
 * {@code @Transactional} handler inserts each {@code Order_Placed__e} with a {@link JdbcTemplate} on Boot's
 * DataSource, and records what it saw inside its transaction. One database per application under test.
 */
final class OrderDatabase {
    static final String CHANNEL = "/event/Order_Placed__e";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final String url;

    private OrderDatabase(String url) {
        this.url = url;
    }

    /** A new database on the server, with the orders table and no sfstream table yet. */
    static OrderDatabase create(PostgresServer pg) throws SQLException {
        OrderDatabase db = new OrderDatabase(pg.createDatabase("orders" + DATABASES.incrementAndGet()));
        db.execute("CREATE TABLE orders (number text NOT NULL, replay_id bigint NOT NULL)");
        return db;
    }

    String url() {
        return url;
    }

    /** Starts the application on this database, logged in to the emulator, with more {@code name=value} settings. */
    ConfigurableApplicationContext start(Emulator emulator, Class<?>[] sources, String... settings) {
        String[] base = {"--sfstream.login-url=" + emulator.url(), "--sfstream.client-id=" + Emulator.DEFAULT_CLIENT_ID,
            "--sfstream.client-secret=" + Emulator.DEFAULT_CLIENT_SECRET,
            "--sfstream.username=" + Emulator.DEFAULT_USERNAME, "--sfstream.password=" + Emulator.DEFAULT_PASSWORD,
            "--sfstream.replay-store=jdbc", "--spring.datasource.url=" + url,
            // No pool in the tests (see the pom): a DataSource of plain driver connections.
            "--spring.datasource.type=org.springframework.jdbc.datasource.SimpleDriverDataSource",
            "--sfstream.retries=1", "--sfstream.retry-backoff=10ms"};
        String[] args = Stream.concat(Arrays.stream(base), Arrays.stream(settings).map(s -> "--" + s))
                .toArray(String[]::new);
        return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE).run(args);
    }

    ConfigurableApplicationContext start(Emulator emulator, String... settings) {
        return start(emulator, new Class<?>[] {App.class}, settings);
    }

    /** The committed orders, as {@code number|replay_id}, in insertion order. */
    List<String> orders() throws SQLException {
        return rows("SELECT number || '|' || replay_id FROM orders ORDER BY ctid");
    }

    /** The committed order numbers, in insertion order. */
    List<String> orderNumbers() throws SQLException {
        return rows("SELECT number FROM orders ORDER BY ctid");
    }

    /** The replay ID an order was inserted with. */
    long replayIdOf(String number) throws SQLException {
        List<String> ids = rows("SELECT replay_id FROM orders WHERE number = '" + number + "'");
        if (ids.size() != 1) {
            throw new AssertionError("order " + number + " is there " + ids.size() + " times");
        }
        return Long.parseLong(ids.get(0));
    }

    /** The committed marker of the orders channel, or null when there is none. */
    Long marker() throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            return marker(c);
        }
    }

    static Long marker(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT replay_id FROM sfstream_replay_marker WHERE channel = ?")) {
            s.setString(1, CHANNEL);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : null;
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return null; // the store has not created its tables yet
            }
            throw e;
        }
    }

    void execute(String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                rows.add(r.getString(1));
            }
        }
        return rows;
    }

    /** What the handler saw, per attempt; a bean of its own, so that tests read it without the handler's proxy. */
    @Component
    static class Seen {
        /** Every attempt at an order, failed ones included, in order. */
        final List<String> attempts = new CopyOnWriteArrayList<>();
        /** Per order, whether a transaction was active in the handler. */
        final Map<String, Boolean> inTransaction = new ConcurrentHashMap<>();
        /** Per order, the channel's marker as the handler's transaction reads it. */
        final Map<String, Long> markerInside = new ConcurrentHashMap<>();
        /** Per order, the channel's committed marker as another connection reads it while the handler runs. */
        final Map<String, Long> markerOutside = new ConcurrentHashMap<>();
        /** Whether the order POISON makes the handler throw after its insert. */
        volatile boolean poisonFails = true;
    }

    /** The handler: inserts the order in the transaction sfstream began, and throws for POISON while told to. */
    @Component
    public static class Orders {
        private final JdbcTemplate jdbc;
        private final Seen seen;
        private final String url;

        public Orders(JdbcTemplate jdbc, Seen seen, org.springframework.core.env.Environment env) {
            this.jdbc = jdbc;
            this.seen = seen;
            this.url = env.getRequiredProperty("spring.datasource.url");
        }

        @Subscribe(CHANNEL)
        @Transactional
        public void onOrder(String channel, StreamingEvent event) throws SQLException {
            String number = event.platformEvent().orElseThrow().payload().path("Order_Number__c").asText();
            seen.attempts.add(number);
            seen.inTransaction.put(number, TransactionSynchronizationManager.isActualTransactionActive());
            List<Long> inside = jdbc.queryForList("SELECT replay_id FROM sfstream_replay_marker WHERE channel = ?",
                    Long.class, channel);
            seen.markerInside.put(number, inside.isEmpty() ? -1L : inside.get(0));
            try (Connection other = DriverManager.getConnection(url)) {
                Long outside = marker(other);
                seen.markerOutside.put(number, outside == null ? -1L : outside);
            }
            jdbc.update("INSERT INTO orders (number, replay_id) VALUES (?, ?)", number, event.replayId());
            if (seen.poisonFails && number.equals("POISON")) {
                throw new IllegalStateException("cannot ship " + number);
            }
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({Orders.class, Seen.class})
    static class App {
        final List<dev.sfstream.service.HandlerFailure> failures = new CopyOnWriteArrayList<>();

        @Bean
        HandlerFailureListener failureListener() {
            return failures::add;
        }
    }
}
