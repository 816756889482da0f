package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import com.salesforce.eventbus.protobuf.TopicRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema IDs follow an event type's fields: a field added makes a new ID, and each event keeps the ID it had. */
class PubSubSchemaTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    private static Emulator.Builder org() {
        return FastOrg.fast().pubSub(PubSubSettings.defaults().plaintext(true)
                .keepaliveInterval(Duration.ofMillis(200)));
    }

    private static List<ConsumerEvent> earliest(PubSubTestClient client, String topic, int count) throws Exception {
        PubSubTestClient.Stream stream = client.subscribe(topic, ReplayPreset.EARLIEST, 100);
        List<ConsumerEvent> events = new ArrayList<>();
        while (events.size() < count) {
            events.addAll(stream.nextWithEvents(WAIT).getEventsList());
        }
        stream.cancel();
        return events;
    }

    @Test
    void aNewFieldOnAnUndeclaredEventMakesANewSchemaAndEarlierEventsKeepTheirs() throws Exception {
        try (Emulator emulator = org().build().start(); PubSubTestClient client = PubSubTestClient.loggedIn(emulator)) {
            emulator.publishEvent("Free_Form__e", Map.of("A__c", "one"));
            emulator.publishEvent("Free_Form__e", Map.of("A__c", "two"));
            emulator.publishEvent("Free_Form__e", Map.of("A__c", "three", "B__c", 3));
            List<ConsumerEvent> events = earliest(client, "/event/Free_Form__e", 3);
            String first = events.get(0).getEvent().getSchemaId();
            assertThat(events.get(1).getEvent().getSchemaId()).isEqualTo(first);
            String grown = events.get(2).getEvent().getSchemaId();
            assertThat(grown).isNotEqualTo(first);
            assertThat(client.schema(first).getField("B__c")).isNull();
            assertThat(client.decode(events.get(2)).get("B__c")).isEqualTo(3.0);
            assertThat(client.blocking().getTopic(TopicRequest.newBuilder().setTopicName("/event/Free_Form__e")
                    .build()).getSchemaId()).isEqualTo(grown);
        }
    }

    @Test
    void aFieldAddedToADeclaredEventAcrossARestartMakesANewSchemaWhileRetainedEventsKeepTheirs(@TempDir Path dir)
            throws Exception {
        Path data = dir.resolve("org.json");
        String before;
        try (Emulator emulator = org().dataFile(data).platformEvent("Order__e", "Number__c").build().start();
             PubSubTestClient client = PubSubTestClient.loggedIn(emulator)) {
            emulator.publishEvent("Order__e", Map.of("Number__c", "N-1"));
            before = earliest(client, "/event/Order__e", 1).get(0).getEvent().getSchemaId();
        }
        try (Emulator emulator = org().dataFile(data).platformEvent("Order__e", "Number__c", "Region__c").build()
                .start(); PubSubTestClient client = PubSubTestClient.loggedIn(emulator)) {
            emulator.publishEvent("Order__e", Map.of("Number__c", "N-2", "Region__c", "EMEA"));
            List<ConsumerEvent> events = earliest(client, "/event/Order__e", 2);
            assertThat(events.get(0).getEvent().getSchemaId()).as("the retained event keeps its schema")
                    .isEqualTo(before);
            assertThat(client.decode(events.get(0)).get("Number__c").toString()).isEqualTo("N-1");
            assertThat(events.get(1).getEvent().getSchemaId()).isNotEqualTo(before);
            assertThat(client.decode(events.get(1)).get("Region__c").toString()).isEqualTo("EMEA");
        }
    }
}
