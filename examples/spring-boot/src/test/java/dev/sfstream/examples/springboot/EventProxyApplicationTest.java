package dev.sfstream.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sfstream.emulator.Emulator;
import dev.sfstream.spring.boot.test.AutoConfigureSfstreamEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

/**
 * The service against a local org started inside the test's context: record changes become named application
 * events, and the health and metrics endpoints say so over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "sfstream.replay-store=memory:"})
@AutoConfigureSfstreamEmulator
@Import(EventProxyApplicationTest.Received.class)
class EventProxyApplicationTest {
    /** Receives the proxied events, as any listener of the application would. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Received {
        final List<SalesforceEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(SalesforceEvent event) {
            events.add(event);
        }
    }

    @Autowired
    Emulator emulator;
    @Autowired
    Received received;
    @LocalServerPort
    int port;

    @Test
    void leadAndOpportunityChangesBecomeNamedApplicationEvents() throws Exception {
        String lead = emulator.create("Lead", Map.of("FirstName", "Ada", "LastName", "Lovelace",
                "Company", "Analytical Engines"));
        emulator.update("Lead", lead, Map.of("Status", "Working"));
        emulator.create("Opportunity", Map.of("Name", "Difference Engine", "StageName", "Prospecting",
                "CloseDate", "2027-06-30"));

        await().atMost(Duration.ofSeconds(30)).until(() -> received.events.size() == 3);
        assertThat(received.events).extracting(SalesforceEvent::name).containsExactlyInAnyOrder(
                "salesforce_lead_created", "salesforce_lead_updated", "salesforce_opportunity_created");
        SalesforceEvent created = received.events.stream().filter(e -> e.name().equals("salesforce_lead_created"))
                .findFirst().orElseThrow();
        assertThat(created.recordId()).isEqualTo(lead);
        assertThat(created.record()).containsEntry("LastName", "Lovelace").containsEntry("Company",
                "Analytical Engines");

        String health = get("/actuator/health/sfstream");
        assertThat(health).contains("\"status\":\"UP\"").contains("/topic/");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get("/actuator/metrics/sfstream.events.delivered")).contains("\"value\":3.0"));
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
