package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code /emulator/...} endpoints themselves (status, refused calls) and the org-wide allocations: the daily
 * delivery limit on {@code /meta/connect} ({@code 403::Organization total events daily limit exceeded}). The
 * faults' effect on clients is in
 * {@link SessionFaultsTest}.
 */
class FaultEndpointsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    Emulator emulator;
    RawHttp raw;

    @BeforeEach
    void start() {
        startWith(Emulator.builder());
    }

    private void startWith(Emulator.Builder builder) {
        if (emulator != null) {
            emulator.close();
        }
        emulator = FastOrg.fast(builder).build().start();
        raw = new RawHttp(emulator.url());
        raw.login();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private JsonNode status() {
        HttpResponse<String> r = raw.get("/emulator/status", null);
        assertThat(r.statusCode()).isEqualTo(200);
        return RawHttp.parse(r.body());
    }

    @Test
    void statusListsClientsSubscriptionsAndChannels() {
        emulator.create("PushTopic", Map.of("Name", "Leads", "ApiVersion", 64.0,
                "Query", "SELECT Id, LastName FROM Lead"));
        raw.connected();
        raw.subscribeFrom("/topic/Leads", -1);
        emulator.create("Lead", Map.of("LastName", "Doe", "Company", "Acme"));
        raw.receive(1, WAIT);

        JsonNode status = status();

        assertThat(status.path("clients").asInt()).isEqualTo(1);
        assertThat(status.path("subscriptions")).hasSize(1);
        assertThat(status.path("subscriptions").get(0).path("clientId").asText()).isEqualTo(raw.clientId);
        assertThat(status.path("subscriptions").get(0).path("channel").asText()).isEqualTo("/topic/Leads");
        JsonNode leads = status.path("channels").path("/topic/Leads");
        assertThat(leads.path("lastReplayId").asLong()).isPositive();
        assertThat(leads.path("retained").asInt()).isEqualTo(1);
        assertThat(leads.path("subscribers").asInt()).isEqualTo(1);
        assertThat(status.path("deliveries").asLong()).isEqualTo(1);
        assertThat(status.path("time").asText()).endsWith("Z");
        assertThat(emulator.status().get("clients")).isEqualTo(1);
    }

    @Test
    void statusCountsTheConnectsTheServerHolds() throws Exception {
        raw.connected();
        assertThat(status().path("heldConnects").asInt()).isZero();

        CompletableFuture<HttpResponse<String>> held = raw.connectAsync();
        await().atMost(WAIT).until(() -> status().path("heldConnects").asInt() == 1);
        held.get(WAIT.toSeconds(), TimeUnit.SECONDS); // the 2 s long-poll timeout answers it

        assertThat(status().path("heldConnects").asInt()).isZero();
    }

    @Test
    void faultEndpointsRefuseWrongMethodsUnknownPathsAndBadParameters() {
        HttpResponse<String> get = raw.get("/emulator/revoke-tokens", null);
        HttpResponse<String> unknown = raw.post("/emulator/explode", "application/json", "", null);
        HttpResponse<String> badSeconds = raw.post("/emulator/busy?seconds=-1", "application/json", "", null);
        HttpResponse<String> noHours = raw.post("/emulator/advance-clock", "application/json", "", null);
        HttpResponse<String> noUser = raw.post("/emulator/refresh-token?username=nobody@example.com&client_id="
                + Emulator.DEFAULT_CLIENT_ID, "application/json", "", null);

        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(badSeconds.statusCode()).isEqualTo(400);
        assertThat(RawHttp.parse(badSeconds.body()).get(0).path("message").asText()).contains("seconds");
        assertThat(noHours.statusCode()).isEqualTo(400);
        assertThat(RawHttp.parse(noHours.body()).get(0).path("message").asText()).contains("hours");
        assertThat(noUser.statusCode()).isEqualTo(400);
        assertThat(emulator.status().get("clients")).isEqualTo(0);
    }

    @Test
    void builderRefusesSettingsThatCannotWorkNamingTheSetting() {
        assertThatThrownBy(() -> Emulator.builder().longPollTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longPollTimeout");
        assertThatThrownBy(() -> Emulator.builder().concurrentClientLimit(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concurrentClientLimit");
        assertThatThrownBy(() -> Emulator.builder().port(70_000).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> emulator.publishEvent("Order_Placed", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("__e");
    }

    @Test
    void connectAfterTheDailyDeliveryLimitIsRefusedButLaterEventsAreStillRetained() {
        startWith(Emulator.builder().dailyDeliveryLimit(2));
        raw.connected();
        raw.subscribeFrom("/event/Order_Placed__e", -1);
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-1"));
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-2"));
        List<JsonNode> today = raw.receive(2, WAIT);
        long secondId = today.get(1).path("data").path("event").path("replayId").asLong();
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-3"));

        JsonNode connect = RawHttp.metaReply(raw.connect(), "/meta/connect");

        assertThat(connect.path("successful").asBoolean()).isFalse();
        assertThat(connect.path("error").asText()).isEqualTo("403::Organization total events daily limit exceeded");
        assertThat(RawHttp.data(raw.connect())).as("nothing over the allocation goes out").isEmpty();
        JsonNode limits = raw.rest("GET", "/services/data/v64.0/limits", null).path("body");
        assertThat(limits.path("DailyStreamingApiEvents"))
                .isEqualTo(RawHttp.parse("{\"Max\":2,\"Remaining\":0}"));

        emulator.advanceClock(Duration.ofHours(25));
        RawHttp nextDay = new RawHttp(emulator.url());
        nextDay.login();
        nextDay.connected();
        nextDay.subscribeFrom("/event/Order_Placed__e", secondId);
        assertThat(nextDay.receive(1, WAIT)).extracting(m -> m.path("data").path("payload")
                .path("Order_Number__c").asText()).containsExactly("O-3");
    }
}
