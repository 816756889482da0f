package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What goes wrong with a CometD session in production, on demand, and the exact answers on the wire: revoked tokens
 * ({@code 401::Authentication invalid}), dropped or expired sessions ({@code 403::Unknown client}), a busy server
 * (503), a missing browser cookie and an oversized request (over 32,768 bytes). Each test starts
 * its own emulator because the faults are org-wide.
 */
class SessionFaultsTest {
    private static final JsonNode ADVICE_NONE = RawHttp.parse("{\"reconnect\":\"none\",\"interval\":0}");
    private static final JsonNode ADVICE_HANDSHAKE = RawHttp.parse("{\"interval\":0,\"reconnect\":\"handshake\"}");
    private static final String BUSY = "503::Server is too busy.  Please try your request again later.";

    Emulator emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private RawHttp start(Duration longPoll, Duration reconnect) {
        emulator = Emulator.builder().quiet(true).longPollTimeout(longPoll).reconnectTimeout(reconnect).build()
                .start();
        RawHttp raw = new RawHttp(emulator.url());
        raw.login();
        return raw;
    }

    private RawHttp start() {
        return start(Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    private static void assertAuthenticationInvalid(JsonNode connect) {
        assertThat(connect.path("channel").asText()).isEqualTo("/meta/connect");
        assertThat(connect.path("successful").asBoolean()).isFalse();
        assertThat(connect.path("error").asText()).isEqualTo("401::Authentication invalid");
        assertThat(connect.path("advice")).isEqualTo(ADVICE_NONE);
    }

    private static void assertUnknownClient(JsonNode reply, String channel) {
        assertThat(reply.path("channel").asText()).isEqualTo(channel);
        assertThat(reply.path("successful").asBoolean()).isFalse();
        assertThat(reply.path("error").asText()).isEqualTo("403::Unknown client");
        assertThat(reply.path("advice")).isEqualTo(ADVICE_HANDSHAKE);
        assertThat(reply.has("clientId")).as("live captures carry no clientId").isFalse();
    }

    private int clients() {
        return RawHttp.parse(new RawHttp(emulator.url()).get("/emulator/status", null).body()).path("clients")
                .asInt();
    }

    // ---------------------------------------------------------------- revoked tokens

    @Test
    void connectWithARevokedTokenIsRefusedAsAuthenticationInvalidWithNoReconnect() {
        RawHttp raw = start().connected();
        emulator.revokeTokens();

        assertAuthenticationInvalid(RawHttp.metaReply(raw.connect(), "/meta/connect"));

        raw.login();
        assertUnknownClient(RawHttp.metaReply(raw.connect(), "/meta/connect"), "/meta/connect");
    }

    @Test
    void firstConnectAfterTokensAreRevokedOverHttpIsRefusedAsAuthenticationInvalid() {
        RawHttp raw = start();
        assertThat(raw.handshake().path("successful").asBoolean()).isTrue();

        HttpResponse<String> revoked = raw.post("/emulator/revoke-tokens", "application/json", "", null);
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(RawHttp.parse(revoked.body()).path("revoked").asBoolean()).isTrue();

        assertAuthenticationInvalid(RawHttp.metaReply(raw.connect(), "/meta/connect"));
    }

    @Test
    void heldConnectIsAnsweredAtOnceWhenTokensAreRevoked() throws Exception {
        RawHttp raw = start(Duration.ofSeconds(20), Duration.ofSeconds(3)).connected();
        CompletableFuture<HttpResponse<String>> held = raw.connectAsync();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !held.isDone());

        long revokedAt = System.nanoTime();
        emulator.revokeTokens();
        HttpResponse<String> answered = held.get(5, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(5));
        assertAuthenticationInvalid(RawHttp.metaReply((ArrayNode) RawHttp.parse(answered.body()), "/meta/connect"));
    }

    @Test
    void heldConnectIsAnsweredAtOnceWhenTheClockPassesTheTokenLifetime() throws Exception {
        emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(20))
                .tokenLifetime(Duration.ofHours(1)).build().start();
        RawHttp raw = new RawHttp(emulator.url());
        raw.login();
        raw.connected();
        CompletableFuture<HttpResponse<String>> held = raw.connectAsync();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !held.isDone());

