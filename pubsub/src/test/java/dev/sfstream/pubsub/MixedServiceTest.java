package dev.sfstream.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.service.HandleSObjectNotification;
import dev.sfstream.service.StreamingService;
import dev.sfstream.service.Subscribe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One {@link StreamingService} over both transports: a PushTopic handler on the Streaming API and a Change Data
 * Capture handler on the Pub/Sub API, both fed by the same record changes.
 */
class MixedServiceTest {
    Emulator emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    /** What each transport brought: the PushTopic notifications and the change events of Lead. */
    static final class Handlers {
        final List<String> pushTopic = new CopyOnWriteArrayList<>();
        final List<String> changeEvents = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @HandleSObjectNotification(sobjectType = "Lead")
        void onLead(String sobjectType, String recordType, JsonNode notification) {
            pushTopic.add(notification.path("event").path("type").asText() + " "
                    + notification.path("sobject").path("Id").asText());
        }

        @Subscribe("/data/LeadChangeEvent")
        void onLeadChange(String channel, StreamingEvent event) {
            var header = event.changeEvent().orElseThrow().header();
            changeEvents.add(header.changeType() + " " + String.join(",", header.recordIds()) + " "
                    + header.changedFields());
        }
    }

    @Test
    void aPushTopicHandlerOnCometDAndAChangeEventHandlerOnPubSubGetTheSameRecordChanges() {
        emulator = PubSubFixture.emulator().changeDataCapture("Lead").build().start();
        Handlers handlers = new Handlers();
        StreamingClient cometd = StreamingClient.builder().authenticator(PubSubFixture.auth(emulator)).build();
        StreamingClient pubSub = PubSubFixture.client(emulator).build();
        try (StreamingService service = StreamingService.builder().client(cometd).pubSubClient(pubSub)
                .handlers(handlers).build()) {
            service.start();
            assertThat(pubSub.subscriptions()).containsExactly("/data/LeadChangeEvent");
            assertThat(cometd.subscriptions()).allMatch(c -> c.startsWith("/topic/"));
            String lead = emulator.create("Lead", Map.of("LastName", "Doe", "Company", "Acme"));
            emulator.update("Lead", lead, Map.of("Company", "Acme Labs"));
            await().atMost(Duration.ofSeconds(15)).until(() -> handlers.pushTopic.size() == 2
                    && handlers.changeEvents.size() == 2);
            assertThat(handlers.pushTopic).containsExactly("created " + lead, "updated " + lead);
            assertThat(handlers.changeEvents).hasSize(2);
            assertThat(handlers.changeEvents.get(0)).startsWith("CREATE " + lead);
            assertThat(handlers.changeEvents.get(1)).startsWith("UPDATE " + lead).contains("Company");
        }
    }
}
