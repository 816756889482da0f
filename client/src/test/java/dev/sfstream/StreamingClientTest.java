package dev.sfstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

class StreamingClientTest {
    Emulator emulator;
    StreamingClient client;

    @BeforeEach
    void start() {
        emulator = EmulatorFixture.emulator().build().start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        emulator.close();
    }

    @Test
    void receivesPushTopicNotificationsInOrder() {
        EmulatorFixture.leadTopic(emulator, "LeadCreation");
        client = EmulatorFixture.client(emulator).build().open();
        client.subscribe("/topic/LeadCreation");
        String first = EmulatorFixture.lead(emulator, "One");
        String second = EmulatorFixture.lead(emulator, "Two");

        StreamingEvent a = client.receive(Duration.ofSeconds(10)).orElseThrow();
        StreamingEvent b = client.receive(Duration.ofSeconds(10)).orElseThrow();

        assertThat(a.channel()).isEqualTo("/topic/LeadCreation");
        assertThat(a.pushTopic()).get().satisfies(p -> {
            assertThat(p.type()).isEqualTo("created");
            assertThat(p.sobject().path("Id").asText()).isEqualTo(first);
            assertThat(p.sobject().path("LastName").asText()).isEqualTo("One");
        });
        assertThat(b.pushTopic().orElseThrow().sobject().path("Id").asText()).isEqualTo(second);
        assertThat(b.replayId()).isGreaterThan(a.replayId());
    }

    @Test
    void badCredentialsFailOpenWithSalesforcesErrorAndNoSecret() {
        CountingAuthenticator wrongPassword = new CountingAuthenticator(
                dev.sfstream.auth.PasswordAuthenticator.builder()
                        .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                        .username(Emulator.DEFAULT_USERNAME).password("wrong-password-123")
                        .loginUrl(emulator.url()).build());
        StreamingClient bad = StreamingClient.builder().authenticator(wrongPassword).build();
        assertThatThrownBy(bad::open).isInstanceOfSatisfying(AuthenticationException.class, e -> {
            assertThat(e.error()).isEqualTo("invalid_grant");
            assertThat(e.errorDescription()).isEqualTo("authentication failure");
            assertThat(e.getMessage()).doesNotContain("wrong-password-123");
        });
        // Fails at once: one token request, no retry loop and no backoff to sit through.
        assertThat(wrongPassword.tokens() + wrongPassword.renewals()).isEqualTo(1);
    }

    @Test
    void subscribeAndUnsubscribeGoOutWhileTheOneConnectIsHeld() throws Exception {
        emulator.close();
        emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(60)).build().start();
        EmulatorFixture.leadTopic(emulator, "First");
        EmulatorFixture.leadTopic(emulator, "Second");
        client = EmulatorFixture.client(emulator).build().open();
        client.subscribe("/topic/First");
        await().atMost(Duration.ofSeconds(10)).until(() -> heldConnects() == 1);
        long connects = connectsReceived();

        // Each call is answered while the long poll waits (60 s): bounded at 10 s so that waiting for it would fail.
        CompletableFuture.runAsync(() -> client.subscribe("/topic/Second")).get(10, TimeUnit.SECONDS);
        CompletableFuture.runAsync(() -> client.unsubscribe("/topic/First")).get(10, TimeUnit.SECONDS);

