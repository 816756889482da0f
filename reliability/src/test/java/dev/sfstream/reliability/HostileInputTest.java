package dev.sfstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sfstream.AuthenticationException;
import dev.sfstream.ChannelName;
import dev.sfstream.RestException;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.TransportException;
import dev.sfstream.auth.LoginHost;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.auth.StaticTokenAuthenticator;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayStore;
import dev.sfstream.rest.PushTopicDefinition;
import dev.sfstream.rest.PushTopics;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a hostile server or a careless user can throw at the client: each gets a clear error, no marker changes. */
class HostileInputTest {
    private static final String CHANNEL = "/event/Hostile__e";
    private static final ReplayMarker STORED = new ReplayMarker(5, Instant.parse("2026-11-23T10:00:00Z"));

    HostileServer server;
    ReplayStore store;
    StreamingClient client;

    @BeforeEach
    void start() throws Exception {
        server = new HostileServer();
        store = ReplayStore.inMemory();
        store.put("hostile", CHANNEL, STORED);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private StreamingClient open() {
        client = StreamingClient.builder().authenticator(StaticTokenAuthenticator.of(server.url(), "token"))
                .replayStore(store).replayNamespace("hostile").startFrom(ReplayFrom.ALL_EVENTS)
                .connectionTimeout(Duration.ofSeconds(2)).backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .handshakeMinInterval(Duration.ofMillis(10)).maxMessageSize(64 * 1024).build();
        client.open();
        client.subscribe(CHANNEL);
        return client;
    }

    private void assertGivesUpWith(String expected) {
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                client.receive(Duration.ofMillis(100));
            }
        }).isInstanceOf(TransportException.class).hasMessageContaining("gave up").hasMessageContaining(expected);
        assertThat(store.get("hostile", CHANNEL)).contains(STORED);
    }

    @Test
    void malformedJsonEndsInAClearTransportException() {
        server.onConnect(n -> HostileServer.Answer.json("[{\"channel\": \"/meta/connect\", \"succ"));
        open();
        assertGivesUpWith("not JSON");
    }

    @Test
    void aBodyThatIsNotAnArrayOfMessagesIsRefused() {
        server.onConnect(n -> HostileServer.Answer.json("42"));
        open();
        assertGivesUpWith("neither a message nor an array");
    }

    @Test
    void anHtmlErrorPageIsReportedWithItsStatus() {
        server.onConnect(n -> new HostileServer.Answer(503, "text/html",
                "<html><body><h1>Service Unavailable</h1></body></html>".getBytes(StandardCharsets.UTF_8)));
        open();
        assertGivesUpWith("HTTP 503");
    }

    @Test
    void aMessageOverTheSizeLimitIsRefused() {
        String huge = HostileServer.event(CHANNEL, 6L, ",\"blob\":\"" + "x".repeat(100 * 1024) + "\"");
        server.onConnect(n -> HostileServer.Answer.json(HostileServer.connectReply(huge)));
        open();
        assertGivesUpWith("larger than the");
    }

    @Test
    void unknownFieldsAreIgnored() {
        server.onConnect(n -> HostileServer.Answer.json(n == 2 ? "[{\"channel\":\"" + CHANNEL + "\",\"weird\":[1,2],"
                + "\"data\":{\"event\":{\"replayId\":6,\"createdDate\":\"2026-11-23T11:00:00Z\",\"x\":{}},"
                + "\"payload\":{\"N\":1},\"unknown\":true}},{\"channel\":\"/meta/connect\",\"successful\":true,"
                + "\"futureField\":\"?\",\"advice\":{\"reconnect\":\"retry\",\"interval\":0,\"timeout\":500}}]"
                : HostileServer.connectReply("")));
        open();
        StreamingEvent e = client.receive(Duration.ofSeconds(5)).orElseThrow();
        assertThat(e.replayId()).isEqualTo(6);
    }

    @Test
    void anEventWithoutReplayIdIsDeliveredButNeverCommitted() {
        server.onConnect(n -> HostileServer.Answer.json(HostileServer.connectReply(n == 2
                ? HostileServer.event(CHANNEL, null, "") : "")));
        open();
        StreamingEvent e = client.receive(Duration.ofSeconds(5)).orElseThrow();
        assertThat(e.replayId()).isZero();
        client.commit(e);
        assertThat(store.get("hostile", CHANNEL)).contains(STORED);
    }

    @Test
    void aLowerReplayIdArrivingLateIsDeliveredOnceAndTheMarkerNeverMovesBack() {
        // 7 after 10: a response that completed after a later one. It was never handed out, so it is delivered (a
        // drop would lose it); 10 again is a duplicate. The marker stays at the highest finished event.
        server.onConnect(n -> HostileServer.Answer.json(HostileServer.connectReply(switch (n) {
            case 2 -> HostileServer.event(CHANNEL, 10L, "");
            case 3 -> HostileServer.event(CHANNEL, 7L, "");
            case 4 -> HostileServer.event(CHANNEL, 10L, "");
            case 5 -> HostileServer.event(CHANNEL, 11L, "");
            default -> "";
        })));
        open();
        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(client.receive(Duration.ofSeconds(5)).orElseThrow().replayId());
        }
        assertThat(ids).containsExactly(10L, 7L, 11L);
        client.receive(Duration.ofMillis(50)); // finishes 11
        assertThat(client.stats().duplicatesDropped()).isEqualTo(1);
        assertThat(store.get("hostile", CHANNEL).orElseThrow().replayId()).isEqualTo(11);
    }

    // ---------------------------------------------------------------- from the user

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "topic/NoSlash", "/topic/", "/topic/Has Space", "/meta/connect", "/service/x",
        "/event/NoSuffix", "/data/Account", "/u/", "/event/Order__e?x=1", "/topic/X?", "/topic/X?novalue",
        "/topic/Name'--", "/topic/A;B"})
    void badChannelNamesAreRefusedSayingWhatIsExpected(String channel) {
        assertThatThrownBy(() -> ChannelName.of(channel)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "newest", "0", "-3", "1.5", "12abc", "99999999999999999999"})
    void badReplayValuesAreRefused(String value) {
        assertThatThrownBy(() -> ReplayFrom.parse(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replay");
    }

    @Test
    void fuzzedSoqlNeverGetsPastTheOfflineCheckWithAnotherException() {
        Random random = new Random(99);
        String[] parts = {"SELECT", "Id", ",", "Name", "FROM", "Account", "WHERE", "=", "'x'", "LIMIT", "1", "(", ")",
            "NOT", "AND", "OR", "\\", "'", "\u0000", "ORDER BY", "COUNT(", "TYPEOF"};
        for (int i = 0; i < 2000; i++) {
            StringBuilder soql = new StringBuilder();
            for (int t = 0; t < 1 + random.nextInt(12); t++) {
                soql.append(parts[random.nextInt(parts.length)]).append(' ');
            }
            PushTopicDefinition def = PushTopicDefinition.builder().name("Fuzz").query(soql.toString()).build();
            try {
                PushTopics.checkOffline(def);
            } catch (RestException expected) {
                assertThat(expected.errorCode()).isNotBlank();
                assertThat(expected.message()).isNotBlank();
            }
        }
    }

    @Test
    void missingOrWrongCredentialsAreNamed() {
        assertThatThrownBy(() -> PasswordAuthenticator.builder().consumerKey("k").consumerSecret("s").username("u")
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessage("password is required");
        assertThatThrownBy(() -> StreamingClient.builder().build()).hasMessageContaining("authenticator is required");
        assertThatThrownBy(() -> StaticTokenAuthenticator.of(server.url(), " ")).hasMessageContaining("accessToken");
    }

    @Test
    void anUnreachableLoginHostIsATransportExceptionNamingIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        StreamingClient unreachable = StreamingClient.builder().authenticator(PasswordAuthenticator.builder()
                .loginUrl(url).consumerKey("k").consumerSecret("s").username("u").password("p").build()).build();
        assertThatThrownBy(unreachable::open).isInstanceOf(TransportException.class).hasMessageContaining(url);
    }

    @Test
    void plainHttpToANonLoopbackHostIsRefusedUnlessAllowedByName() {
        assertThatThrownBy(() -> PasswordAuthenticator.builder().loginUrl("http://salesforce.example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain http");
        assertThat(LoginHost.of("https://salesforce.example.com").plainHttpAllowed()).isFalse();
        assertThatThrownBy(() -> StaticTokenAuthenticator.of("http://10.1.2.3:8080", "t"))
                .hasMessageContaining("not a loopback address");
    }

    @Test
    void aRefusedTokenEndpointAnswerIsAnAuthenticationException() throws Exception {
        try (HostileServer tokenless = new HostileServer()) {
            PasswordAuthenticator auth = PasswordAuthenticator.builder().loginUrl(tokenless.url()).consumerKey("k")
                    .consumerSecret("s").username("u").password("p").build();
            assertThatThrownBy(auth::token).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("without an OAuth error body");
        }
        assertThat(Optional.of(1)).isPresent();
    }
}
