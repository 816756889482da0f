package dev.sfstream.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.StreamingEvent;
import dev.sfstream.StreamingObserver;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.service.HandleSObjectNotification;
import dev.sfstream.service.Subscribe;
import dev.sfstream.spring.boot.test.AutoConfigureSfstreamEmulator;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * An application with handler beans, one of them {@code @Transactional}, against the emulator started as a
 * development service: record changes reach the handlers over HTTP, the transactional one runs inside its
 * transaction (so through its proxy), and the meters count what was delivered.
 */
@SpringBootTest(classes = HandlerBeansTest.App.class, properties = "sfstream.retry-backoff=10ms")
@AutoConfigureSfstreamEmulator
class HandlerBeansTest {
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableTransactionManagement(proxyTargetClass = true)
    @Import({EventProxy.class, Ledger.class})
    static class App {
        @Bean
        RecordingTransactionManager transactionManager() {
            return new RecordingTransactionManager();
        }

        @Bean
        DeliveredCount deliveredCount() {
            return new DeliveredCount();
        }
    }

    /** nameko-salesforce's event proxy: Lead and Opportunity changes as named events. */
    @Component
    static class EventProxy {
        final List<String> dispatched = new CopyOnWriteArrayList<>();

        @HandleSObjectNotification(sobjectType = "Lead")
        @HandleSObjectNotification(sobjectType = "Opportunity")
        void onChange(String sobjectType, String recordType, JsonNode notification) {
            dispatched.add("salesforce_" + sobjectType.toLowerCase(Locale.ROOT) + "_"
                    + notification.path("event").path("type").asText());
        }
    }

    /** A handler whose work is transactional: the service must call it through its proxy. */
    @Component
    static class Ledger {
        private final List<String> entries = new CopyOnWriteArrayList<>();

        /** Through a method: the proxy's own fields are empty. */
        List<String> entries() {
            return entries;
        }

        @Subscribe("/event/Invoice_Paid__e")
        @Transactional
        void onInvoice(String channel, StreamingEvent event) {
            String number = event.platformEvent().orElseThrow().payload().path("Invoice__c").asText();
            entries.add(number + (TransactionSynchronizationManager.isActualTransactionActive() ? " in a transaction"
                    : " outside any transaction"));
        }
    }

    /** A transaction manager with no resource: it counts commits. */
    static class RecordingTransactionManager extends AbstractPlatformTransactionManager {
        private static final long serialVersionUID = 1L;
        final AtomicInteger commits = new AtomicInteger();

        @Override
        protected Object doGetTransaction() {
            return new Object();
        }

        @Override
        protected void doBegin(Object transaction, TransactionDefinition definition) {
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            commits.incrementAndGet();
        }

        @Override
        protected void doRollback(DefaultTransactionStatus status) {
        }
    }

    /** An observer of the application's own, told as the metrics are. */
    static class DeliveredCount implements StreamingObserver {
        final AtomicInteger delivered = new AtomicInteger();

        @Override
        public void delivered(StreamingEvent event) {
            delivered.incrementAndGet();
        }
    }

    @Autowired
    Emulator emulator;
    @Autowired
    EventProxy proxy;
    @Autowired
    Ledger ledger;
    @Autowired
    RecordingTransactionManager transactions;
    @Autowired
    DeliveredCount deliveredCount;
    @Autowired
    MeterRegistry meters;
    @Autowired
    StreamingServiceLifecycle lifecycle;

    @Test
    void recordChangesReachTheHandlerBeansAndAreCounted() {
        assertThat(lifecycle.isRunning()).isTrue();
        String lead = emulator.create("Lead", Map.of("LastName", "Doe", "Company", "Acme"));
        emulator.create("Opportunity", Map.of("Name", "Big", "StageName", "New", "CloseDate", "2027-01-01"));
        emulator.update("Lead", lead, Map.of("Company", "Acme Labs"));
        await().atMost(Duration.ofSeconds(20)).until(() -> proxy.dispatched.size() == 3);
        assertThat(proxy.dispatched).containsExactlyInAnyOrder("salesforce_lead_created",
                "salesforce_opportunity_created", "salesforce_lead_updated");

        String leadChannel = lifecycle.service().orElseThrow().channels().stream()
                .filter(c -> c.contains("Lead")).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(meters.get(SfstreamMetrics.DELIVERED).tag("channel", leadChannel).counter().count())
                    .isEqualTo(2.0);
            assertThat(meters.get(SfstreamMetrics.COMMITTED).tag("channel", leadChannel).counter().count())
                    .isEqualTo(2.0);
            assertThat(meters.get(SfstreamMetrics.HANDLER).tag("channel", leadChannel).tag("outcome", "success")
                    .timer().count()).isEqualTo(2);
        });
        assertThat(meters.get(SfstreamMetrics.RECEIVED).tag("channel", leadChannel).counter().count()).isEqualTo(2.0);
        assertThat(meters.get(SfstreamMetrics.LAG).tag("channel", leadChannel).gauge().value())
                .isGreaterThanOrEqualTo(0.0).isLessThan(60.0);
        assertThat(deliveredCount.delivered.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aTransactionalHandlerIsCalledThroughItsProxy() {
        assertThat(AopUtils.isCglibProxy(ledger)).isTrue();
        int before = transactions.commits.get();
        emulator.publishEvent("Invoice_Paid__e", Map.of("Invoice__c", "INV-7"));
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.entries().size() == 1);
        assertThat(ledger.entries()).containsExactly("INV-7 in a transaction");
        assertThat(transactions.commits.get()).isEqualTo(before + 1);
    }
}
