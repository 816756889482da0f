package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one request may make the org keep, as Salesforce bounds it: a platform event of at most 1 MB, a text value
 * of at most 131,072 characters (a Long Text Area), a generic push payload of at most 3,000 characters, and a REST
 * body of at most 2 MiB. A refused request keeps nothing.
 */
class RequestSizeLimitsTest {
    private static final String SOBJECTS = "/services/data/v64.0/sobjects/";
    private static final int LONG_TEXT_AREA = 131_072;

    Emulator emulator;
    RawHttp raw;

    @BeforeEach
    void start() {
        emulator = FastOrg.fast().build().start();
        raw = new RawHttp(emulator.url());
        raw.login();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    /** Custom fields {@code Text0__c, Text1__c...}, each holding {@code chars} characters. */
    private static Map<String, Object> textFields(int count, int chars) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            fields.put("Text" + i + "__c", String.valueOf((char) ('a' + i)).repeat(chars));
        }
        return fields;
    }

    private Map<?, ?> channelStatus(String channel) {
        Map<?, ?> channels = (Map<?, ?>) emulator.status().get("channels");
        return (Map<?, ?>) channels.get(channel);
    }

    private long retained(String channel) {
        Map<?, ?> status = channelStatus(channel);
        return status == null ? 0 : ((Number) status.get("retained")).longValue();
    }

    @Test
    void platformEventOverOneMegabyteIsRefusedWithPayloadSizeExceededAndNothingIsRetained() {
        JsonNode refused = raw.rest("POST", SOBJECTS + "Big_Event__e", textFields(16, 125_000)); // 2,000,000 chars

        assertThat(refused.path("status").asInt()).isEqualTo(400);
        JsonNode error = refused.path("body").get(0);
        assertThat(error.path("errorCode").asText()).isEqualTo("PAYLOAD_SIZE_EXCEEDED");
        assertThat(error.path("message").asText())
                .matches("The event payload size of 2\\d{6} bytes exceeds the maximum allowed size of 1048576 bytes");
        assertThat(retained("/event/Big_Event__e")).isZero();

        JsonNode accepted = raw.rest("POST", SOBJECTS + "Big_Event__e", textFields(8, 130_000)); // 1,040,000 chars
        assertThat(accepted.path("status").asInt()).as("just under 1 MB").isEqualTo(201);
        assertThat(retained("/event/Big_Event__e")).isEqualTo(1);
    }

    @Test
    void platformEventOverOneMegabyteIsRefusedThroughTheJavaApiToo() {
        assertThatThrownBy(() -> emulator.publishEvent("Big_Event__e", textFields(9, 130_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("PAYLOAD_SIZE_EXCEEDED: The event payload size of ");
        assertThat(retained("/event/Big_Event__e")).isZero();
    }

    @Test
    void textValueOverALongTextAreaIsRefusedWithStringTooLong() {
        String tooLong = "d".repeat(LONG_TEXT_AREA + 1);
        JsonNode lead = raw.rest("POST", SOBJECTS + "Lead",
                Map.of("LastName", "Doe", "Company", "Acme", "Description", tooLong));
        JsonNode event = raw.rest("POST", SOBJECTS + "Order_Placed__e", Map.of("Notes__c", tooLong));

        for (JsonNode refused : List.of(lead, event)) {
            assertThat(refused.path("status").asInt()).isEqualTo(400);
            JsonNode error = refused.path("body").get(0);
            assertThat(error.path("errorCode").asText()).isEqualTo("STRING_TOO_LONG");
            assertThat(error.path("message").asText()).endsWith("(max length=131072)")
                    .hasSizeLessThan(400); // the value is not echoed whole
        }
        assertThat(lead.path("body").get(0).path("fields")).extracting(JsonNode::asText)
                .containsExactly("Description");
        assertThat(lead.path("body").get(0).path("message").asText())
                .startsWith("Description: data value too large: ddd");
        assertThat(emulator.records("Lead")).isEmpty();
        assertThat(retained("/event/Order_Placed__e")).isZero();

        assertThat(raw.rest("POST", SOBJECTS + "Lead", Map.of("LastName", "Doe", "Company", "Acme",
                "Description", "d".repeat(LONG_TEXT_AREA))).path("status").asInt()).isEqualTo(201);
    }

    @Test
    void genericPushWithOnePayloadOver3000CharactersPushesNothing() {
        String channelId = raw.create("StreamingChannel", Map.of("Name", "/u/Alerts"));

        JsonNode refused = raw.rest("POST", SOBJECTS + "StreamingChannel/" + channelId + "/push",
                Map.of("pushEvents", List.of(
                        Map.of("payload", "fits", "userIds", List.of()),
                        Map.of("payload", "x".repeat(3001), "userIds", List.of()))));

        assertThat(refused.path("status").asInt()).isEqualTo(400);
        assertThat(refused.path("body").get(0).path("errorCode").asText()).isEqualTo("STRING_TOO_LONG");
        assertThat(retained("/u/Alerts")).as("not even the push event that fits").isZero();
    }

    @Test
    void restBodyOverTwoMebibytesIsRefusedWithExceededMaxSizeRequest() {
        // Twenty fields of 110,000 characters: each within a Long Text Area, 2.2 MB together.
        Map<String, Object> account = textFields(20, 110_000);
        account.put("Name", "Acme");
        String body = RawHttp.write(account);
        assertThat(body.length()).isGreaterThan(2 * 1024 * 1024);

        HttpResponse<String> declared = raw.send(post(SOBJECTS + "Account", body, false));
        HttpResponse<String> chunked = raw.send(post(SOBJECTS + "Account", body, true));

        for (HttpResponse<String> refused : List.of(declared, chunked)) {
            assertThat(refused.statusCode()).isEqualTo(413);
            JsonNode error = RawHttp.parse(refused.body()).get(0);
            assertThat(error.path("errorCode").asText()).isEqualTo("EXCEEDED_MAX_SIZE_REQUEST");
            assertThat(error.path("message").asText())
                    .isEqualTo("The size of the request body exceeded 2097152 bytes");
        }
        assertThat(emulator.records("Account")).isEmpty();
    }

    /** A POST with this client's token, with its length declared or sent chunked (no Content-Length). */
    private HttpRequest post(String path, String json, boolean chunked) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(URI.create(emulator.url() + path)).version(HttpClient.Version.HTTP_1_1)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + raw.token)
                .POST(chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }
}
