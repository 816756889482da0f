package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Durable streaming, as Salesforce's "Message Durability" describes it: what {@code -2}, {@code -1} and a stored
 * replay ID return, retention
 * on the org's clock (24 hours for PushTopic events, 72 for platform events), replay IDs that increase with gaps, a
 * long replay spread over several connects, and filtered subscriptions. Each test has its own emulator,
 * as moving the clock is org-wide.
 */
class ReplayTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String INVALID = "400::The replayId {%d} you provided was invalid.  Please provide a valid "
            + "ID, -2 to replay all events, or -1 to replay only new events.";

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
        emulator.create("PushTopic", Map.of("Name", "Leads", "ApiVersion", 64.0,
                "Query", "SELECT Id, LastName FROM Lead"));
        raw = new RawHttp(emulator.url());
        raw.login();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private List<String> createLeads(String... lastNames) {
        List<String> ids = new ArrayList<>();
        for (String name : lastNames) {
            ids.add(emulator.create("Lead", Map.of("LastName", name, "Company", "Acme")));
        }
        return ids;
    }

    /** Creates {@code count} Leads named Lead0, Lead1...; returns their names in creation order. */
    private String[] numberedLeads(int count) {
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = "Lead" + i;
        }
        createLeads(names);
        return names;
    }

    private static List<String> lastNames(List<JsonNode> messages) {
        return messages.stream().map(m -> m.path("data").path("sobject").path("LastName").asText()).toList();
    }

    private static List<Long> replayIds(List<JsonNode> messages) {
        return messages.stream().map(m -> m.path("data").path("event").path("replayId").asLong()).toList();
    }

    private static boolean sawLastName(List<JsonNode> messages, String lastName) {
        return lastNames(messages).contains(lastName);
    }

    /** Subscribes, failing unless Salesforce says yes. */
    private void subscribe(RawHttp client, String channel, long replayFrom) {
        JsonNode reply = client.subscribeFrom(channel, replayFrom);
        assertThat(reply.path("successful").asBoolean()).as(reply.toString()).isTrue();
    }

    @Test
    void replayFromMinusTwoReturnsEveryRetainedEventInOrderThenNewOnes() {
        createLeads("One", "Two", "Three");
        raw.connected();
        subscribe(raw, "/topic/Leads", -2);
        createLeads("Four");

        List<JsonNode> received = raw.receive(4, WAIT);

        assertThat(lastNames(received)).containsExactly("One", "Two", "Three", "Four");
        assertThat(replayIds(received)).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void replayFromMinusOneReturnsOnlyNewEvents() {
        createLeads("Old");
        raw.connected();
        subscribe(raw, "/topic/Leads", -1);
        createLeads("New");

        assertThat(lastNames(raw.receive(1, WAIT))).containsExactly("New");
    }

    @Test
    void replayFromAStoredIdReturnsExactlyTheLaterEvents() {
        createLeads("One", "Two", "Three", "Four", "Five");
        RawHttp first = new RawHttp(emulator.url());
        first.token = raw.token;
        first.connected();
        subscribe(first, "/topic/Leads", -2);
        List<Long> ids = replayIds(first.receive(5, WAIT));

        raw.connected();
        subscribe(raw, "/topic/Leads", ids.get(1));
        createLeads("Marker");

        List<JsonNode> replayed = raw.receiveUntil(r -> sawLastName(r, "Marker"), WAIT);
        assertThat(lastNames(replayed)).containsExactly("Three", "Four", "Five", "Marker");
        assertThat(replayIds(replayed).subList(0, 3)).isEqualTo(ids.subList(2, 5));
    }

    @Test
    void replayIdThatWasNeverIssuedIsRefused() {
        createLeads("One", "Two");
        raw.connected();
        subscribe(raw, "/topic/Leads", -2);
        List<Long> ids = replayIds(raw.receive(2, WAIT));
        long beyond = ids.get(1) + 1_000;

        RawHttp other = new RawHttp(emulator.url());
        other.token = raw.token;
        other.connected();
        JsonNode reply = other.subscribeFrom("/topic/Leads", beyond);

        assertThat(reply.path("successful").asBoolean()).isFalse();
        assertThat(reply.path("error").asText()).isEqualTo(INVALID.formatted(beyond));
    }

    @Test
    void replayIdsIncreaseWithGaps() {
        numberedLeads(30);
        raw.connected();
        subscribe(raw, "/topic/Leads", -2);

        List<Long> ids = replayIds(raw.receive(30, WAIT));

        assertThat(ids).isSorted().doesNotHaveDuplicates();
        List<Long> steps = new ArrayList<>();
        for (int i = 1; i < ids.size(); i++) {
            steps.add(ids.get(i) - ids.get(i - 1));
        }
        assertThat(steps).allMatch(step -> step >= 1).anyMatch(step -> step > 1);
    }

    @Test
    void idInAGapBetweenTwoIssuedIdsIsRefused() {
        numberedLeads(30);
        raw.connected();
        subscribe(raw, "/topic/Leads", -2);
        List<Long> ids = replayIds(raw.receive(30, WAIT));
        long gap = -1;
        for (int i = 1; i < ids.size() && gap < 0; i++) {
            if (ids.get(i) - ids.get(i - 1) > 1) {
                gap = ids.get(i - 1) + 1;
            }
        }
        assertThat(gap).as("a gap among %s", ids).isPositive();

        JsonNode reply = raw.subscribeFrom("/topic/Leads", gap);

        assertThat(reply.path("error").asText()).isEqualTo(INVALID.formatted(gap));
    }

    @Test
    void advancingTheClock25HoursExpiresTopicEventsButNotPlatformEvents() {
        raw.connected();
        subscribe(raw, "/topic/Leads", -1);
        subscribe(raw, "/event/Order_Placed__e", -1);
        createLeads("Expiring");
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-1"));
        List<JsonNode> live = raw.receive(2, WAIT);
        long topicId = live.get(0).path("data").path("event").path("replayId").asLong();
        long eventId = live.get(1).path("data").path("event").path("replayId").asLong();

        emulator.advanceClock(Duration.ofHours(25));

        RawHttp late = new RawHttp(emulator.url());
        late.login();
        late.connected();
        JsonNode expired = late.subscribeFrom("/topic/Leads", topicId);
        assertThat(expired.path("successful").asBoolean()).isFalse();
        assertThat(expired.path("error").asText()).isEqualTo(INVALID.formatted(topicId));
        subscribe(late, "/event/Order_Placed__e", -2);
        subscribe(late, "/topic/Leads", -2);
        createLeads("Marker");

        List<JsonNode> replayed = late.receiveUntil(r -> sawLastName(r, "Marker"), WAIT);
        assertThat(replayed).extracting(m -> m.path("channel").asText())
                .containsExactly("/event/Order_Placed__e", "/topic/Leads");
        assertThat(replayed.get(0).path("data").path("event").path("replayId").asLong()).isEqualTo(eventId);
        assertThat(late.subscribeFrom("/event/Order_Placed__e", eventId).path("successful").asBoolean())
                .as("a platform event is retained for 72 hours").isTrue();
    }

    @Test
    void advancingTheClock73HoursExpiresPlatformEventsToo() {
        raw.connected();
        subscribe(raw, "/event/Order_Placed__e", -1);
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-1"));
        long eventId = raw.receive(1, WAIT).get(0).path("data").path("event").path("replayId").asLong();

        HttpResponse<String> advanced = raw.post("/emulator/advance-clock?hours=73", "application/json", "", null);
        assertThat(advanced.statusCode()).isEqualTo(200);
        assertThat(RawHttp.parse(advanced.body()).path("advancedHours").asDouble()).isEqualTo(73.0);

        RawHttp late = new RawHttp(emulator.url());
        late.login(); // the first token expired with the clock too
        late.connected();
        JsonNode reply = late.subscribeFrom("/event/Order_Placed__e", eventId);
        assertThat(reply.path("error").asText()).isEqualTo(INVALID.formatted(eventId));
    }

    @Test
    void channelKeepsAtMostItsCapacityOfEventsDroppingTheOldestFirst() {
        startWith(Emulator.builder().retainedEventsPerChannel(3));
        raw.connected();
        subscribe(raw, "/topic/Leads", -1);
        numberedLeads(5);
        List<Long> ids = replayIds(raw.receive(5, WAIT));

        RawHttp late = new RawHttp(emulator.url());
        late.token = raw.token;
        late.connected();
        JsonNode evicted = late.subscribeFrom("/topic/Leads", ids.get(0));
        assertThat(evicted.path("successful").asBoolean()).isFalse();
        assertThat(evicted.path("error").asText()).isEqualTo(INVALID.formatted(ids.get(0)));
        subscribe(late, "/topic/Leads", -2);
        createLeads("Marker");

        List<JsonNode> replayed = late.receiveUntil(r -> sawLastName(r, "Marker"), WAIT);
        assertThat(lastNames(replayed)).as("the last three before the marker").containsExactly("Lead2", "Lead3",
                "Lead4", "Marker");
    }

    @Test
    void aDeclaredPlatformEventFieldMustBeACustomField() {
        assertThatThrownBy(() -> Emulator.builder().platformEvent("Order_Placed__e", "CreatedDate"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'CreatedDate' is not a custom field's API name");
        assertThatThrownBy(() -> Emulator.builder().platformEvent("Order Placed", "Amount__c"))
                .hasMessageContaining("ending in __e");
    }

    @Test
    void declaredPlatformEventRefusesUnknownFieldsAndCarriesEveryDeclaredOne() {
        startWith(Emulator.builder().platformEvent("Order_Placed__e", "Order_Number__c", "Amount__c"));
        raw.connected();
        subscribe(raw, "/event/Order_Placed__e", -1);

        JsonNode refused = raw.rest("POST", "/services/data/v64.0/sobjects/Order_Placed__e",
                Map.of("Order_Number__c", "O-1", "Colour__c", "red"));
        assertThat(refused.path("status").asInt()).isEqualTo(400);
        assertThat(refused.path("body").get(0).path("errorCode").asText()).isEqualTo("INVALID_FIELD");
        assertThat(refused.path("body").get(0).path("message").asText())
                .isEqualTo("No such column 'Colour__c' on sobject of type Order_Placed__e");
        // Names are case-insensitive: the event still goes out on the declared channel, with declared field names.
        raw.rest("POST", "/services/data/v64.0/sobjects/order_placed__e", Map.of("order_number__c", "O-2"));
        emulator.publishEvent("Order_Placed__e", Map.of("Amount__c", 12.5));

        List<JsonNode> received = raw.receive(2, WAIT);
        JsonNode first = received.get(0).path("data");
        assertThat(first.path("payload").path("Order_Number__c").asText()).isEqualTo("O-2");
        assertThat(first.path("payload").has("Amount__c")).isTrue();
        assertThat(first.path("payload").path("Amount__c").isNull()).isTrue();
        JsonNode second = received.get(1).path("data");
        assertThat(second.path("payload").path("Amount__c").asDouble()).isEqualTo(12.5);
        assertThat(second.path("schema").asText()).as("one schema whichever fields are set")
                .isEqualTo(first.path("schema").asText());
        assertThat(emulator.publishEvent("Other_Event__e", Map.of("Anything__c", 1)))
                .as("an event type nobody declared still needs no definition").isNotEmpty();
    }

    @Test
    void replayOfMoreEventsThanTheBatchSizeArrivesOverSeveralConnectsInOrderWithoutDuplicates() {
        startWith(Emulator.builder().replayBatchSize(3));
        String[] names = numberedLeads(10);
        raw.connected();
        subscribe(raw, "/topic/Leads", -2);

        List<JsonNode> received = new ArrayList<>();
        int connects = 0;
        while (received.size() < 10 && connects < 20) {
            ArrayNode reply = raw.connect();
            List<JsonNode> batch = RawHttp.data(reply);
            assertThat(batch).as("one connect response").hasSizeLessThanOrEqualTo(3);
            received.addAll(batch);
            connects++;
        }

        assertThat(lastNames(received)).containsExactly(names);
        assertThat(replayIds(received)).isSorted().doesNotHaveDuplicates();
        assertThat(connects).isGreaterThanOrEqualTo(4);
    }

    // ---------------------------------------------------------------- filtered subscriptions

    @Test
    void filteredSubscriptionDeliversRecordsMatchingAnyConditionOnTheFilteredChannel() {
        emulator.create("PushTopic", Map.of("Name", "Accounts", "ApiVersion", 64.0,
                "Query", "SELECT Id, Name, Industry FROM Account"));
        String filtered = "/topic/Accounts?Industry='Energy'&Name='Acme'";
        raw.connected();
        JsonNode reply = raw.subscribe(filtered, null);
        assertThat(reply.path("successful").asBoolean()).as(reply.toString()).isTrue();
        assertThat(reply.path("subscription").asText()).isEqualTo(filtered);

        emulator.create("Account", Map.of("Name", "Initech", "Industry", "Energy"));
        emulator.create("Account", Map.of("Name", "Acme", "Industry", "Banking"));
        emulator.create("Account", Map.of("Name", "Globex", "Industry", "Banking"));
        emulator.create("Account", Map.of("Name", "Marker", "Industry", "Energy"));

        List<JsonNode> received = raw.receiveUntil(
                r -> r.stream().anyMatch(m -> m.path("data").path("sobject").path("Name").asText().equals("Marker")),
                WAIT);
        assertThat(received).extracting(m -> m.path("data").path("sobject").path("Name").asText())
                .containsExactly("Initech", "Acme", "Marker");
        assertThat(received).extracting(m -> m.path("channel").asText()).containsOnly(filtered);
    }

    @Test
    void filteredSubscriptionReplaysWithTheMapKeyedByTheUnfilteredChannel() {
        emulator.create("PushTopic", Map.of("Name", "Accounts", "ApiVersion", 64.0,
                "Query", "SELECT Id, Name, Industry FROM Account"));
        emulator.create("Account", Map.of("Name", "Globex", "Industry", "Banking"));
        emulator.create("Account", Map.of("Name", "Initech", "Industry", "Energy"));
        String filtered = "/topic/Accounts?Industry='Energy'";
        raw.connected();
        subscribe(raw, filtered, -2);

        List<JsonNode> received = raw.receive(1, WAIT);

        assertThat(received.get(0).path("channel").asText()).isEqualTo(filtered);
        assertThat(received.get(0).path("data").path("sobject").path("Name").asText()).isEqualTo("Initech");
    }
}
