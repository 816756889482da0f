package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Handshake refusals on the wire: {@code 403::Handshake denied} with the cause in {@code ext.sfdc.failureReason},
 * as Salesforce's "Handling Streaming API Errors" page and captured replies show them, and the API version in the
 * URL ({@code /cometd/37.0} or later). Each test has an emulator of its own, so that client counts and the busy fault
 * start from nothing.
 */
class HandshakeErrorsTest {
    Emulator emulator;
    RawHttp raw;

    @BeforeEach
    void start() {
        emulator = FastOrg.fast().concurrentClientLimit(2).build().start();
        raw = new RawHttp(emulator.url());
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    /** The parts every Salesforce handshake refusal has in common. */
    private static void assertDenied(JsonNode reply, String failureReason) {
        assertThat(reply.path("channel").asText()).isEqualTo("/meta/handshake");
        assertThat(reply.path("successful").asBoolean()).isFalse();
        assertThat(reply.path("error").asText()).isEqualTo("403::Handshake denied");
        assertThat(reply.path("ext").path("sfdc").path("failureReason").asText()).isEqualTo(failureReason);
        assertThat(reply.path("ext").path("replay").asBoolean()).isTrue();
        assertThat(reply.path("ext").path("payload.format").asBoolean()).isTrue();
        assertThat(reply.path("advice")).isEqualTo(RawHttp.parse("{\"reconnect\":\"none\"}"));
        assertThat(reply.has("clientId")).isFalse();
    }

    @Test
    void listensOnLoopbackUnlessToldOtherwise() {
        assertThat(emulator.url()).startsWith("http://127.0.0.1:");
    }

    @Test
    void handshakeSentAsOneJsonObjectInsteadOfAnArrayIsAnsweredAsAnArray() {
        raw.login();
        HttpResponse<String> r = raw.cometd("/cometd/" + RawHttp.VERSION, RawHttp.handshakeMessage());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode reply = RawHttp.parse(r.body());
        assertThat(reply.isArray()).isTrue();
        assertThat(reply.get(0).path("channel").asText()).isEqualTo("/meta/handshake");
        assertThat(reply.get(0).path("successful").asBoolean()).as(r.body()).isTrue();
        assertThat(reply.get(0).path("clientId").asText()).isNotEmpty();
    }

    @Test
    void handshakeWithoutTokenIsDeniedBecauseItRequiresAuthentication() {
        assertDenied(raw.handshake(), "401::Request requires authentication");
    }

    @Test
    void handshakeWithAnUnknownTokenIsDeniedAsAuthenticationInvalid() {
        raw.token = "00D000000000001!not-a-token";
        assertDenied(raw.handshake(), "401::Authentication invalid");
    }

    @Test
    void handshakeWithAnUnknownAuthorizationSchemeIsDeniedAsUnauthenticated() {
        raw.login();
        HttpResponse<String> r = raw.post("/cometd/64.0", "application/json",
                RawHttp.write(List.of(RawHttp.handshakeMessage())), "Basic " + raw.token);
        assertDenied(RawHttp.parse(r.body()).get(0), "401::Request requires authentication");
    }

    @ParameterizedTest(name = "Authorization: {0} <token>")
    @ValueSource(strings = {"Bearer", "OAuth", ""})
    void handshakeAcceptsBearerOAuthAndBareTokens(String scheme) {
        raw.login();
        String header = scheme.isEmpty() ? raw.token : scheme + " " + raw.token;
        HttpResponse<String> r = raw.post("/cometd/64.0", "application/json",
                RawHttp.write(List.of(RawHttp.handshakeMessage())), header);
        JsonNode reply = RawHttp.parse(r.body()).get(0);
        assertThat(reply.path("successful").asBoolean()).as(reply.toString()).isTrue();
    }

    @Test
    void thirdHandshakeOverAConcurrentClientLimitOfTwoIsDenied() {
        raw.login();
        RawHttp first = raw.sameUserNewBrowser();
        RawHttp second = raw.sameUserNewBrowser();
        RawHttp third = raw.sameUserNewBrowser();
        assertThat(first.handshake().path("successful").asBoolean()).isTrue();
        assertThat(second.handshake().path("successful").asBoolean()).isTrue();

        assertDenied(third.handshake(), "403::Organization concurrent user limit exceeded");

        assertThat(first.disconnect().path("successful").asBoolean()).isTrue();
        assertThat(third.handshake().path("successful").asBoolean())
                .as("a client that disconnected no longer counts").isTrue();
    }

    @Test
    void handshakeWhileBusyIsDeniedWithTheServerTooBusyReason() {
        raw.login();
        emulator.busy(Duration.ofMinutes(1));
        assertDenied(raw.handshake(), "503::Server is too busy.  Please try your request again later.");
    }

    @Test
    void handshakeSucceedsAgainOnceTheBusySpellIsOver() {
        raw.login();
        HttpResponse<String> busy = raw.post("/emulator/busy?seconds=0.5", "application/json", "", null);
        assertThat(busy.statusCode()).isEqualTo(200);
        assertThat(RawHttp.parse(busy.body()).path("busySeconds").asDouble()).isEqualTo(0.5);
        assertDenied(raw.handshake(), "503::Server is too busy.  Please try your request again later.");

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> raw.handshake().path("successful").asBoolean());
    }

    @ParameterizedTest(name = "POST {0}")
    @ValueSource(strings = {"/cometd", "/cometd/"})
    void cometdWithoutAnApiVersionIsRefusedWithTheMandatoryVersionText(String path) {
        raw.login();
        HttpResponse<String> r = raw.cometd(path, List.of(RawHttp.handshakeMessage()));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode reply = RawHttp.parse(r.body()).get(0);
        assertThat(reply.path("successful").asBoolean()).isFalse();
        assertThat(reply.path("error").asText())
                .isEqualTo("400::API version in the URI is mandatory. URI format: '/cometd/66.0'");
    }

    @ParameterizedTest(name = "POST /cometd/{0}")
    @ValueSource(strings = {"36.0", "29.0"})
    void cometdBelowVersion37IsRefusedWithTheUnsupportedVersionText(String version) {
        raw.login();
        JsonNode reply = raw.bayeux("/cometd/" + version, List.of(RawHttp.handshakeMessage())).get(0);
        assertThat(reply.path("successful").asBoolean()).isFalse();
        assertThat(reply.path("error").asText()).isEqualTo("400::Unsupported API version. Only API versions "
                + "'37.0' and later are supported. URI format: '/cometd/66.0'");
    }

    @ParameterizedTest(name = "POST {0}")
    @ValueSource(strings = {"/cometd/37.0", "/cometd/64.0/", "/cometd/64.0/handshake"})
    void cometdAcceptsVersion37AndLaterWithATrailingSlashOrMessageType(String path) {
        raw.login();
        JsonNode reply = raw.bayeux(path, List.of(RawHttp.handshakeMessage())).get(0);
        assertThat(reply.path("successful").asBoolean()).as(reply.toString()).isTrue();
    }
}