        assertThat(connectsReceived()).as("no second /meta/connect").isEqualTo(connects);
        assertThat(heldConnects()).isEqualTo(1);
        assertThat(client.subscriptions()).containsExactly("/topic/Second");
        EmulatorFixture.lead(emulator, "Both");
        StreamingEvent event = client.receive(Duration.ofSeconds(10)).orElseThrow();
        assertThat(event.channel()).isEqualTo("/topic/Second");
        assertThat(client.receive(Duration.ofMillis(300))).isEmpty();
    }

    private int heldConnects() {
        return ((Number) emulator.status().get("heldConnects")).intValue();
    }

    private long connectsReceived() {
        return ((Number) emulator.status().get("connectsReceived")).longValue();
    }

    @Test
    void unknownChannelIsASubscriptionExceptionNamingIt() {
        client = EmulatorFixture.client(emulator).build().open();
        assertThatThrownBy(() -> client.subscribe("/topic/DoesNotExist"))
                .isInstanceOfSatisfying(SubscriptionException.class, e -> {
                    assertThat(e.channel()).isEqualTo("/topic/DoesNotExist");
                    assertThat(e.getMessage()).contains("/topic/DoesNotExist").contains("400::");
                });
        assertThat(client.subscriptions()).isEmpty();
    }

    @Test
    void listenerReceivesEventsAndCommitsThem() {
        EmulatorFixture.leadTopic(emulator, "Leads");
        ReplayStore store = ReplayStore.inMemory();
        client = EmulatorFixture.client(emulator, store).open();
        List<StreamingEvent> seen = new CopyOnWriteArrayList<>();
        client.subscribe("/topic/Leads", seen::add);
        EmulatorFixture.lead(emulator, "A");
        EmulatorFixture.lead(emulator, "B");
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> store.get(client.replayNamespace(), "/topic/Leads")
                .map(m -> m.replayId() == seen.get(1).replayId()).orElse(false));
    }

    @Test
    void resumesFromTheCommittedMarkerAfterARestart() {
        EmulatorFixture.leadTopic(emulator, "Leads");
        ReplayStore store = ReplayStore.inMemory();
        StreamingClient first = EmulatorFixture.client(emulator).replayStore(store).build().open();
        first.subscribe("/topic/Leads");
        EmulatorFixture.lead(emulator, "A");
        EmulatorFixture.lead(emulator, "B");
        StreamingEvent a = first.receive(Duration.ofSeconds(10)).orElseThrow();
        first.commit(a);
        first.close();
        EmulatorFixture.lead(emulator, "C");

        client = EmulatorFixture.client(emulator).replayStore(store).build().open();
        client.subscribe("/topic/Leads");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            names.add(client.receive(Duration.ofSeconds(10)).orElseThrow().pushTopic().orElseThrow().sobject()
                    .path("LastName").asText());
        }
        assertThat(names).containsExactly("B", "C");
        assertThat(client.receive(Duration.ofMillis(300))).isEmpty();
    }

    @Test
    void allEventsReplaysEverythingRetained() {
        EmulatorFixture.leadTopic(emulator, "Leads");
        EmulatorFixture.lead(emulator, "Before1");
        EmulatorFixture.lead(emulator, "Before2");
        client = EmulatorFixture.client(emulator).replayFrom(ReplayFrom.ALL_EVENTS).build().open();
        client.subscribe("/topic/Leads");
        Optional<StreamingEvent> e1 = client.receive(Duration.ofSeconds(10));
        Optional<StreamingEvent> e2 = client.receive(Duration.ofSeconds(10));
        assertThat(e1.orElseThrow().pushTopic().orElseThrow().sobject().path("LastName").asText()).isEqualTo("Before1");
        assertThat(e2.orElseThrow().pushTopic().orElseThrow().sobject().path("LastName").asText()).isEqualTo("Before2");
    }

    @Test
    void healsAfterDroppedSessionsWithoutLossOrDuplicates() {
        EmulatorFixture.leadTopic(emulator, "Leads");
        client = EmulatorFixture.client(emulator).build().open();
        client.subscribe("/topic/Leads");
        EmulatorFixture.lead(emulator, "A");
        assertThat(client.receive(Duration.ofSeconds(10))).isPresent();
        emulator.dropSessions();
        EmulatorFixture.lead(emulator, "B");
        StreamingEvent b = client.receive(Duration.ofSeconds(15)).orElseThrow();
        assertThat(b.pushTopic().orElseThrow().sobject().path("LastName").asText()).isEqualTo("B");
        assertThat(client.receive(Duration.ofMillis(500))).isEmpty();
    }

    @Test
    void reauthenticatesAfterRevokedTokens() {
        EmulatorFixture.leadTopic(emulator, "Leads");
        client = EmulatorFixture.client(emulator).build().open();
        client.subscribe("/topic/Leads");
        emulator.revokeTokens();
        EmulatorFixture.lead(emulator, "AfterRevoke");
        StreamingEvent e = client.receive(Duration.ofSeconds(15)).orElseThrow();
        assertThat(e.pushTopic().orElseThrow().sobject().path("LastName").asText()).isEqualTo("AfterRevoke");
    }

    @Test
    void platformEventsChangeEventsAndGenericChannels() {
        client = EmulatorFixture.client(emulator).build().open();
        client.subscribe("/event/Order_Placed__e");
        client.subscribe("/data/AccountChangeEvent");
        emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "42"));
        StreamingEvent pe = client.receive(Duration.ofSeconds(10)).orElseThrow();
        assertThat(pe.platformEvent()).get().satisfies(p -> {
            assertThat(p.payload().path("Order_Number__c").asText()).isEqualTo("42");
            assertThat(p.eventUuid()).isNotBlank();
        });
        String account = emulator.create("Account", Map.of("Name", "Acme"));
        StreamingEvent ce = client.receive(Duration.ofSeconds(10)).orElseThrow();
        assertThat(ce.changeEvent()).get().satisfies(c -> {
            assertThat(c.header().changeType()).isEqualTo("CREATE");
            assertThat(c.header().recordIds()).containsExactly(account);
        });
    }
}
