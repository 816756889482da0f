package dev.sfstream.emulator;

import static dev.sfstream.emulator.PubSubContractTest.assertAuthError;
import static dev.sfstream.emulator.PubSubContractTest.assertSalesforceError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import com.salesforce.eventbus.protobuf.TopicRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The faults on demand, on the wire of the Pub/Sub API: each ends streams or refuses calls with the status, trailers
 * and text a client meets in Salesforce, and none loses an event the emulator retained: a resubscription from the
 * last replay ID received gets every event after it.
 */
class PubSubFaultsTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration KEEPALIVE = Duration.ofMillis(200);
    Emulator emulator;
    RawHttp http;
    PubSubTestClient client;

    @BeforeEach
    void start() {
        emulator = FastOrg.fast().platformEvent("Order_Placed__e", "Order_Number__c")
                .pubSub(PubSubSettings.defaults().plaintext(true).keepaliveInterval(KEEPALIVE)).build().start();
        http = new RawHttp(emulator.url());
        client = PubSubTestClient.loggedIn(emulator);
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    private void publish(String... numbers) {
        for (String n : numbers) {
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", n));
        }
    }

    private List<ConsumerEvent> receive(PubSubTestClient.Stream stream, int count) throws Exception {
        List<ConsumerEvent> events = new ArrayList<>();
        while (events.size() < count) {
            events.addAll(stream.nextWithEvents(WAIT).getEventsList());
        }
        return events;
    }

    private List<String> numbers(List<ConsumerEvent> events) throws Exception {
        List<String> out = new ArrayList<>();
        for (ConsumerEvent e : events) {
            out.add(client.decode(e).get("Order_Number__c").toString());
        }
        return out;
    }

    /** Resubscribes after the last event received and checks that every later event comes, none twice. */
    private void nothingLostAfter(ConsumerEvent last, String... expected) throws Exception {
        PubSubTestClient.Stream again = client.subscribe("/event/Order_Placed__e", ReplayPreset.CUSTOM,
                last.getReplayId(), 100);
        assertThat(numbers(receive(again, expected.length))).containsExactly(expected);
        again.cancel();
    }

    @Test
    void revokedTokensEndOpenStreamsWithTheAuthError() throws Exception {
        publish("A-1");
        PubSubTestClient.Stream stream = client.subscribe("/event/Order_Placed__e", ReplayPreset.EARLIEST, 10);
        ConsumerEvent last = receive(stream, 1).get(0);
        assertThat(http.send(post("/emulator/revoke-tokens")).statusCode()).isEqualTo(200);
        assertAuthError(stream.end(WAIT), stream.trailers, "Subscribe");
        publish("A-2");
        client.close();
        client = PubSubTestClient.loggedIn(emulator);
        nothingLostAfter(last, "A-2");
    }

    @Test
    void busyEndsStreamsAndRefusesNewCallsWithServiceUnavailable() throws Exception {
        publish("B-1");
        PubSubTestClient.Stream stream = client.subscribe("/event/Order_Placed__e", ReplayPreset.EARLIEST, 10);
        ConsumerEvent last = receive(stream, 1).get(0);
        http.send(post("/emulator/busy?seconds=1"));
        Status ended = stream.end(WAIT);
        assertThat(ended.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(ended.getDescription()).startsWith("The service is unavailable. Try again later. rpcId: ");
        assertSalesforceError(ended, stream.trailers, "service.unavailable", "Subscribe");
        assertThatThrownBy(() -> client.blocking().getTopic(TopicRequest.newBuilder()
                .setTopicName("/event/Order_Placed__e").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertSalesforceError(e.getStatus(), e.getTrailers(), "service.unavailable", "GetTopic"));
        publish("B-2");
        org.awaitility.Awaitility.await().atMost(WAIT).ignoreExceptions().until(() -> client.blocking()
                .getTopic(TopicRequest.newBuilder().setTopicName("/event/Order_Placed__e").build()) != null);
        nothingLostAfter(last, "B-2");
    }

    @Test
    void advancingTheClockPastRetentionExpiresReplayIds() throws Exception {
        publish("C-1");
        PubSubTestClient.Stream stream = client.subscribe("/event/Order_Placed__e", ReplayPreset.EARLIEST, 10);
        ConsumerEvent old = receive(stream, 1).get(0);
        stream.cancel();
        http.send(post("/emulator/advance-clock?hours=71"));
        client.close();
        client = PubSubTestClient.loggedIn(emulator); // the token expired with the clock
        PubSubTestClient.Stream stillThere = client.subscribe("/event/Order_Placed__e", ReplayPreset.CUSTOM,
                old.getReplayId(), 1);
        assertThat(stillThere.next(WAIT).getEventsCount()).as("71 h: still retained, so a keepalive").isZero();
        stillThere.cancel();
        http.send(post("/emulator/advance-clock?hours=2"));
        client.close();
        client = PubSubTestClient.loggedIn(emulator);
        PubSubTestClient.Stream expired = client.subscribe("/event/Order_Placed__e", ReplayPreset.CUSTOM,
                old.getReplayId(), 1);
        Status status = expired.end(WAIT);
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertSalesforceError(status, expired.trailers, "subscription.fetch.replayid.corrupted", "Subscribe");
    }

    @Test
    void resetStreamsEndsEveryStreamAsANetworkResetWould() throws Exception {
        publish("D-1");
        PubSubTestClient.Stream stream = client.subscribe("/event/Order_Placed__e", ReplayPreset.EARLIEST, 10);
        ConsumerEvent last = receive(stream, 1).get(0);
        JsonNode reset = RawHttp.parse(http.send(post("/emulator/pubsub/reset-streams")).body());
        assertThat(reset.path("reset").asInt()).isEqualTo(1);
        Status status = stream.end(WAIT);
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).contains("RST_STREAM");
        publish("D-2", "D-3");
        nothingLostAfter(last, "D-2", "D-3");
    }

    @Test
    void aStallSilencesOpenStreamsKeepalivesIncludedThenDeliversWhatCameMeanwhile() throws Exception {
        PubSubTestClient.Stream stream = client.subscribe("/event/Order_Placed__e", ReplayPreset.LATEST, 10);
        stream.next(WAIT); // a keepalive: the stream is live
        assertThat(http.send(post("/emulator/pubsub/stall?seconds=1.5")).statusCode()).isEqualTo(200);
        stream.responses.clear();
        long stalled = System.nanoTime();
        publish("E-1");
        FetchResponse first = stream.next(WAIT);
        assertThat(Duration.ofNanos(System.nanoTime() - stalled)).as("silent while stalled")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1_400));
        List<ConsumerEvent> events = new ArrayList<>(first.getEventsList());
        if (events.isEmpty()) {
            events.addAll(stream.nextWithEvents(WAIT).getEventsList());
        }
        assertThat(numbers(events)).containsExactly("E-1");
    }

    @Test
    void exhaustRefusesNewCallsWithResourceExhaustedWhileOpenStreamsGoOn() throws Exception {
        PubSubTestClient.Stream open = client.subscribe("/event/Order_Placed__e", ReplayPreset.LATEST, 10);
        open.next(WAIT);
        http.send(post("/emulator/pubsub/exhaust?seconds=30"));
        PubSubTestClient.Stream refused = client.subscribe("/event/Order_Placed__e", ReplayPreset.LATEST, 10);
        Status status = refused.end(WAIT);
        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertSalesforceError(status, refused.trailers, "service.protection.triggered", "Subscribe");
        publish("F-1");
        assertThat(receive(open, 1)).as("the open stream still delivers").hasSize(1);
    }

    @Test
    void statusShowsTheEndpointAndOpenStreamsWithTheirCreditAndDeliveries() throws Exception {
        publish("G-1", "G-2");
        PubSubTestClient.Stream stream = client.subscribe("/event/Order_Placed__e", ReplayPreset.EARLIEST, 5);
        receive(stream, 2);
        JsonNode status = RawHttp.parse(http.get("/emulator/status", null).body());
        assertThat(status.path("pubSubEndpoint").asText()).isEqualTo(emulator.pubSubEndpoint())
                .startsWith("127.0.0.1:");
        JsonNode open = status.path("pubSubStreams").get(0);
        assertThat(open.path("method").asText()).isEqualTo("Subscribe");
        assertThat(open.path("topic").asText()).isEqualTo("/event/Order_Placed__e");
        assertThat(open.path("pendingNumRequested").asInt()).isEqualTo(3);
        assertThat(open.path("delivered").asInt()).isEqualTo(2);
    }

    private java.net.http.HttpRequest post(String path) {
        return java.net.http.HttpRequest.newBuilder(java.net.URI.create(emulator.url() + path))
                .timeout(Duration.ofSeconds(10)).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();
    }
}
