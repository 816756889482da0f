package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /meta/connect} as Salesforce answers it in captured exchanges: the first connect at once with
 * {@code {"interval":0,"timeout":...,"reconnect":"retry"}}, later ones held until an event arrives or the long-poll
 * timeout passes, then answered with no advice.
 */
class LongPollTest {
    Emulator emulator;
    RawHttp raw;

    private void start(Duration longPoll) {
        emulator = Emulator.builder().quiet(true).longPollTimeout(longPoll).reconnectTimeout(Duration.ofSeconds(3))
                .build().start();
        raw = new RawHttp(emulator.url());
        raw.login();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void firstConnectIsAnsweredAtOnceWithSalesforcesAdvice() {
        start(Duration.ofSeconds(20));
        assertThat(raw.handshake().path("successful").asBoolean()).isTrue();

        long start = System.nanoTime();
        JsonNode connect = RawHttp.metaReply(raw.connect(), "/meta/connect");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(connect.path("successful").asBoolean()).isTrue();
        assertThat(connect.path("clientId").asText()).isEqualTo(raw.clientId);
        assertThat(connect.path("advice"))
                .isEqualTo(RawHttp.parse("{\"interval\":0,\"timeout\":20000,\"reconnect\":\"retry\"}"));
    }

    @Test
    void laterConnectIsHeldForTheLongPollTimeoutThenAnsweredWithoutAdvice() {
        start(Duration.ofMillis(800));
        raw.connected();

        long start = System.nanoTime();
        ArrayNode reply = raw.connect();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        assertThat(reply).hasSize(1);
        JsonNode connect = reply.get(0);
        assertThat(connect.path("channel").asText()).isEqualTo("/meta/connect");
        assertThat(connect.path("successful").asBoolean()).isTrue();
        assertThat(connect.path("clientId").asText()).isEqualTo(raw.clientId);
        assertThat(connect.has("advice")).isFalse();
    }

    @Test
    void heldConnectIsAnsweredAtOnceWhenAnEventArrives() throws Exception {
        start(Duration.ofSeconds(20));
        emulator.create("PushTopic", Map.of("Name", "Leads", "ApiVersion", 64.0,
                "Query", "SELECT Id, LastName FROM Lead"));
        raw.connected();
        assertThat(raw.subscribeFrom("/topic/Leads", -1).path("successful").asBoolean()).isTrue();
        CompletableFuture<HttpResponse<String>> held = raw.connectAsync();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !held.isDone());

        emulator.create("Lead", Map.of("LastName", "Doe", "Company", "Acme"));
        ArrayNode reply = (ArrayNode) RawHttp.parse(held.get(5, TimeUnit.SECONDS).body());

        assertThat(reply).extracting(m -> m.path("channel").asText()).containsExactly("/topic/Leads", "/meta/connect");
        assertThat(reply.get(0).fieldNames()).toIterable().as("the envelope of a delivered event")
                .containsExactlyInAnyOrder("channel", "data");
        assertThat(reply.get(1).path("successful").asBoolean()).isTrue();
    }
}
