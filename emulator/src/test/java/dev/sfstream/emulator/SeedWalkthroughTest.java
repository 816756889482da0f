package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole Streaming API exchange by hand, with the JDK HttpClient: a token, a PushTopic created over REST,
 * handshake, first connect, subscribe, a Lead created over REST, and its notification on the next connect.
 */
class SeedWalkthroughTest {
    static Emulator emulator;

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().longPollTimeout(Duration.ofSeconds(5)).quiet(true).build().start();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void walksThroughTokenPushTopicHandshakeConnectSubscribeAndNotification() {
        RawHttp raw = new RawHttp(emulator.url());

        JsonNode token = raw.login();
        assertThat(token.path("access_token").asText()).startsWith(emulator.orgId().substring(0, 15) + "!");
        assertThat(token.path("instance_url").asText()).isEqualTo(emulator.url());
        assertThat(token.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(token.path("id").asText()).isEqualTo(emulator.url() + "/id/" + emulator.orgId() + "/"
                + emulator.userId(Emulator.DEFAULT_USERNAME));
        assertThat(token.path("issued_at").asText()).matches("\\d{13}");
        assertThat(token.path("signature").asText()).isNotEmpty();

        JsonNode created = raw.rest("POST", "/services/data/v39.0/sobjects/PushTopic", Map.of(
                "Name", "LeadCreation",
                "Query", "SELECT Id, FirstName, LastName, Company FROM Lead",
                "ApiVersion", 39.0,
                "NotifyForOperationCreate", true));
        assertThat(created.path("status").asInt()).isEqualTo(201);
        assertThat(created.path("body").path("id").asText()).startsWith("0IF").hasSize(18);
        assertThat(created.path("body").path("success").asBoolean()).isTrue();

        JsonNode handshake = raw.handshake();
        assertThat(handshake.path("successful").asBoolean()).isTrue();
        assertThat(handshake.path("channel").asText()).isEqualTo("/meta/handshake");
        assertThat(handshake.path("version").asText()).isEqualTo("1.0");
        assertThat(handshake.path("minimumVersion").asText()).isEqualTo("1.0");
        assertThat(handshake.path("supportedConnectionTypes")).hasSize(1);
        assertThat(handshake.path("supportedConnectionTypes").get(0).asText()).isEqualTo("long-polling");
        assertThat(handshake.path("ext").path("replay").asBoolean()).isTrue();
        assertThat(handshake.path("ext").path("payload.format").asBoolean()).isTrue();
        assertThat(handshake.has("advice")).isFalse();
        assertThat(raw.clientId).matches("[0-9a-z]{20,40}");

        ArrayNode first = raw.connect();
        JsonNode connectReply = first.get(first.size() - 1);
        assertThat(connectReply.path("successful").asBoolean()).isTrue();
        assertThat(connectReply.path("advice").path("interval").asLong()).isZero();
        assertThat(connectReply.path("advice").path("timeout").asLong()).isEqualTo(5000);
        assertThat(connectReply.path("advice").path("reconnect").asText()).isEqualTo("retry");

        JsonNode subscribed = raw.subscribe("/topic/LeadCreation", null);
        assertThat(subscribed.path("successful").asBoolean()).as(subscribed.toString()).isTrue();
        assertThat(subscribed.path("subscription").asText()).isEqualTo("/topic/LeadCreation");
        assertThat(subscribed.path("clientId").asText()).isEqualTo(raw.clientId);

        JsonNode lead = raw.rest("POST", "/services/data/v39.0/sobjects/Lead", Map.of(
                "LastName", "Your", "Company", "Master"));
        assertThat(lead.path("status").asInt()).isEqualTo(201);
        String leadId = lead.path("body").path("id").asText();
        assertThat(leadId).startsWith("00Q");

        ArrayNode messages = raw.connect();
        JsonNode notification = messages.get(0);
        assertThat(notification.path("channel").asText()).isEqualTo("/topic/LeadCreation");
        JsonNode event = notification.path("data").path("event");
        assertThat(event.path("type").asText()).isEqualTo("created");
        assertThat(event.path("replayId").asLong()).isPositive();
        assertThat(event.path("createdDate").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        JsonNode sobject = notification.path("data").path("sobject");
        assertThat(sobject.fieldNames()).toIterable().containsExactly("Id", "FirstName", "LastName", "Company");
        assertThat(sobject.path("Id").asText()).isEqualTo(leadId);
        assertThat(sobject.path("FirstName").isNull()).isTrue();
        assertThat(sobject.path("LastName").asText()).isEqualTo("Your");
        assertThat(sobject.path("Company").asText()).isEqualTo("Master");
        JsonNode connectAfter = messages.get(messages.size() - 1);
        assertThat(connectAfter.path("channel").asText()).isEqualTo("/meta/connect");
        assertThat(connectAfter.path("successful").asBoolean()).isTrue();
    }
}
