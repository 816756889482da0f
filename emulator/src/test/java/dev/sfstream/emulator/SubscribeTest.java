package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Subscribe, unsubscribe and disconnect, and the subscribe refusals with the texts of Salesforce's "Streaming API
 * Error Codes": channels that do not exist, malformed subscriptions, filters on fields the topic does not name, and
 * replay maps that lack the channel or name a replay ID that is not retained.
 */
class SubscribeTest {
    static Emulator emulator;
    RawHttp raw;

    @BeforeAll
    static void start() {
        emulator = FastOrg.fast().concurrentClientLimit(100).build().start();
        emulator.create("PushTopic", Map.of("Name", "Accounts", "ApiVersion", 64.0,
                "Query", "SELECT Id, Name, Industry FROM Account WHERE Industry != null"));
        emulator.create("PushTopic", Map.of("Name", "Retired", "ApiVersion", 64.0, "IsActive", false,
                "Query", "SELECT Id, Name FROM Account"));
        emulator.create("Account", Map.of("Name", "Acme", "Industry", "Energy"));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void connect() {
        raw = new RawHttp(emulator.url());
        raw.login();
        raw.connected();
    }

    @AfterEach
    void disconnect() {
        raw.disconnect();
    }

    private static void assertRefused(JsonNode reply, String subscription, String error) {
        assertThat(reply.path("channel").asText()).isEqualTo("/meta/subscribe");
        assertThat(reply.path("successful").asBoolean()).isFalse();
        assertThat(reply.path("subscription").asText()).isEqualTo(subscription);
        assertThat(reply.path("error").asText()).isEqualTo(error);
    }

    private void assertNoSuchChannel(String channel) {
        assertRefused(raw.subscribe(channel, null), channel,
                "400::The channel you requested to subscribe to doesn't exist {" + channel + "}");
    }

    @Test
    void subscribingToATopicThatDoesNotExistIsRefused() {
        JsonNode reply = raw.subscribe("/topic/Nope", null);
        assertRefused(reply, "/topic/Nope",
                "400::The channel you requested to subscribe to doesn't exist {/topic/Nope}");
        assertThat(reply.path("clientId").asText()).isEqualTo(raw.clientId);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/topic/accounts", "/topic/Retired", "/u/Nope", "/event/NotAnEvent",
            "/event/__e", "/data/NopeChangeEvent", "/data/UserChangeEvent", "/chat/room"})
    void subscribingToAChannelTheOrgDoesNotHaveIsRefused(String channel) {
        assertNoSuchChannel(channel);
    }

    @Test
    void subscriptionWithoutALeadingSlashIsRefused() {
        assertRefused(raw.subscribe("topic/Accounts", null), "topic/Accounts",
                "400::Channel subscriptions must start with a leading '/'");
    }

    @Test
    void subscriptionWithAnEmptyChannelIsRefused() {
        JsonNode reply = raw.subscribe("", null);
        assertThat(reply.path("successful").asBoolean()).isFalse();
        assertThat(reply.path("error").asText()).isEqualTo("400::Channel name not specified");
    }

    @Test
    void replayMapWithoutTheChannelIsRefusedWithTheWasntFoundText() {
        assertRefused(raw.subscribe("/topic/Accounts", Map.of()), "/topic/Accounts",
                "400::The replayId for channel {/topic/Accounts} wasn't found using the provided replay ID map {{}}. "
                        + "Ensure that the channel name you provided in the replay map is valid and matches the "
                        + "channel name used for subscribing.");
    }

    @Test
    void replayMapKeyedByTheFilteredChannelIsRefusedWithTheWasntFoundText() {
        String filtered = "/topic/Accounts?Industry='Energy'";
        JsonNode reply = raw.subscribe(filtered, Map.of(filtered, -2));
        assertThat(reply.path("successful").asBoolean()).isFalse();
        assertThat(reply.path("subscription").asText()).isEqualTo(filtered);
        assertThat(reply.path("error").asText())
                .startsWith("400::The replayId for channel {/topic/Accounts} wasn't found using the provided "
                        + "replay ID map {");
    }

    @Test
    void replayIdThatWasNeverIssuedIsRefusedWithTheInvalidReplayIdText() {
        assertRefused(raw.subscribeFrom("/topic/Accounts", 1_553_783), "/topic/Accounts",
                "400::The replayId {1553783} you provided was invalid.  Please provide a valid ID, -2 to replay all "
                        + "events, or -1 to replay only new events.");
    }

