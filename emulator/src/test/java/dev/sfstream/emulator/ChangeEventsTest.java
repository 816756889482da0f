package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Change Data Capture events for each operation, as Salesforce's "Change Event Body Fields" describes them: a create
 * carries the non-empty fields, an update only the changed ones plus LastModifiedDate, a delete the header alone, an
 * undelete every non-empty field; every event also goes to {@code /data/ChangeEvents}; only enabled types have a channel.
 */
class ChangeEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CDC_DATE = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

    static Emulator emulator;
    RawHttp raw;

    @BeforeAll
    static void start() {
        emulator = FastOrg.fast().concurrentClientLimit(100)
                .changeDataCapture("Account", "Employee__c").build().start();
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

    private void subscribe(String channel) {
        JsonNode reply = raw.subscribeFrom(channel, -1);
        assertThat(reply.path("successful").asBoolean()).as(reply.toString()).isTrue();
    }

    private static JsonNode header(JsonNode message) {
        return message.path("data").path("payload").path("ChangeEventHeader");
    }

    @Test
    void eachOperationHasItsChangeTypeAndBody() {
        subscribe("/data/AccountChangeEvent");
        String id = raw.create("Account", Map.of("Name", "Acme", "Industry", "Energy"));
        raw.rest("PATCH", "/services/data/v64.0/sobjects/Account/" + id, Map.of("Industry", "Banking"));
        raw.rest("DELETE", "/services/data/v64.0/sobjects/Account/" + id, null);
        emulator.undelete(id);

        List<JsonNode> events = raw.receive(4, WAIT);

        assertThat(events).extracting(e -> header(e).path("changeType").asText())
                .containsExactly("CREATE", "UPDATE", "DELETE", "UNDELETE");
        assertThat(events).allSatisfy(e -> {
            assertThat(header(e).path("recordIds").get(0).asText()).isEqualTo(id);
            assertThat(header(e).path("entityName").asText()).isEqualTo("Account");
        });
        assertThat(events).extracting(e -> header(e).path("commitNumber").asLong()).isSorted()
                .doesNotHaveDuplicates();

        JsonNode created = events.get(0).path("data").path("payload");
        assertThat(created.path("Name").asText()).isEqualTo("Acme");
        assertThat(created.path("CreatedDate").asText()).matches(CDC_DATE);
        assertThat(created.path("LastModifiedDate").asText()).matches(CDC_DATE);

        JsonNode updated = events.get(1).path("data").path("payload");
        assertThat(updated.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("ChangeEventHeader", "Industry", "LastModifiedDate");
        assertThat(updated.path("Industry").asText()).isEqualTo("Banking");
        assertThat(updated.path("LastModifiedDate").asText()).matches(CDC_DATE);
        assertThat(header(events.get(1)).path("changedFields")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("Industry", "LastModifiedDate");

        assertThat(events.get(2).path("data").path("payload").fieldNames()).toIterable()
                .containsExactly("ChangeEventHeader");

        JsonNode undeleted = events.get(3).path("data").path("payload");
        assertThat(undeleted.path("Name").asText()).isEqualTo("Acme");
        assertThat(undeleted.path("Industry").asText()).isEqualTo("Banking");
    }

    @Test
    void updateThatNullsAFieldListsItInNulledFields() {
        subscribe("/data/AccountChangeEvent");
        String id = raw.create("Account", Map.of("Name", "Acme", "Industry", "Energy"));
        Map<String, Object> nulled = new HashMap<>();
        nulled.put("Industry", null);
        raw.rest("PATCH", "/services/data/v64.0/sobjects/Account/" + id, nulled);

        JsonNode update = raw.receive(2, WAIT).get(1);

        assertThat(header(update).path("nulledFields")).extracting(JsonNode::asText).containsExactly("Industry");
        assertThat(update.path("data").path("payload").has("Industry")).isTrue();
        assertThat(update.path("data").path("payload").path("Industry").isNull()).isTrue();
    }

    @Test
    void everyChangeEventAlsoGoesToTheChangeEventsChannel() {
        subscribe("/data/ChangeEvents");
        raw.create("Account", Map.of("Name", "Acme"));
        raw.create("Employee__c", Map.of("Name", "Ann"));

        List<JsonNode> events = raw.receive(2, WAIT);

        assertThat(events).extracting(e -> e.path("channel").asText()).containsOnly("/data/ChangeEvents");
        assertThat(events).extracting(e -> header(e).path("entityName").asText())
                .containsExactly("Account", "Employee__c");
    }

    @Test
    void customObjectChangeEventsUseTheDoubleUnderscoreChannel() {
        subscribe("/data/Employee__ChangeEvent");
        raw.create("Employee__c", Map.of("Name", "Ann"));

        JsonNode event = raw.receive(1, WAIT).get(0);

        assertThat(event.path("channel").asText()).isEqualTo("/data/Employee__ChangeEvent");
        assertThat(header(event).path("entityName").asText()).isEqualTo("Employee__c");
    }

    @Test
    void typesWithoutChangeDataCaptureHaveNoChannel() {
        JsonNode reply = raw.subscribeFrom("/data/ContactChangeEvent", -1);
        assertThat(reply.path("successful").asBoolean()).isFalse();
        assertThat(reply.path("error").asText()).isEqualTo(
                "400::The channel you requested to subscribe to doesn't exist {/data/ContactChangeEvent}");
    }
}
