package dev.sfstream.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.spring.boot.test.AutoConfigureSfstreamEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A web application's Actuator endpoints read over HTTP: {@code /actuator/health/sfstream} and
 * {@code /actuator/metrics/sfstream.events.delivered}; and, with every value shown, {@code /actuator/env} and
 * {@code /actuator/configprops} show none of sfstream's secrets.
 */
@SpringBootTest(classes = OrderApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1",
            "management.endpoints.web.exposure.include=health,metrics,env,configprops",
            "management.endpoint.health.show-details=always", "management.endpoint.env.show-values=always",
            "management.endpoint.configprops.show-values=always",
            // Unused while the emulator is the org; set to check that they are never shown.
            "sfstream.client-id=decoy-app", "sfstream.client-secret=decoy-secret-1618",
            "sfstream.password=decoy-password-1414", "sfstream.refresh-token=decoy-refresh-1732",
            "sfstream.access-token=decoy-access-2236", "sfstream.security-token=decoy-token-2645"})
@AutoConfigureSfstreamEmulator
@ExtendWith(OutputCaptureExtension.class)
class ActuatorEndpointsTest {
    static final List<String> SECRETS = List.of("decoy-secret-1618", "decoy-password-1414", "decoy-refresh-1732",
            "decoy-access-2236", "decoy-token-2645", Emulator.DEFAULT_CLIENT_SECRET);

    @LocalServerPort
    int port;
    @Autowired
    Emulator emulator;
    @Autowired
    OrderApp.Orders orders;

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndMetricsOverHttp() throws Exception {
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-1"));
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-2"));
        await().atMost(Duration.ofSeconds(20)).until(() -> orders.seen.size() == 2);

        HttpResponse<String> health = get("/actuator/health/sfstream");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode h = json.readTree(health.body());
        assertThat(h.path("status").asText()).isEqualTo("UP");
        assertThat(h.path("details").path("state").asText()).isEqualTo("CONNECTED");
        assertThat(h.path("details").path("channels").get(0).asText()).isEqualTo("/event/Order_Placed__e");
        assertThat(h.path("details").path("lastEvents").has("/event/Order_Placed__e")).isTrue();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> delivered = get("/actuator/metrics/sfstream.events.delivered?tag=channel:"
                    + "/event/Order_Placed__e");
            assertThat(delivered.statusCode()).isEqualTo(200);
            JsonNode m = json.readTree(delivered.body());
            assertThat(m.path("measurements").get(0).path("statistic").asText()).isEqualTo("COUNT");
            assertThat(m.path("measurements").get(0).path("value").asDouble()).isEqualTo(2.0);
        });
        JsonNode handler = json.readTree(get("/actuator/metrics/sfstream.handler").body());
        assertThat(handler.path("availableTags").toString()).contains("outcome", "success", "channel");
        JsonNode lag = json.readTree(get("/actuator/metrics/sfstream.lag").body());
        assertThat(lag.path("baseUnit").asText()).isEqualTo("seconds");
    }

    @Test
    void noSecretInEnvConfigpropsOrTheLogs(CapturedOutput output) throws Exception {
        HttpResponse<String> env = get("/actuator/env");
        HttpResponse<String> configprops = get("/actuator/configprops");
        assertThat(env.statusCode()).isEqualTo(200);
        assertThat(configprops.statusCode()).isEqualTo(200);
        assertThat(env.body()).contains("sfstream.client-secret").contains("decoy-app");
        assertThat(configprops.body()).contains("clientSecret").contains("decoy-app");
        for (String secret : SECRETS) {
            assertThat(env.body()).doesNotContain(secret);
            assertThat(configprops.body()).doesNotContain(secret);
            assertThat(output.getAll()).doesNotContain(secret);
        }
    }
}
