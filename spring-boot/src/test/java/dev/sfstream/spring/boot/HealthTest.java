package dev.sfstream.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sfstream.emulator.Emulator;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The health contributor against an emulator over HTTP: UP while consuming; DOWN with the client's reason once
 * Salesforce revoked credentials that cannot be renewed (the refresh token the application logs in with is revoked,
 * as when an admin revokes the connected app's access); no secret in the health, the logs or the error.
 */
@ExtendWith(OutputCaptureExtension.class)
class HealthTest {
    Emulator emulator;

    @BeforeEach
    void startOrg() {
        emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(5)).build().start();
    }

    @AfterEach
    void stopOrg() {
        emulator.close();
    }

    @Test
    void downWithTheReasonOnceTheClientGaveUpOnCredentialsThatCannotBeRenewed(CapturedOutput output)
            throws Exception {
        String refreshToken = emulator.issueRefreshToken(Emulator.DEFAULT_USERNAME, Emulator.DEFAULT_CLIENT_ID);
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(OrderApp.class)
                .web(WebApplicationType.NONE)
                .run("--sfstream.login-url=" + emulator.url(), "--sfstream.client-id=" + Emulator.DEFAULT_CLIENT_ID,
                        "--sfstream.client-secret=" + Emulator.DEFAULT_CLIENT_SECRET,
                        "--sfstream.refresh-token=" + refreshToken, "--sfstream.connection-timeout=20s")) {
            SfstreamHealthIndicator indicator = ctx.getBean(SfstreamHealthIndicator.class);
            OrderApp.Orders orders = ctx.getBean(OrderApp.Orders.class);
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-1"));
            await().atMost(Duration.ofSeconds(20)).until(() -> orders.seen.size() == 1);
            Health up = indicator.health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("state", "CONNECTED")
                    .containsEntry("channels", List.of("/event/Order_Placed__e"));
            assertThat(String.valueOf(up.getDetails().get("lastEvents"))).contains("/event/Order_Placed__e=");

            revoke(refreshToken);          // the application's grant is gone: renewing the token cannot work
            emulator.revokeTokens();       // and the access token in use is refused at once

            await().atMost(Duration.ofSeconds(30)).until(() -> indicator.health().getStatus().equals(Status.DOWN));
            Health down = indicator.health();
            assertThat(down.getDetails()).containsEntry("state", "CLOSED");
            assertThat(String.valueOf(down.getDetails().get("error"))).isNotBlank();
            assertThat(down.toString()).doesNotContain(refreshToken, Emulator.DEFAULT_CLIENT_SECRET);
            assertThat(ctx.getBean(MeterRegistry.class).get(SfstreamMetrics.RECONNECTS).counter().count())
                    .isGreaterThanOrEqualTo(1.0);
        }
        assertThat(output.getAll()).doesNotContain(refreshToken, Emulator.DEFAULT_CLIENT_SECRET);
    }

    /** Revokes a token as Salesforce's OAuth revoke endpoint does. */
    private void revoke(String token) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(emulator.url() + "/services/oauth2/revoke"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }
}
