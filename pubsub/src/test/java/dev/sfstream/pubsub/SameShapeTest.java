package dev.sfstream.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.ChangeEventHeader;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An event reaches a client on the Pub/Sub API in the JSON the Streaming API delivers for it: the same payload, the
 * same replay ID, the same header with the field lists decoded from their bitmaps (compound fields included), so that
 * the typed views and users' code do not care which transport brought it. The Avro record stays reachable.
 */
class SameShapeTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    Emulator emulator;
    StreamingClient cometd;
    StreamingClient pubsub;

    @BeforeEach
    void start() {
        emulator = PubSubFixture.emulator().build().start();
        cometd = StreamingClient.builder().authenticator(PubSubFixture.auth(emulator)).build().open();
        pubsub = PubSubFixture.client(emulator).build().open();
    }

    @AfterEach
    void stop() {
        pubsub.close();
        cometd.close();
        emulator.close();
    }

    private static StreamingEvent next(StreamingClient client) {
        return client.receive(WAIT).orElseThrow(() -> new AssertionError("no event within " + WAIT));
    }

    @Test
    void aPlatformEventHasTheStreamingApisShape() {
        cometd.subscribe("/event/Order_Placed__e");
        pubsub.subscribe("/event/Order_Placed__e");
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-42", "Amount__c", 99.5));

        StreamingEvent viaCometd = next(cometd);
        StreamingEvent viaPubSub = next(pubsub);
        assertThat(withoutSchemaId(viaPubSub.json())).isEqualTo(withoutSchemaId(viaCometd.json()));
        assertThat(viaPubSub.replayId()).isEqualTo(viaCometd.replayId());
        assertThat(viaPubSub.createdDate()).isEqualTo(viaCometd.createdDate());
        assertThat(viaPubSub.position()).get().satisfies(p -> assertThat(p.isBytes()).isTrue());
        assertThat(viaPubSub.platformEvent()).get().satisfies(p -> {
            assertThat(p.payload().path("Order_Number__c").asText()).isEqualTo("O-42");
            assertThat(p.eventUuid()).isEqualTo(viaCometd.platformEvent().orElseThrow().eventUuid());
            assertThat(p.schema()).isNotBlank();
        });
    }

    @Test
    void aChangeEventHasTheStreamingApisShapeWithFieldListsDecodedFromBitmaps() {
        cometd.subscribe("/data/ContactChangeEvent");
        pubsub.subscribe("/data/ContactChangeEvent");
        String id = emulator.create("Contact", Map.of("FirstName", "Ada", "LastName", "Lovelace",
                "MailingCity", "London", "Phone", "555-0100", "Title", "Countess"));
        emulator.update("Contact", id, Map.of("FirstName", "Augusta", "MailingCity", "Paris", "Phone", "",
                "Department", "Mathematics"));

        for (int i = 0; i < 2; i++) {
            StreamingEvent viaCometd = next(cometd);
            StreamingEvent viaPubSub = next(pubsub);
            assertThat(normalized(viaPubSub.json())).isEqualTo(normalized(viaCometd.json()));
            ChangeEventHeader a = viaPubSub.changeEvent().orElseThrow().header();
            ChangeEventHeader b = viaCometd.changeEvent().orElseThrow().header();
            assertThat(a.changeType()).isEqualTo(b.changeType());
            assertThat(a.changedFields()).containsExactlyInAnyOrderElementsOf(b.changedFields());
            assertThat(a.nulledFields()).containsExactlyInAnyOrderElementsOf(b.nulledFields());
            assertThat(viaPubSub.createdDate()).isEqualTo(viaCometd.createdDate());
        }
    }

    @Test
    void anAccountUpdateNamesItsCompoundAndPlainFields() {
        pubsub.subscribe("/data/AccountChangeEvent");
        String id = emulator.create("Account", Map.of("Name", "Acme", "Industry", "Energy", "BillingCity", "Oslo"));
        emulator.update("Account", id, Map.of("Industry", "", "BillingState", "Oslo", "NumberOfEmployees", 12));
        next(pubsub);
        StreamingEvent update = next(pubsub);
        ChangeEventHeader h = update.changeEvent().orElseThrow().header();
        assertThat(h.changedFields()).containsExactlyInAnyOrder("Industry", "BillingAddress.State",
                "NumberOfEmployees", "LastModifiedDate");
        assertThat(h.nulledFields()).containsExactly("Industry");
        JsonNode payload = update.changeEvent().orElseThrow().payload();
        assertThat(payload.path("BillingAddress").path("State").asText()).isEqualTo("Oslo");
        assertThat(payload.path("BillingAddress").has("City")).as("an unchanged component is left out").isFalse();
        assertThat(payload.has("Industry")).isTrue();
        assertThat(payload.get("Industry").isNull()).isTrue();
        assertThat(payload.has("Name")).as("an unchanged field is left out").isFalse();
    }

    @Test
    void theAvroRecordStaysReachable() {
        pubsub.subscribe("/data/AccountChangeEvent");
        emulator.create("Account", Map.of("Name", "Acme"));
        StreamingEvent event = next(pubsub);
        GenericRecord record = PubSubEvents.avroRecord(event).orElseThrow();
        assertThat(record.get("Name").toString()).isEqualTo("Acme");
        GenericRecord header = (GenericRecord) record.get("ChangeEventHeader");
        assertThat(header.get("changeType").toString()).isEqualTo("CREATE");
        assertThat(PubSubEvents.schema(event)).get().extracting(s -> s.getName()).isEqualTo("AccountChangeEvent");
        assertThat(PubSubEvents.eventId(event)).isPresent();
        assertThat(PubSubEvents.isPubSub(event)).isTrue();

        cometd.subscribe("/data/AccountChangeEvent");
        emulator.create("Account", Map.of("Name", "Other"));
        StreamingEvent overCometd = next(cometd);
        assertThat(PubSubEvents.avroRecord(overCometd)).isEmpty();
        next(pubsub);
    }

    @Test
    void pushTopicsAndGenericChannelsAreRefusedAtSubscribeSayingWhereTheyExist() {
        for (String channel : List.of("/topic/LeadUpdates", "/u/Notifications")) {
            assertThatThrownBy(() -> pubsub.subscribe(channel)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(channel).hasMessageContaining("exist only on the Streaming API");
        }
        assertThat(pubsub.subscriptions()).isEmpty();
    }

    @Test
    void theTransportIsFoundByName() {
        Transport named = Transport.named("pubsub");
        assertThat(named).isSameAs(PubSubTransport.defaults());
        assertThat(named.name()).isEqualTo("pubsub");
        assertThat(PubSubTransport.defaults().endpoint()).isEqualTo("api.pubsub.salesforce.com:7443");
    }

    /** The message without its schema ID: the emulator's Streaming API names schemas its own way. */
    static JsonNode withoutSchemaId(JsonNode message) {
        ObjectNode copy = message.deepCopy();
        ((ObjectNode) copy.path("data")).remove("schema");
        return copy;
    }

    /** Without the schema ID, field lists in name order, and without the header's isTransactionEnd (CometD only). */
    static JsonNode normalized(JsonNode message) {
        ObjectNode copy = (ObjectNode) withoutSchemaId(message);
        ObjectNode header = (ObjectNode) copy.path("data").path("payload").path("ChangeEventHeader");
        header.remove("isTransactionEnd");
        for (String list : List.of("changedFields", "nulledFields", "diffFields")) {
            List<String> names = new ArrayList<>();
            header.path(list).forEach(n -> names.add(n.asText()));
            names.sort(Comparator.naturalOrder());
            var array = header.putArray(list);
            names.forEach(array::add);
        }
        return copy;
    }
}
