package dev.sfstream.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayStore;
import dev.sfstream.service.HandleSObjectNotification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

/**
 * Shutdown of an application against an emulator over HTTP, with a file replay store: the context's close stops
 * fetching, waits for the handler still at work, commits its event and disconnects; the next start resumes after
 * it.
 */
class GracefulShutdownTest {
    @TempDir
    Path dir;
    Emulator emulator;

    @BeforeEach
    void startOrg() {
        emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(5)).build().start();
    }

    @AfterEach
    void stopOrg() {
        emulator.close();
    }

    /** What the handler saw and where it is, shared with the test. */
    static final class Leads {
        final List<String> handled = new CopyOnWriteArrayList<>();
        final List<Long> replayIds = new CopyOnWriteArrayList<>();
        final CountDownLatch slowEntered = new CountDownLatch(1);
        final CountDownLatch slowRelease = new CountDownLatch(1);
    }

    @Component
    static class LeadHandler {
        private final Leads leads;

        LeadHandler(Leads leads) {
            this.leads = leads;
        }

        @HandleSObjectNotification(sobjectType = "Lead", fields = "LastName")
        void onLead(String sobjectType, String recordType, JsonNode notification) throws InterruptedException {
            String name = notification.path("sobject").path("LastName").asText();
            if (name.equals("Slow")) {
                leads.slowEntered.countDown();
                leads.slowRelease.await(20, TimeUnit.SECONDS);
            }
            leads.handled.add(name);
            leads.replayIds.add(notification.path("event").path("replayId").asLong());
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(LeadHandler.class)
    static class App {
    }

    private ConfigurableApplicationContext start(Leads leads) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("leads", leads))
                .run("--sfstream.login-url=" + emulator.url(),
                        "--sfstream.client-id=" + Emulator.DEFAULT_CLIENT_ID,
                        "--sfstream.client-secret=" + Emulator.DEFAULT_CLIENT_SECRET,
                        "--sfstream.username=" + Emulator.DEFAULT_USERNAME,
                        "--sfstream.password=" + Emulator.DEFAULT_PASSWORD,
                        "--sfstream.replay-store=file:" + dir.resolve("replay.json"),
                        "--sfstream.replay-namespace=leads-app",
                        "--sfstream.replay-from=all",
                        "--sfstream.shutdown-timeout=15s");
    }

    @Test
    void shutdownLetsTheRunningHandlerFinishCommitsItAndTheNextStartResumesAfterIt() throws Exception {
        Leads leads = new Leads();
        ConfigurableApplicationContext ctx = start(leads);
        String channel = ctx.getBean(StreamingServiceLifecycle.class).service().orElseThrow().channels().iterator()
                .next();
        emulator.create("Lead", Map.of("LastName", "Quick", "Company", "Acme"));
        emulator.create("Lead", Map.of("LastName", "Slow", "Company", "Acme"));
        assertThat(leads.slowEntered.await(20, TimeUnit.SECONDS)).isTrue();

        Thread closer = new Thread(ctx::close, "test-close");
        closer.start();
        // The lifecycle is told to stop at once; the close then waits for the handler.
        await().atMost(Duration.ofSeconds(10)).until(() -> !ctx.getBean(StreamingServiceLifecycle.class).isRunning());
        assertThat(closer.isAlive()).isTrue();
        leads.slowRelease.countDown();
        closer.join(20_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(leads.handled).containsExactly("Quick", "Slow");

        try (ReplayStore store = ReplayStore.file(dir.resolve("replay.json"))) {
            Optional<ReplayMarker> marker = store.get("leads-app", channel);
            assertThat(marker).map(ReplayMarker::replayId).contains(leads.replayIds.get(1));
        }

        emulator.create("Lead", Map.of("LastName", "After", "Company", "Acme"));
        Leads again = new Leads();
        try (ConfigurableApplicationContext second = start(again)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> again.handled.contains("After"));
            assertThat(again.handled).containsExactly("After"); // replay-from=all, yet nothing committed comes again
        }
    }
}