    @Test
    void replayIdThatIsNotANumberIsRefusedWithTheInvalidReplayIdText() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("/topic/Accounts", "latest");
        assertRefused(raw.subscribe("/topic/Accounts", map), "/topic/Accounts",
                "400::The replayId {latest} you provided was invalid.  Please provide a valid ID, -2 to replay all "
                        + "events, or -1 to replay only new events.");
    }

    @Test
    void filterOnAFieldTheTopicDoesNotNameIsRefused() {
        String filtered = "/topic/Accounts?Phone='555'";
        assertRefused(raw.subscribe(filtered, null), filtered,
                "400::Query fields {Phone} do not exist on the topic entity");
    }

    @Test
    void filterOnFieldsTheTopicNamesIsAccepted() {
        String filtered = "/topic/Accounts?Industry='Energy'&Name='Acme'";
        JsonNode reply = raw.subscribe(filtered, null);
        assertThat(reply.path("successful").asBoolean()).as(reply.toString()).isTrue();
        assertThat(reply.path("subscription").asText()).isEqualTo(filtered);
    }

    @Test
    void bulkSubscribeInOnePostAnswersEverySubscription() {
        emulator.create("StreamingChannel", Map.of("Name", "/u/Bulk"));
        ArrayNode replies = raw.bayeux(List.of(raw.subscribeMessage("/topic/Accounts", Map.of("/topic/Accounts", -1)),
                raw.subscribeMessage("/u/Bulk", null), raw.subscribeMessage("/topic/Nope", null)));

        assertThat(replies).hasSize(3);
        assertThat(replies).extracting(r -> r.path("subscription").asText())
                .containsExactly("/topic/Accounts", "/u/Bulk", "/topic/Nope");
        assertThat(replies).extracting(r -> r.path("successful").asBoolean()).containsExactly(true, true, false);
    }

    @Test
    void unsubscribedChannelDeliversNothingMore() {
        emulator.create("PushTopic", Map.of("Name", "Contacts", "ApiVersion", 64.0,
                "Query", "SELECT Id, LastName FROM Contact"));
        String filtered = "/topic/Accounts?Industry='Energy'";
        assertThat(raw.subscribeFrom(filtered, -1).path("successful").asBoolean()).isTrue();
        assertThat(raw.subscribeFrom("/topic/Contacts", -1).path("successful").asBoolean()).isTrue();

        ObjectNode unsubscribe = RawHttp.JSON.createObjectNode().put("channel", "/meta/unsubscribe")
                .put("clientId", raw.clientId).put("subscription", filtered);
        JsonNode reply = RawHttp.metaReply(raw.bayeux(List.of(unsubscribe)), "/meta/unsubscribe");
        assertThat(reply.path("successful").asBoolean()).isTrue();
        assertThat(reply.path("subscription").asText()).isEqualTo(filtered);
        assertThat(reply.path("clientId").asText()).isEqualTo(raw.clientId);

        emulator.create("Account", Map.of("Name", "Initech", "Industry", "Energy"));
        emulator.create("Contact", Map.of("LastName", "Marker"));
        List<JsonNode> received = raw.receiveUntil(r -> !r.isEmpty(), Duration.ofSeconds(10));
        assertThat(received).extracting(m -> m.path("channel").asText()).containsExactly("/topic/Contacts");
    }

    @Test
    void renamingATopicKeepsLiveSubscriptionsWhileNewSubscribersUseTheNewName() {
        String id = emulator.create("PushTopic", Map.of("Name", "BeforeRename", "ApiVersion", 64.0,
                "Query", "SELECT Id, LastName FROM Contact"));
        assertThat(raw.subscribeFrom("/topic/BeforeRename", -1).path("successful").asBoolean()).isTrue();

        JsonNode renamed = raw.rest("PATCH", "/services/data/v64.0/sobjects/PushTopic/" + id,
                Map.of("Name", "AfterRename"));
        assertThat(renamed.path("status").asInt()).isEqualTo(204);
        RawHttp newcomer = new RawHttp(emulator.url());
        newcomer.token = raw.token;
        newcomer.connected();
        assertThat(newcomer.subscribeFrom("/topic/BeforeRename", -1).path("error").asText())
                .isEqualTo("400::The channel you requested to subscribe to doesn't exist {/topic/BeforeRename}");
        assertThat(newcomer.subscribeFrom("/topic/AfterRename", -1).path("successful").asBoolean()).isTrue();

        emulator.create("Contact", Map.of("LastName", "Doe"));

        assertThat(raw.receive(1, Duration.ofSeconds(10))).extracting(m -> m.path("channel").asText())
                .containsExactly("/topic/BeforeRename");
        assertThat(newcomer.receive(1, Duration.ofSeconds(10))).extracting(m -> m.path("channel").asText())
                .containsExactly("/topic/AfterRename");
        newcomer.disconnect();
    }

    @Test
    void deactivatedTopicNotifiesNobody() {
        String id = emulator.create("PushTopic", Map.of("Name", "Deactivated", "ApiVersion", 64.0,
                "Query", "SELECT Id, Name FROM Account"));
        assertThat(raw.subscribeFrom("/topic/Deactivated", -1).path("successful").asBoolean()).isTrue();
        assertThat(raw.subscribeFrom("/topic/Accounts", -1).path("successful").asBoolean()).isTrue();

        emulator.update("PushTopic", id, Map.of("IsActive", false));
        emulator.create("Account", Map.of("Name", "Initech", "Industry", "Energy"));

        List<JsonNode> received = raw.receiveUntil(r -> !r.isEmpty(), Duration.ofSeconds(10));
        assertThat(received).extracting(m -> m.path("channel").asText()).containsExactly("/topic/Accounts");
    }

    @Test
    void disconnectEndsTheSession() {
        JsonNode reply = raw.disconnect();
        assertThat(reply.path("successful").asBoolean()).isTrue();
        assertThat(reply.path("clientId").asText()).isEqualTo(raw.clientId);

        JsonNode connect = RawHttp.metaReply(raw.connect(), "/meta/connect");
        assertThat(connect.path("error").asText()).isEqualTo("403::Unknown client");
        raw.connected(); // so that the disconnect after the test has a client to end
    }

    @Test
    void subscribeWithAnUnknownClientIdGetsUnknownClient() {
        raw.clientId = "nosuchclient0000000000000";
        JsonNode reply = raw.subscribe("/topic/Accounts", null);
        assertThat(reply.path("successful").asBoolean()).isFalse();
        assertThat(reply.path("error").asText()).isEqualTo("403::Unknown client");
        raw.connected(); // so that the disconnect after the test has a client to end
    }
}
