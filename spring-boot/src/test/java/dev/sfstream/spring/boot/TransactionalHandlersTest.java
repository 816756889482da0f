package dev.sfstream.spring.boot;

import static dev.sfstream.spring.boot.OrderDatabase.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.FencedException;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.auth.StaticTokenAuthenticator;
import dev.sfstream.jdbc.JdbcReplayStore;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayStore;
import dev.sfstream.service.ErrorPolicy;
import dev.sfstream.service.Subscribe;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@code sfstream.replay-store=jdbc} on a real PostgreSQL, through Boot's DataSource and transaction manager: each
 * event's handler writes and its replay marker commit in one transaction, a failed handler rolls both back, an
 * event whose marker is committed is not handled again when it comes again, and a replica without its lease commits
 * nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class TransactionalHandlersTest extends PostgresOrgTest {
    private void publish(String... numbers) {
        for (String number : numbers) {
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", number));
        }
    }

    @Test
    void eachEventsInsertAndItsMarkerCommitInOneTransaction() throws Exception {
        try (ConfigurableApplicationContext ctx = db.start(emulator)) {
            assertThat(ctx.getBean(ReplayStore.class)).isInstanceOf(JdbcReplayStore.class);
            assertThat(ctx.getBeansOfType(TransactionalHandlers.class)).hasSize(1);
            OrderDatabase.Seen seen = ctx.getBean(OrderDatabase.Seen.class);
            publish("O-1", "O-2");
            await().atMost(Duration.ofSeconds(20)).until(() -> db.orderNumbers().size() == 2);

            assertThat(db.orderNumbers()).containsExactly("O-1", "O-2");
            long first = db.replayIdOf("O-1");
            long second = db.replayIdOf("O-2");
            // The rows are committed, and with them the marker: no wait for a later write.
            assertThat(db.marker()).isEqualTo(second);
            assertThat(seen.inTransaction).containsEntry("O-1", true).containsEntry("O-2", true);
            // Inside the handler's transaction, the event's own marker is written already...
            assertThat(seen.markerInside).containsEntry("O-1", first).containsEntry("O-2", second);
            // ...and nobody else sees it before that transaction commits.
            assertThat(seen.markerOutside.get("O-1")).isLessThan(first);
            assertThat(seen.markerOutside.get("O-2")).isEqualTo(first);
        }
    }

    @Test
    void aFailingHandlerRollsBackItsInsertAndTheMarkerAndTheNextStartResumesWithTheEvent() throws Exception {
        try (ConfigurableApplicationContext ctx = db.start(emulator, "sfstream.error-policy=stop")) {
            OrderDatabase.Seen seen = ctx.getBean(OrderDatabase.Seen.class);
            SfstreamHealthIndicator health = ctx.getBean(SfstreamHealthIndicator.class);
            publish("O-1", "POISON", "O-3");
            await().atMost(Duration.ofSeconds(20)).until(() -> health.health().getStatus().equals(Status.DOWN));

            // Two attempts, each inserted POISON and then threw: both rolled back, with their marker.
            assertThat(seen.attempts).containsExactly("O-1", "POISON", "POISON");
            assertThat(db.orderNumbers()).containsExactly("O-1");
            assertThat(db.marker()).isEqualTo(db.replayIdOf("O-1"));
            assertThat(health.health().getDetails()).containsEntry("stoppedChannels", List.of(CHANNEL));
            assertThat(ctx.getBean(OrderDatabase.App.class).failures).singleElement().satisfies(f -> {
                assertThat(f.policy()).isEqualTo(ErrorPolicy.STOP);
                assertThat(f.attempts()).isEqualTo(2);
                assertThat(f.cause()).hasMessage("cannot ship POISON");
            });

            // The next start (a new client) resumes from the committed marker, with the failed event. (Not
            // restart(channel): the stop's own unsubscribe runs on a worker and may land after a quick restart.)
            seen.poisonFails = false;
            StreamingServiceLifecycle lifecycle = ctx.getBean(StreamingServiceLifecycle.class);
            lifecycle.stop();
            lifecycle.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> db.orderNumbers().size() == 3);
            assertThat(db.orderNumbers()).containsExactly("O-1", "POISON", "O-3");
            assertThat(db.marker()).isEqualTo(db.replayIdOf("O-3"));
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        }
    }

    @Test
    void skipPolicyCommitsTheMarkerPastAnEventWhoseWritesRolledBack() throws Exception {
        try (ConfigurableApplicationContext ctx = db.start(emulator, "sfstream.error-policy=skip")) {
            OrderDatabase.Seen seen = ctx.getBean(OrderDatabase.Seen.class);
            publish("POISON", "O-2");
            await().atMost(Duration.ofSeconds(20)).until(() -> db.orderNumbers().contains("O-2"));

            assertThat(seen.attempts).containsExactly("POISON", "POISON", "O-2");
            assertThat(db.orderNumbers()).containsExactly("O-2");
            assertThat(db.marker()).isEqualTo(db.replayIdOf("O-2"));
            assertThat(ctx.getBean(OrderDatabase.App.class).failures).singleElement()
                    .satisfies(f -> assertThat(f.policy()).isEqualTo(ErrorPolicy.SKIP));
        }
    }

    /** Makes every channel start from all retained events, whatever the store holds: everything comes again. */
    @Configuration(proxyBeanMethods = false)
    static class ReplayEverything {
        @Bean
        StreamingClientCustomizer replayEverything() {
            return b -> b.startFrom(ReplayFrom.ALL_EVENTS);
        }
    }

    @Test
    void anEventWhoseMarkerIsCommittedIsNotHandledAgainWhenItComesAgain() throws Exception {
        try (ConfigurableApplicationContext ctx = db.start(emulator)) {
            publish("O-1", "O-2");
            await().atMost(Duration.ofSeconds(20)).until(() -> db.orderNumbers().size() == 2);
        }
        try (ConfigurableApplicationContext ctx = db.start(emulator,
                new Class<?>[] {OrderDatabase.App.class, ReplayEverything.class})) {
            OrderDatabase.Seen seen = ctx.getBean(OrderDatabase.Seen.class);
            MeterRegistry meters = ctx.getBean(MeterRegistry.class);
            publish("O-3");
            await().atMost(Duration.ofSeconds(20)).until(() -> db.orderNumbers().size() == 3);

            // O-1 and O-2 were delivered again (the client started from all events) and skipped: their markers
            // were committed with their rows.
            assertThat(meters.get(SfstreamMetrics.DELIVERED).tag("channel", CHANNEL).counter().count())
                    .isEqualTo(3.0);
            assertThat(seen.attempts).containsExactly("O-3");
            assertThat(db.orderNumbers()).containsExactly("O-1", "O-2", "O-3");
            assertThat(db.marker()).isEqualTo(db.replayIdOf("O-3"));
        }
    }

    /** An event of the orders channel as the Streaming API sends it; replay ID 0: it has none. */
    private static StreamingEvent event(long replayId) {
        ObjectNode message = JsonNodeFactory.instance.objectNode().put("channel", CHANNEL);
        ObjectNode data = message.putObject("data");
        data.putObject("event").put("replayId", replayId).put("createdDate", "2026-11-30T12:00:00.000Z");
        data.putObject("payload").put("Order_Number__c", "O-" + replayId);
        return StreamingEvent.of(message, Instant.now());
    }

    /** The invoker alone, on the database: a client built (not opened) in namespace ns. */
    private void withInvoker(String group, BiConsumer<TransactionalHandlers, StreamingClient> test) throws Exception {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(db.url());
        StreamingClient.Builder b = StreamingClient.builder().replayNamespace("ns")
                .authenticator(StaticTokenAuthenticator.of("https://acme.my.salesforce.com", "00Dxx!AQ"));
        try (JdbcReplayStore store = JdbcReplayStore.builder(dataSource).build();
                StreamingClient client = (group == null ? b : b.exclusive(group)).replayStore(store).build()) {
            test.accept(new TransactionalHandlers(store, dataSource, new JdbcTransactionManager(dataSource)),
                    client);
        }
    }

    @Test
    void aReplicaWithoutItsLeaseCommitsNothingAndDoesNotRunTheHandlers() throws Exception {
        withInvoker("orders", (handlers, standby) -> {
            assertThat(standby.lease()).isEmpty(); // as after losing it while an event was being handled
            AtomicBoolean ran = new AtomicBoolean();
            assertThatThrownBy(() -> handlers.invoke(standby, event(7), () -> ran.set(true)))
                    .isInstanceOf(FencedException.class).hasMessageContaining("lost its lease")
                    .hasMessageContaining(CHANNEL + " #7");
            assertThat(ran).isFalse();
        });
        assertThat(db.marker()).isNull();
    }

    @Test
    void anEventWithoutAReplayIdRunsItsHandlersInATransactionWithoutAMarker() throws Exception {
        withInvoker(null, (handlers, client) -> {
            List<Boolean> inTransaction = new ArrayList<>();
            try {
                handlers.invoke(client, event(0), () -> inTransaction.add(
                        TransactionSynchronizationManager.isActualTransactionActive()));
                handlers.invoke(client, event(8), () -> inTransaction.add(
                        TransactionSynchronizationManager.isActualTransactionActive()));
                handlers.invoke(client, event(8), () -> inTransaction.add(false)); // handled already: skipped
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertThat(inTransaction).containsExactly(true, true);
        });
        assertThat(db.marker()).isEqualTo(8L);
    }

    @Test
    void withoutATransactionManagerTheStartFailsNamingThePropertyAndWhatToDo(CapturedOutput output) {
        assertThatThrownBy(() -> db.start(emulator, "spring.autoconfigure.exclude=org.springframework.boot.jdbc."
                + "autoconfigure.DataSourceTransactionManagerAutoConfiguration")).isInstanceOf(RuntimeException.class);
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
                .contains("sfstream.replay.jdbc.transactional").contains("PlatformTransactionManager")
                .contains("set this property to false");
    }

    @Test
    void withoutTheTablesAndCreateTablesOffTheStartFailsPointingToTheSchema(CapturedOutput output) {
        assertThatThrownBy(() -> db.start(emulator, "sfstream.replay.jdbc.create-tables=false"))
                .isInstanceOf(RuntimeException.class);
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START").contains("sfstream.replay-store")
                .contains("sfstream.replay.jdbc.create-tables=true").contains("JdbcReplayStore.schema()");
    }

    @Test
    void withCreateTablesOffTheStoreOpensAfterTheApplicationsSchemaScriptCreatedThem(@TempDir Path dir)
            throws Exception {
        // The DDL of JdbcReplayStore.schema() in the application's own schema script, as with Flyway or Liquibase:
        // the store must open after the script ran, not before.
        Path script = dir.resolve("schema.sql");
        Files.writeString(script, JdbcReplayStore.schema());
        try (ConfigurableApplicationContext ctx = db.start(emulator, new Class<?>[] {Notes.class},
                "sfstream.replay.jdbc.create-tables=false", "spring.sql.init.mode=always",
                "spring.sql.init.schema-locations=" + script.toUri())) {
            publish("O-1");
            await().atMost(Duration.ofSeconds(20)).until(() -> ctx.getBean(Notes.class).numbers.size() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> db.marker() != null);
        }
    }

    /** An application whose handler uses no database bean: nothing else orders the store after the script. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Notes {
        final List<String> numbers = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Subscribe(CHANNEL)
        void onOrder(String channel, StreamingEvent event) {
            numbers.add(event.platformEvent().orElseThrow().payload().path("Order_Number__c").asText());
        }
    }

    @Test
    void withCreateTablesTheStoreCreatesThemAndTransactionalOffCommitsAfterTheHandlers() throws Exception {
        try (ConfigurableApplicationContext ctx = db.start(emulator, "sfstream.replay.jdbc.transactional=false")) {
            assertThat(db.rows("SELECT count(*) FROM sfstream_lease")).containsExactly("0");
            assertThat(ctx.getBeansOfType(TransactionalHandlers.class)).isEmpty();
            OrderDatabase.Seen seen = ctx.getBean(OrderDatabase.Seen.class);
            publish("O-1");
            await().atMost(Duration.ofSeconds(20)).until(() -> db.orderNumbers().size() == 1);
            // The handler's own @Transactional commits the row; the marker follows in the store's grouped write.
            assertThat(seen.markerInside).containsEntry("O-1", -1L);
            long first = db.replayIdOf("O-1");
            await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(first).equals(db.marker()));
        }
    }
}
