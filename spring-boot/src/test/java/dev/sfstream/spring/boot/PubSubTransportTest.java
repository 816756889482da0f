package dev.sfstream.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.service.HandleSObjectNotification;
import dev.sfstream.service.Subscribe;
import dev.sfstream.service.StreamingService;
import dev.sfstream.spring.boot.test.AutoConfigureSfstreamEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

/**
 * {@code sfstream.transport=pubsub} with module sfstream-pubsub: platform events come through the Pub/Sub API (here
 * the emulator's, which the development service points the transport at), PushTopics still through the Streaming
 * API, to the same handler beans.
 */
@SpringBootTest(classes = PubSubTransportTest.App.class, properties = {"sfstream.transport=pubsub",
    "sfstream.emulator.platform-events.Order_Placed__e=Order_Number__c"})
@AutoConfigureSfstreamEmulator
class PubSubTransportTest {
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Handlers.class)
    static class App {
    }

    @Component
    static class Handlers {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Subscribe("/event/Order_Placed__e")
        void onOrder(String channel, StreamingEvent event) {
            seen.add("order " + event.platformEvent().orElseThrow().payload().path("Order_Number__c").asText());
        }

        @HandleSObjectNotification(sobjectType = "Lead", fields = "LastName")
        void onLead(String sobjectType, String recordType, JsonNode notification) {
            seen.add("lead " + notification.path("sobject").path("LastName").asText());
        }
    }

    @Autowired
    Emulator emulator;
    @Autowired
    Handlers handlers;
    @Autowired
    StreamingServiceLifecycle lifecycle;

    @Test
    void platformEventsComeThroughThePubSubApiAndPushTopicsThroughTheStreamingApi() {
        StreamingService service = lifecycle.service().orElseThrow();
        StreamingClient pubSub = service.pubSubClient().orElseThrow();
        assertThat(pubSub.transport().name()).isEqualTo("pubsub");
        assertThat(pubSub.subscriptions()).containsExactly("/event/Order_Placed__e");
        assertThat(service.client().transport().name()).isEqualTo("bayeux");

        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "O-42"));
        emulator.create("Lead", Map.of("LastName", "Doe", "Company", "Acme"));
        await().atMost(Duration.ofSeconds(30)).until(() -> handlers.seen.size() == 2);
        assertThat(handlers.seen).containsExactlyInAnyOrder("order O-42", "lead Doe");
    }
}
