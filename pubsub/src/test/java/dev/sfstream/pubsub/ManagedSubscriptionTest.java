package dev.sfstream.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.emulator.Emulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Managed subscriptions: consumed by developer name, committed to Salesforce after processing (the server is the
 * store), resumed there by the next process, and the "already active" refusal retried until the other stream ends.
 */
class ManagedSubscriptionTest {
    static final String CHANNEL = "/event/Seq__e";
    static final Duration WAIT = Duration.ofSeconds(15);

    Emulator emulator;
    PubSubTransport transport;
    final List<StreamingClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        emulator = PubSubFixture.emulator().build().start();
        emulator.create("ManagedEventSubscription", Map.of("DeveloperName", "Seq_Sync", "Metadata", Map.of(
                "topicName", CHANNEL, "defaultReplay", "EARLIEST", "errorRecoveryReplay", "LATEST", "state", "RUN")));
        transport = PubSubFixture.transport(emulator).managedSubscription(CHANNEL, "Seq_Sync").build();
    }

    @AfterEach
    void stop() {
        clients.forEach(StreamingClient::close);
        emulator.close();
    }

    private StreamingClient client() {
        StreamingClient c = PubSubFixture.client(emulator, transport).replayStore(transport.serverCommits()).build();
        clients.add(c);
        return c.open();
    }

    private void publish(int seq) {
        emulator.publishEvent("Seq__e", Map.of("Seq__c", seq));
    }

    private static int seq(StreamingEvent e) {
        return e.platformEvent().orElseThrow().payload().path("Seq__c").asInt();
    }

    private static int next(StreamingClient c) {
        return seq(c.receive(WAIT).orElseThrow(() -> new AssertionError("no event within " + WAIT)));
    }

    @Test
    void theNextProcessResumesAfterWhatTheLastOneCommittedToTheServer() {
        for (int i = 1; i <= 4; i++) {
            publish(i);
        }
        StreamingClient first = client();
        first.subscribe(CHANNEL);
        assertThat(next(first)).as("the subscription's defaultReplay is EARLIEST").isEqualTo(1);
        assertThat(next(first)).isEqualTo(2); // asking for 2 committed 1
        StreamingEvent three = first.receive(WAIT).orElseThrow();
        first.commit(three); // 2 is finished too: 3 is committed
        first.close();

        StreamingClient second = client();
        second.subscribe(CHANNEL);
        assertThat(next(second)).isEqualTo(4);
        assertThat(second.receive(Duration.ofMillis(300))).isEmpty();
    }

    @Test
    void aSecondConsumerIsRefusedAsAlreadyActiveAndRetriesUntilTheFirstStops() throws Exception {
        StreamingClient first = client();
        first.subscribe(CHANNEL);
        StreamingClient second = client();
        CompletableFuture<Void> subscribed = CompletableFuture.runAsync(() -> second.subscribe(CHANNEL));
        assertThat(subscribed).as("refused while the first is active").isNotCompleted();
        publish(1);
        StreamingEvent one = first.receive(WAIT).orElseThrow();
        assertThat(seq(one)).isEqualTo(1);
        first.commit(one);
        first.close();
        subscribed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        publish(2);
        assertThat(next(second)).as("after what the first committed").isEqualTo(2);
    }

    @Test
    void resumesAfterAResetWithoutDuplicates() {
        StreamingClient c = client();
        c.subscribe(CHANNEL);
        publish(1);
        assertThat(next(c)).isEqualTo(1);
        emulator.pubSub().resetStreams();
        publish(2);
        assertThat(next(c)).isEqualTo(2);
        assertThat(c.receive(Duration.ofMillis(300))).isEmpty();
    }

    @Test
    void aClientWhoseStoreIsNotTheServerIsToldHowToFixIt() {
        StreamingClient wrong = PubSubFixture.client(emulator, transport).build();
        clients.add(wrong);
        wrong.open();
        assertThatThrownBy(() -> wrong.subscribe(CHANNEL)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Seq_Sync").hasMessageContaining("serverCommits()");
    }
}
