package dev.sfstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sfstream.emulator.Emulator;
import dev.sfstream.replay.ReplayStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each row of the README's "How it heals" table, triggered with the emulator's faults and asserted end to end. */
class ProtocolFaultsTest {
    Emulator emulator;
    StreamingClient client;

    @BeforeEach
    void start() {
        emulator = EmulatorFixture.emulator().build().start();
        EmulatorFixture.leadTopic(emulator, "Leads");
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        emulator.close();
    }

    private List<String> lastNames(int n, Duration timeout) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(client.receive(timeout).orElseThrow(() -> new AssertionError("no event " + names.size()))
                    .pushTopic().orElseThrow().sobject().path("LastName").asText());
        }
        return names;
    }

    @Test
    void retryAdviceKeepsTheLongPollGoingAcrossManyTimeouts() {
        client = EmulatorFixture.client(emulator).build().open();
        client.subscribe("/topic/Leads");
        // The emulator holds each connect 3 s: let several of them time out, then an event still arrives.
        await().atMost(Duration.ofSeconds(15)).until(() -> client.stats().connects() >= 3);
        EmulatorFixture.lead(emulator, "AfterLongPolls");
        assertThat(lastNames(1, Duration.ofSeconds(10))).containsExactly("AfterLongPolls");
        assertThat(client.stats().handshakes()).isEqualTo(1);
    }

    @Test
    void unknownClientHandshakesAgainAndResubscribesWithoutATokenRequest() {
        CountingAuthenticator auth = new CountingAuthenticator(EmulatorFixture.auth(emulator));
        client = EmulatorFixture.client(emulator).authenticator(auth).build().open();
        client.subscribe("/topic/Leads");
        EmulatorFixture.lead(emulator, "A");
        assertThat(lastNames(1, Duration.ofSeconds(10))).containsExactly("A");
        emulator.dropSessions();
        EmulatorFixture.lead(emulator, "B");
        EmulatorFixture.lead(emulator, "C");
        assertThat(lastNames(2, Duration.ofSeconds(15))).containsExactly("B", "C");
        assertThat(auth.renewals()).isZero();
        assertThat(client.stats().handshakes()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aServerInitiatedDisconnectIsFollowedByANewHandshake() {
        client = EmulatorFixture.client(emulator).build().open();
        client.subscribe("/topic/Leads");
        EmulatorFixture.lead(emulator, "Before");
        assertThat(lastNames(1, Duration.ofSeconds(10))).containsExactly("Before");
        assertThat(emulator.disconnectSessions()).isEqualTo(1);
        EmulatorFixture.lead(emulator, "After");
        assertThat(lastNames(1, Duration.ofSeconds(15))).containsExactly("After");
        assertThat(client.stats().handshakes()).isGreaterThanOrEqualTo(2);
        assertThat(client.receive(Duration.ofMillis(300))).isEmpty();
    }

    @Test
    void expiredSessionAfterTheReconnectTimeoutHeals() {
        ReplayStore store = ReplayStore.inMemory();
        client = EmulatorFixture.client(emulator).replayStore(store).queueCapacity(1).build().open();
        client.subscribe("/topic/Leads");
        EmulatorFixture.lead(emulator, "A");
        EmulatorFixture.lead(emulator, "B");
        // The consumer stalls with a full queue: no connect is sent, and the emulator drops the client after 4 s.
        await().atMost(Duration.ofSeconds(15)).until(() -> ((Number) emulator.status().get("clients")).intValue() == 0);
        EmulatorFixture.lead(emulator, "C");
        assertThat(lastNames(3, Duration.ofSeconds(15))).containsExactly("A", "B", "C");
        assertThat(client.receive(Duration.ofMillis(500))).isEmpty();
    }

    @Test
    void revokedTokenIsRenewedOnceAndTheStreamGoesOn() {
        CountingAuthenticator auth = new CountingAuthenticator(EmulatorFixture.auth(emulator));
        client = EmulatorFixture.client(emulator).authenticator(auth).build().open();
        client.subscribe("/topic/Leads");
        emulator.revokeTokens();
        EmulatorFixture.lead(emulator, "A");
        assertThat(lastNames(1, Duration.ofSeconds(15))).containsExactly("A");
        // The event may ride on the connect that is answered 401, so the renewal can come just after it.
        await().atMost(Duration.ofSeconds(10)).until(() -> auth.renewals() == 1
                && client.state() == ConnectionState.CONNECTED);
        EmulatorFixture.lead(emulator, "B");
        assertThat(lastNames(1, Duration.ofSeconds(15))).containsExactly("B");
        assertThat(auth.renewals()).isEqualTo(1);
    }

    @Test
    void eventsPublishedWhileReauthenticatingBeforeAnyEventArrivedAreNotLost() throws Exception {
        java.util.concurrent.CountDownLatch renewing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        dev.sfstream.auth.Authenticator real = EmulatorFixture.auth(emulator);
        dev.sfstream.auth.Authenticator slow = new dev.sfstream.auth.Authenticator() {
            @Override
            public dev.sfstream.auth.AccessToken token() {
                return real.token();
            }

            @Override
            public dev.sfstream.auth.AccessToken renew(dev.sfstream.auth.AccessToken rejected) {
                renewing.countDown();
                try {
                    release.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return real.renew(rejected);
            }
        };
        client = EmulatorFixture.client(emulator).authenticator(slow).build().open();
        client.subscribe("/topic/Leads");
        emulator.revokeTokens();
        assertThat(renewing.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // The old session is gone and the new one does not exist yet: this event has nobody to go to.
        EmulatorFixture.lead(emulator, "InTheGap");
        release.countDown();
        assertThat(lastNames(1, Duration.ofSeconds(15))).containsExactly("InTheGap");
        assertThat(client.receive(Duration.ofMillis(300))).isEmpty();
    }

    @Test
    void busyServerIsRetriedWithBackoff() {
        client = EmulatorFixture.client(emulator).build().open();
        client.subscribe("/topic/Leads");
        emulator.busy(Duration.ofSeconds(6));
        // The held connect comes back at the long-poll timeout; the next one is refused as busy.
        await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ConnectionState.RECONNECTING);
        EmulatorFixture.lead(emulator, "DuringBusy");
        assertThat(lastNames(1, Duration.ofSeconds(15))).containsExactly("DuringBusy");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ConnectionState.CONNECTED);
    }

    @Test
    void subscribeWhileBusyIsRetried() {
        client = EmulatorFixture.client(emulator).build().open();
        emulator.busy(Duration.ofSeconds(1));
        client.subscribe("/topic/Leads");
        EmulatorFixture.lead(emulator, "A");
        assertThat(lastNames(1, Duration.ofSeconds(10))).containsExactly("A");
    }

    @Test
    void serverGoneLongerThanTheConnectionTimeoutEndsInATransportException() {
        List<StreamingException> errors = new CopyOnWriteArrayList<>();
        client = EmulatorFixture.client(emulator).connectionTimeout(Duration.ofSeconds(2))
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void onError(StreamingException error) {
                        errors.add(error);
                    }
                }).build().open();
        client.subscribe("/topic/Leads");
        emulator.close();
        assertThatThrownBy(() -> {
            for (int i = 0; i < 40; i++) {
                client.receive(Duration.ofMillis(500));
            }
        }).isInstanceOf(TransportException.class).hasMessageContaining("gave up");
        assertThat(errors).singleElement().isInstanceOf(TransportException.class);
        assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
    }

    @Test
    void eventsAreNotLostWhenTheConsumerIsSlowerThanTheStream() {
        client = EmulatorFixture.client(emulator).queueCapacity(3).build().open();
        client.subscribe("/topic/Leads");
        for (int i = 0; i < 30; i++) {
            EmulatorFixture.lead(emulator, "L" + i);
        }
        List<String> names = lastNames(30, Duration.ofSeconds(15));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            expected.add("L" + i);
        }
        assertThat(names).containsExactlyElementsOf(expected);
        assertThat(client.stats().eventsWaiting()).isZero();
    }

    @Test
    void clientsSharingTheHttpClientKeepTheirOwnCookiesAndSessions() {
        List<StreamingClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                StreamingClient c = EmulatorFixture.client(emulator).build().open();
                c.subscribe("/topic/Leads");
                clients.add(c);
            }
            EmulatorFixture.lead(emulator, "Everyone");
            for (StreamingClient c : clients) {
                assertThat(c.receive(Duration.ofSeconds(10))).isPresent();
            }
            assertThat(clients).extracting(StreamingClient::state).containsOnly(ConnectionState.CONNECTED);
        } finally {
            clients.forEach(StreamingClient::close);
        }
    }

    @Test
    void handshakesAreRateLimited() {
        client = EmulatorFixture.client(emulator).handshakeMinInterval(Duration.ofMillis(700)).build().open();
        client.subscribe("/topic/Leads");
        long start = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            emulator.dropSessions();
            long handshakes = client.stats().handshakes();
            await().atMost(Duration.ofSeconds(10)).until(() -> client.stats().handshakes() > handshakes
                    && client.state() == ConnectionState.CONNECTED);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        // Four forced re-handshakes cannot take less than three minimum intervals.
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(3 * 700));
        EmulatorFixture.lead(emulator, "StillThere");
        assertThat(lastNames(1, Duration.ofSeconds(10))).containsExactly("StillThere");
    }
}