        HttpResponse<String> advanced = raw.post("/emulator/advance-clock?hours=1.5", "application/json", "", null);
        assertThat(advanced.statusCode()).isEqualTo(200);
        HttpResponse<String> answered = held.get(5, TimeUnit.SECONDS);

        assertAuthenticationInvalid(RawHttp.metaReply((ArrayNode) RawHttp.parse(answered.body()), "/meta/connect"));
    }

    @Test
    void connectWithAnotherUsersTokenIsRefusedAsAUserMismatch() {
        emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(2))
                .user(EmulatorUser.of("a@example.com", "pw-a")).user(EmulatorUser.of("b@example.com", "pw-b"))
                .build().start();
        RawHttp raw = new RawHttp(emulator.url());
        raw.login("a@example.com", "pw-a");
        raw.connected();
        raw.login("b@example.com", "pw-b");

        JsonNode connect = RawHttp.metaReply(raw.connect(), "/meta/connect");
        assertThat(connect.path("successful").asBoolean()).isFalse();
        assertThat(connect.path("error").asText())
                .isEqualTo("400::Authenticated user id does not match the session's user id");
        assertThat(connect.path("advice")).isEqualTo(ADVICE_NONE);
    }

    // ---------------------------------------------------------------- dropped and expired sessions

    @Test
    void droppedSessionGetsUnknownClientWithHandshakeAdviceOnItsNextConnect() {
        RawHttp raw = start().connected();
        assertThat(emulator.dropSessions()).isEqualTo(1);

        assertUnknownClient(RawHttp.metaReply(raw.connect(), "/meta/connect"), "/meta/connect");
        assertThat(raw.handshake().path("successful").asBoolean()).as("a new handshake works").isTrue();
    }

    @Test
    void droppedSessionOverHttpGetsUnknownClientOnSubscribeToo() {
        RawHttp raw = start().connected();
        emulator.create("PushTopic", Map.of("Name", "Leads", "ApiVersion", 64.0,
                "Query", "SELECT Id, LastName FROM Lead"));

        HttpResponse<String> dropped = raw.post("/emulator/drop-sessions", "application/json", "", null);
        assertThat(dropped.statusCode()).isEqualTo(200);
        assertThat(RawHttp.parse(dropped.body()).path("dropped").asInt()).isEqualTo(1);

        assertUnknownClient(raw.subscribe("/topic/Leads", null), "/meta/subscribe");
    }

    @Test
    void heldConnectIsAnsweredWithUnknownClientWhenSessionsAreDropped() throws Exception {
        RawHttp raw = start(Duration.ofSeconds(20), Duration.ofSeconds(3)).connected();
        CompletableFuture<HttpResponse<String>> held = raw.connectAsync();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !held.isDone());

        emulator.dropSessions();
        HttpResponse<String> answered = held.get(5, TimeUnit.SECONDS);

        assertUnknownClient(RawHttp.metaReply((ArrayNode) RawHttp.parse(answered.body()), "/meta/connect"),
                "/meta/connect");
    }

    @Test
    void clientThatStopsConnectingIsDroppedAfterTheReconnectTimeout() {
        RawHttp raw = start(Duration.ofSeconds(2), Duration.ofSeconds(1)).connected();
        assertThat(clients()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(100)).until(() -> clients() == 0);

        assertUnknownClient(RawHttp.metaReply(raw.connect(), "/meta/connect"), "/meta/connect");
    }

    @Test
    void clientThatKeepsConnectingOutlivesTheReconnectTimeout() {
        RawHttp raw = start(Duration.ofMillis(500), Duration.ofSeconds(1)).connected();
        long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(1)).pollInSameThread().until(() -> {
            JsonNode connect = RawHttp.metaReply(raw.connect(), "/meta/connect");
            assertThat(connect.path("successful").asBoolean()).as(connect.toString()).isTrue();
            return System.nanoTime() > until;
        });
        assertThat(clients()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- busy

    @Test
    void connectAndSubscribeWhileBusyAreRefusedWithTheBusyReason() {
        RawHttp raw = start().connected();
        emulator.create("PushTopic", Map.of("Name", "Leads", "ApiVersion", 64.0,
                "Query", "SELECT Id, LastName FROM Lead"));
        emulator.busy(Duration.ofMinutes(1));

        JsonNode connect = RawHttp.metaReply(raw.connect(), "/meta/connect");
        assertThat(connect.path("successful").asBoolean()).isFalse();
        assertThat(connect.path("error").asText()).isEqualTo(BUSY);
        assertThat(connect.path("ext").path("sfdc").path("failureReason").asText()).isEqualTo(BUSY);
        assertThat(connect.path("advice").path("reconnect").asText()).isEqualTo("retry");

        JsonNode subscribe = raw.subscribe("/topic/Leads", null);
        assertThat(subscribe.path("successful").asBoolean()).isFalse();
        assertThat(subscribe.path("error").asText()).isEqualTo(BUSY);
        assertThat(subscribe.path("ext").path("sfdc").path("failureReason").asText()).isEqualTo(BUSY);
    }

    // ---------------------------------------------------------------- transport

    @Test
    void connectWithoutTheBrowserCookieIsRefusedNamingTheClient() {
        RawHttp raw = start().connected();

        JsonNode connect = RawHttp.metaReply(raw.withoutCookies().connect(), "/meta/connect");

        assertThat(connect.path("successful").asBoolean()).isFalse();
        assertThat(connect.path("error").asText()).isEqualTo("400::Client " + raw.clientId
                + " has established a session, but no BAYEUX_BROWSER cookie present");
        assertThat(raw.disconnect().path("successful").asBoolean())
                .as("with the cookie the same client is still known").isTrue();
    }

    @Test
    void connectOverAnotherConnectionTypeIsRefused() {
        RawHttp raw = start().connected();
        ObjectNode message = raw.connectMessage().put("connectionType", "websocket");

        JsonNode connect = RawHttp.metaReply(raw.bayeux(List.of(message)), "/meta/connect");

        assertThat(connect.path("successful").asBoolean()).isFalse();
        assertThat(connect.path("error").asText()).isEqualTo("400::Invalid connection type {websocket}");
    }

    @Test
    void requestBodyOver32768BytesIsRefusedWith413() {
        RawHttp raw = start();
        String atLimit = paddedHandshake(32_768);
        String overLimit = paddedHandshake(32_769);

        HttpResponse<String> accepted = raw.cometd("/cometd/64.0", atLimit);
        HttpResponse<String> refused = raw.cometd("/cometd/64.0", overLimit);

        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(RawHttp.parse(accepted.body()).get(0).path("successful").asBoolean()).isTrue();
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).isEqualTo("Maximum Request Size Exceeded");
    }

    @Test
    void chunkedRequestBodyOver32768BytesIsRefusedWith413Too() {
        RawHttp raw = start();

        HttpResponse<String> accepted = raw.send(chunked(raw, paddedHandshake(32_768)));
        HttpResponse<String> refused = raw.send(chunked(raw, paddedHandshake(40_000)));

        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(RawHttp.parse(accepted.body()).get(0).path("successful").asBoolean()).isTrue();
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).isEqualTo("Maximum Request Size Exceeded");
    }

    /** A POST to /cometd/64.0 whose body has no declared length, so HTTP/1.1 sends it chunked. */
    private HttpRequest chunked(RawHttp raw, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(URI.create(emulator.url() + "/cometd/64.0"))
                .version(HttpClient.Version.HTTP_1_1)
                .header("Content-Type", "application/json").header("Authorization", raw.auth())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
    }

    /** A handshake whose JSON is exactly {@code size} bytes, padded in an ext field. */
    private static String paddedHandshake(int size) {
        String template = "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\","
                + "\"supportedConnectionTypes\":[\"long-polling\"],\"ext\":{\"replay\":true,\"pad\":\"%s\"}}]";
        int padding = size - String.format(template, "").length();
        return String.format(template, "x".repeat(padding));
    }
}
