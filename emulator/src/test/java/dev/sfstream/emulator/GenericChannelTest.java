package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Generic streaming: the StreamingChannel push resource ({@code /sobjects/StreamingChannel/<Id>/push}, GET and POST,
 * as Salesforce's "Streaming Channel Push REST API" reference describes it) and delivery to chosen users.
 */
class GenericChannelTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ANN = "ann@example.com";
    private static final String BOB = "bob@example.com";

    Emulator emulator;
    RawHttp ann;
    RawHttp bob;
    String channelId;

    @BeforeEach
    void start() {
        emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(2))
                .user(EmulatorUser.of(ANN, "pw")).user(EmulatorUser.of(BOB, "pw")).build().start();
        ann = new RawHttp(emulator.url());
        ann.login(ANN, "pw");
        bob = new RawHttp(emulator.url());
        bob.login(BOB, "pw");
        channelId = ann.create("StreamingChannel", Map.of("Name", "/u/Alerts"));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private JsonNode push(List<Map<String, Object>> events) {
        return ann.rest("POST", "/services/data/v64.0/sobjects/StreamingChannel/" + channelId + "/push",
                Map.of("pushEvents", events));
    }

    @Test
    void pushToChosenUsersReachesOnlyThemAndReportsWhoIsOnline() {
        String annId = emulator.userId(ANN);
        String bobId = emulator.userId(BOB);
        ann.connected();
        bob.connected();
        assertThat(ann.subscribeFrom("/u/Alerts", -1).path("successful").asBoolean()).isTrue();
        assertThat(bob.subscribeFrom("/u/Alerts", -1).path("successful").asBoolean()).isTrue();

        JsonNode online = ann.rest("GET", "/services/data/v64.0/sobjects/StreamingChannel/" + channelId + "/push",
                null);
        assertThat(online.path("body").path("ChannelName").asText()).isEqualTo("/u/Alerts");
        assertThat(online.path("body").path("OnlineUserIds")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder(annId, bobId);

        String offline = emulator.create("User", Map.of("Username", "carl@example.com", "LastName", "Carl"));
        JsonNode answer = push(List.of(
                Map.of("payload", "for ann", "userIds", List.of(annId, offline)),
                Map.of("payload", "for everybody", "userIds", List.of())));

        assertThat(answer.path("status").asInt()).isEqualTo(200);
        assertThat(answer.path("body").get(0).path("fanoutCount").asInt()).isEqualTo(1);
        assertThat(answer.path("body").get(0).path("userOnlineStatus"))
                .isEqualTo(RawHttp.JSON.createObjectNode().put(annId, true).put(offline, false));
        assertThat(answer.path("body").get(1).path("fanoutCount").asInt()).isEqualTo(-1);

        assertThat(ann.receive(2, WAIT)).extracting(m -> m.path("data").path("payload").asText())
                .containsExactly("for ann", "for everybody");
        assertThat(bob.receive(1, WAIT)).extracting(m -> m.path("data").path("payload").asText())
                .containsExactly("for everybody");
    }

    @Test
    void payloadOver3000CharactersIsRefused() {
        JsonNode answer = push(List.of(Map.of("payload", "x".repeat(3001), "userIds", List.of())));

        assertThat(answer.path("status").asInt()).isEqualTo(400);
        assertThat(answer.path("body").get(0).path("errorCode").asText()).isEqualTo("STRING_TOO_LONG");
    }

    @Test
    void streamingChannelNamesMustStartWithSlashUAndBeUnique() {
        JsonNode badName = ann.rest("POST", "/services/data/v64.0/sobjects/StreamingChannel",
                Map.of("Name", "/topic/Alerts"));
        JsonNode duplicate = ann.rest("POST", "/services/data/v64.0/sobjects/StreamingChannel",
                Map.of("Name", "/u/alerts"));

        assertThat(badName.path("status").asInt()).isEqualTo(400);
        assertThat(badName.path("body").get(0).path("errorCode").asText()).isEqualTo("FIELD_INTEGRITY_EXCEPTION");
        assertThat(duplicate.path("status").asInt()).isEqualTo(400);
        assertThat(duplicate.path("body").get(0).path("errorCode").asText()).isEqualTo("DUPLICATE_VALUE");
    }
}
