package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which record changes a PushTopic notifies, as a table: NotifyForFields (All, Referenced, Select, Where) by
 * operation, for {@code SELECT Id, Name FROM Account WHERE Industry = 'Energy'}. The rules the cells follow, from
 * Salesforce's "Event Notification Rules" and its NotifyForFields pages:
 * <ul>
 *   <li>the record must match WHERE for any notification (after the change; before it, for a delete);</li>
 *   <li>create, delete and undelete notify whenever WHERE matches, whatever NotifyForFields says;</li>
 *   <li>an update notifies for All on any field change, for Referenced on a SELECT or WHERE field, for Select on a
 *       SELECT field, for Where on a WHERE field;</li>
 *   <li>each NotifyForOperationX must be true for operation X.</li>
 * </ul>
 *
 * <p>Absence is proven without waiting: after the operation under test, a Contact is created, which a second topic
 * in the same session always notifies. Events arrive in commit order, so when the marker arrives, anything the
 * operation caused has arrived before it.
 */
class NotifyForFieldsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String QUERY = "SELECT Id, Name FROM Account WHERE Industry = 'Energy'";
    private static final AtomicInteger TOPICS = new AtomicInteger();

    static Emulator emulator;
    static RawHttp rest;

    @BeforeAll
    static void start() {
        emulator = FastOrg.fast().concurrentClientLimit(200).build().start();
        rest = new RawHttp(emulator.url());
        rest.login();
        rest.create("PushTopic", Map.of("Name", "Marker", "ApiVersion", 64.0,
                "Query", "SELECT Id, LastName FROM Contact"));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    /** The operations of the table, with the state of the record they start from. */
    enum Operation {
        CREATE_MATCHING,
        CREATE_NOT_MATCHING,
        UPDATE_SELECT_FIELD,
        UPDATE_WHERE_FIELD_INTO_MATCH,
        UPDATE_WHERE_FIELD_OUT_OF_MATCH,
        UPDATE_UNRELATED_FIELD,
        DELETE_MATCHING,
        DELETE_NOT_MATCHING,
        UNDELETE_MATCHING
    }

    /** Before the topic is subscribed: bring a record to the state the operation starts from. */
    private static String prepare(Operation operation) {
        return switch (operation) {
            case CREATE_MATCHING, CREATE_NOT_MATCHING -> null;
            case UPDATE_WHERE_FIELD_INTO_MATCH, DELETE_NOT_MATCHING ->
                    rest.create("Account", Map.of("Name", "Globex", "Industry", "Banking", "Phone", "555-0100"));
            case UNDELETE_MATCHING -> {
                String id = rest.create("Account", Map.of("Name", "Acme", "Industry", "Energy"));
                emulator.delete("Account", id);
                yield id;
            }
            default -> rest.create("Account", Map.of("Name", "Acme", "Industry", "Energy", "Phone", "555-0100"));
        };
    }

    /** The change under test, over REST as a client would make it (an undelete through the fault endpoint). */
    private static void perform(Operation operation, String id) {
        String url = "/services/data/v64.0/sobjects/Account/" + id;
        if (operation == Operation.UNDELETE_MATCHING) {
            assertThat(rest.post("/emulator/undelete/" + id, "application/json", "", null).statusCode())
                    .isEqualTo(200);
            return;
        }
        JsonNode r = switch (operation) {
            case CREATE_MATCHING -> rest.rest("POST", "/services/data/v64.0/sobjects/Account",
                    Map.of("Name", "Acme", "Industry", "Energy"));
            case CREATE_NOT_MATCHING -> rest.rest("POST", "/services/data/v64.0/sobjects/Account",
                    Map.of("Name", "Globex", "Industry", "Banking"));
            case UPDATE_SELECT_FIELD -> rest.rest("PATCH", url, Map.of("Name", "Acme Renamed"));
            case UPDATE_WHERE_FIELD_INTO_MATCH -> rest.rest("PATCH", url, Map.of("Industry", "Energy"));
            case UPDATE_WHERE_FIELD_OUT_OF_MATCH -> rest.rest("PATCH", url, Map.of("Industry", "Banking"));
            case UPDATE_UNRELATED_FIELD -> rest.rest("PATCH", url, Map.of("Phone", "555-0199"));
            case DELETE_MATCHING, DELETE_NOT_MATCHING -> rest.rest("DELETE", url, null);
            case UNDELETE_MATCHING -> throw new IllegalStateException("handled above");
        };
        assertThat(r.path("status").asInt()).as(r.toString()).isIn(201, 204);
    }

    /** The event type a notification for the operation carries. */
    private static String eventType(Operation operation) {
        return switch (operation) {
            case CREATE_MATCHING, CREATE_NOT_MATCHING -> "created";
            case DELETE_MATCHING, DELETE_NOT_MATCHING -> "deleted";
            case UNDELETE_MATCHING -> "undeleted";
            default -> "updated";
        };
    }

    static Stream<Arguments> table() {
        // operation                          All    Referenced Select Where
        Object[][] rows = {
            {Operation.CREATE_MATCHING,                 true,  true,  true,  true},
            {Operation.CREATE_NOT_MATCHING,             false, false, false, false},
            {Operation.UPDATE_SELECT_FIELD,             true,  true,  true,  false},
            {Operation.UPDATE_WHERE_FIELD_INTO_MATCH,   true,  true,  false, true},
            {Operation.UPDATE_WHERE_FIELD_OUT_OF_MATCH, false, false, false, false},
            {Operation.UPDATE_UNRELATED_FIELD,          true,  false, false, false},
            {Operation.DELETE_MATCHING,                 true,  true,  true,  true},
            {Operation.DELETE_NOT_MATCHING,             false, false, false, false},
            {Operation.UNDELETE_MATCHING,               true,  true,  true,  true},
        };
        String[] modes = {"All", "Referenced", "Select", "Where"};
        Stream.Builder<Arguments> cells = Stream.builder();
        for (Object[] row : rows) {
            for (int m = 0; m < modes.length; m++) {
                cells.add(Arguments.of(modes[m], row[0], row[m + 1]));
            }
        }
        return cells.build();
    }

    @ParameterizedTest(name = "NotifyForFields={0}, {1} -> notified={2}")
    @MethodSource("table")
    void notifiesAccordingToNotifyForFieldsAndTheWhereClause(String mode, Operation operation, boolean notified) {
        String topic = "Nff" + TOPICS.incrementAndGet();
        rest.create("PushTopic", Map.of("Name", topic, "ApiVersion", 64.0, "Query", QUERY,
                "NotifyForFields", mode));
        String id = prepare(operation);

        List<JsonNode> events = eventsCausedBy(topic, () -> perform(operation, id));

        if (notified) {
            assertThat(events).hasSize(1);
            JsonNode event = events.get(0);
            assertThat(event.path("data").path("event").path("type").asText()).isEqualTo(eventType(operation));
            assertThat(event.path("data").path("sobject").path("Id").asText()).startsWith("001");
        } else {
            assertThat(events).isEmpty();
        }
    }

    @ParameterizedTest(name = "NotifyForOperation{0}=false")
    @EnumSource(names = {"Create", "Update", "Delete", "Undelete"}, value = Flag.class)
    void notifyForOperationFalseSuppressesOnlyThatOperation(Flag flag) {
        String topic = "Ops" + TOPICS.incrementAndGet();
        Map<String, Object> fields = new HashMap<>(Map.of("Name", topic, "ApiVersion", 64.0, "Query", QUERY,
                "NotifyForFields", "All"));
        fields.put("NotifyForOperation" + flag.name(), false);
        rest.create("PushTopic", fields);

        List<JsonNode> events = eventsCausedBy(topic, () -> {
            String id = rest.create("Account", Map.of("Name", "Acme", "Industry", "Energy"));
            rest.rest("PATCH", "/services/data/v64.0/sobjects/Account/" + id, Map.of("Name", "Acme Renamed"));
            rest.rest("DELETE", "/services/data/v64.0/sobjects/Account/" + id, null);
            rest.post("/emulator/undelete/" + id, "application/json", "", null);
        });

        List<String> expected = new ArrayList<>(List.of("created", "updated", "deleted", "undeleted"));
        expected.remove(flag.eventType);
        assertThat(events).extracting(e -> e.path("data").path("event").path("type").asText())
                .containsExactlyElementsOf(expected);
    }

    /** NotifyForOperation flags by their field-name suffix. */
    enum Flag {
        Create("created"), Update("updated"), Delete("deleted"), Undelete("undeleted");

        final String eventType;

        Flag(String eventType) {
            this.eventType = eventType;
        }
    }

    /**
     * Subscribes to {@code topic} (from now on) and to the marker topic, runs {@code change}, creates a marker
     * Contact, and returns the events {@code topic} received before the marker arrived.
     */
    private static List<JsonNode> eventsCausedBy(String topic, Runnable change) {
        RawHttp client = new RawHttp(emulator.url());
        client.token = rest.token;
        client.connected();
        try {
            for (String channel : List.of("/topic/" + topic, "/topic/Marker")) {
                JsonNode reply = client.subscribeFrom(channel, -1);
                assertThat(reply.path("successful").asBoolean()).as(reply.toString()).isTrue();
            }
            change.run();
            String marker = "Marker" + TOPICS.incrementAndGet();
            rest.create("Contact", Map.of("LastName", marker));
            List<JsonNode> received = client.receiveUntil(r -> r.stream().anyMatch(
                    m -> marker.equals(m.path("data").path("sobject").path("LastName").asText())), WAIT);
            return received.stream().filter(m -> m.path("channel").asText().equals("/topic/" + topic)).toList();
        } finally {
            client.disconnect();
        }
    }

}
