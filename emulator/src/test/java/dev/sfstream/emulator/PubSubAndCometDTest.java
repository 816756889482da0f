package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One log, two encodings: a record change and a platform event reach a CometD subscriber and a gRPC subscriber as the
 * same event, at the same replay position, with the same fields; a change event's field lists over CometD are what
 * its bitmaps over gRPC decode to, for plain and compound fields.
 */
class PubSubAndCometDTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    Emulator emulator;
    PubSubTestClient grpc;
    RawHttp cometd;

    @BeforeEach
    void start() {
        emulator = FastOrg.fast().platformEvent("Order_Placed__e", "Order_Number__c", "Amount__c")
                .pubSub(PubSubSettings.defaults().plaintext(true).keepaliveInterval(Duration.ofMillis(200))).build()
                .start();
        grpc = PubSubTestClient.loggedIn(emulator);
        cometd = new RawHttp(emulator.url());
        cometd.login();
        cometd.connected();
    }

    @AfterEach
    void stop() {
        grpc.close();
        emulator.close();
    }

    @Test
    void aPlatformEventReachesBothSubscribersAsTheSameEvent() throws Exception {
        cometd.subscribe("/event/Order_Placed__e", -1);
        PubSubTestClient.Stream stream = grpc.subscribe("/event/Order_Placed__e", ReplayPreset.LATEST, 10);
        stream.next(WAIT); // the stream is open: a keepalive would come, or the event
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-42", "Amount__c", 99.5));

        JsonNode message = cometd.receive(1, WAIT).get(0).path("data");
        ConsumerEvent event = stream.nextWithEvents(WAIT).getEvents(0);
        GenericRecord record = grpc.decode(event);
        assertThat(PubSubTestClient.replayId(event.getReplayId()))
                .isEqualTo(message.path("event").path("replayId").asLong());
        assertThat(event.getEvent().getId()).isEqualTo(message.path("event").path("EventUuid").asText());
        JsonNode payload = message.path("payload");
        assertThat(record.get("Order_Number__c").toString()).isEqualTo(payload.path("Order_Number__c").asText());
        assertThat(record.get("Amount__c")).isEqualTo(payload.path("Amount__c").asDouble());
        assertThat(record.get("CreatedById").toString()).isEqualTo(payload.path("CreatedById").asText());
        assertThat(Instant.ofEpochMilli((Long) record.get("CreatedDate")))
                .isEqualTo(Instant.parse(payload.path("CreatedDate").asText()));
    }

    @Test
    void aRecordChangeReachesBothSubscribersWithFieldListsEqualToTheDecodedBitmaps() throws Exception {
        cometd.subscribe("/data/ContactChangeEvent", -1);
        PubSubTestClient.Stream stream = grpc.subscribe("/data/ContactChangeEvent", ReplayPreset.LATEST, 10);
        stream.next(WAIT);
        String id = emulator.create("Contact", Map.of("FirstName", "Ada", "LastName", "Lovelace",
                "MailingCity", "London", "Phone", "555-0100", "Title", "Countess"));
        emulator.update("Contact", id, Map.of("FirstName", "Augusta", "MailingCity", "Paris", "Phone", "",
                "Department", "Mathematics"));

        List<JsonNode> messages = cometd.receive(2, WAIT);
        List<ConsumerEvent> events = new ArrayList<>();
        while (events.size() < 2) {
            events.addAll(stream.nextWithEvents(WAIT).getEventsList());
        }
        for (int i = 0; i < 2; i++) {
            JsonNode data = messages.get(i).path("data");
            ConsumerEvent event = events.get(i);
            assertThat(PubSubTestClient.replayId(event.getReplayId()))
                    .isEqualTo(data.path("event").path("replayId").asLong());
            Schema schema = grpc.schema(event.getEvent().getSchemaId());
            GenericRecord record = grpc.decode(event);
            GenericRecord header = (GenericRecord) record.get("ChangeEventHeader");
            JsonNode cometHeader = data.path("payload").path("ChangeEventHeader");
            assertThat(header.get("changeType").toString()).isEqualTo(cometHeader.path("changeType").asText());
            assertThat(header.get("commitNumber")).isEqualTo(cometHeader.path("commitNumber").asLong());
            assertThat(((List<?>) header.get("recordIds")).get(0).toString()).isEqualTo(id);
            for (String list : List.of("changedFields", "nulledFields", "diffFields")) {
                List<String> names = new ArrayList<>();
                cometHeader.path(list).forEach(n -> names.add(n.asText()));
                assertThat(BitmapDecoder.decode(schema, (List<?>) header.get(list))).as(list)
                        .containsExactlyInAnyOrderElementsOf(names);
            }
        }
        JsonNode update = messages.get(1).path("data").path("payload");
        assertThat(update.path("ChangeEventHeader").path("changedFields")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("Name.FirstName", "MailingAddress.City", "Phone", "Department",
                        "LastModifiedDate");
        assertThat(update.path("ChangeEventHeader").path("nulledFields")).extracting(JsonNode::asText)
                .containsExactly("Phone");
        assertThat(update.path("Name").path("FirstName").asText()).isEqualTo("Augusta");
        GenericRecord updated = grpc.decode(events.get(1));
        assertThat(((GenericRecord) updated.get("Name")).get("FirstName").toString()).isEqualTo("Augusta");
        assertThat(((GenericRecord) updated.get("MailingAddress")).get("City").toString()).isEqualTo("Paris");
        assertThat(updated.get("Department").toString()).isEqualTo("Mathematics");
        assertThat(updated.get("Title")).as("unchanged fields are null").isNull();
    }

    @Test
    void aPlainFieldChangeOnAnAccountDecodesToTheSameNames() throws Exception {
        cometd.subscribe("/data/ChangeEvents", -1);
        PubSubTestClient.Stream stream = grpc.subscribe("/data/ChangeEvents", ReplayPreset.LATEST, 10);
        stream.next(WAIT);
        String id = emulator.create("Account", Map.of("Name", "Acme", "Industry", "Energy", "BillingCity", "Oslo",
                "BillingCountry", "Norway"));
        emulator.update("Account", id, Map.of("Industry", "", "BillingState", "Oslo", "NumberOfEmployees", 12));

        JsonNode update = cometd.receive(2, WAIT).get(1).path("data");
        ConsumerEvent event = null;
        int seen = 0;
        while (seen < 2) {
            List<ConsumerEvent> batch = stream.nextWithEvents(WAIT).getEventsList();
            seen += batch.size();
            event = batch.get(batch.size() - 1);
        }
        GenericRecord header = (GenericRecord) grpc.decode(event).get("ChangeEventHeader");
        Schema schema = grpc.schema(event.getEvent().getSchemaId());
        assertThat(BitmapDecoder.decode(schema, (List<?>) header.get("changedFields")))
                .containsExactlyInAnyOrder("Industry", "BillingAddress.State", "NumberOfEmployees", "LastModifiedDate");
        assertThat(BitmapDecoder.decode(schema, (List<?>) header.get("nulledFields"))).containsExactly("Industry");
        assertThat(update.path("payload").path("ChangeEventHeader").path("changedFields")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("Industry", "BillingAddress.State", "NumberOfEmployees",
                        "LastModifiedDate");
        assertThat((List<?>) header.get("changedFields")).first().asString().startsWith("0x");
    }
}
