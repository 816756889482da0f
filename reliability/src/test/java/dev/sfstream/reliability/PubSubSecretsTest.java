package dev.sfstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sfstream.StreamingClient;
import dev.sfstream.auth.AccessToken;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.auth.StaticTokenAuthenticator;
import dev.sfstream.emulator.ConnectedApp;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.emulator.EmulatorUser;
import dev.sfstream.emulator.PubSubSettings;
import dev.sfstream.pubsub.PubSubPublisher;
import dev.sfstream.pubsub.PubSubTransport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The Pub/Sub transport's failure paths run with known secrets (a password, a client secret, the access tokens
 * issued, the renewed one included, and a static token Salesforce refuses); then everything sfstream logged in this
 * JVM at debug, every exception and the {@code toString()} of its configuration objects are scanned: the tokens
 * travel in gRPC metadata and must never appear anywhere else.
 */
class PubSubSecretsTest {
    private static final String PASSWORD = "Pa55word-Lynx-64";
    private static final String CLIENT_SECRET = "ClientSecret-Heron-17";
    private static final String STATIC_TOKEN = "00D000000000001!StaticTok-Marten-08";

    private final List<String> seen = new ArrayList<>();

    private void capture(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            seen.add(trace.toString());
        }
    }

    /** Records every token it hands out, so that each is looked for. */
    private static Authenticator recording(Authenticator delegate, List<String> tokens) {
        return new Authenticator() {
            @Override
            public AccessToken token() {
                AccessToken t = delegate.token();
                tokens.add(t.token());
                return t;
            }

            @Override
            public AccessToken renew(AccessToken rejected) {
                AccessToken t = delegate.renew(rejected);
                tokens.add(t.token());
                return t;
            }
        };
    }

    @Test
    void noSecretAppearsInLogsExceptionsOrToStringsOnThePubSubApi() throws Exception {
        List<String> tokens = new CopyOnWriteArrayList<>();
        try (Emulator emulator = Emulator.builder().quiet(true)
                .user(new EmulatorUser("ps@acme.test", PASSWORD, null, "Ps", "User"))
                .connectedApp(new ConnectedApp("ps-app", CLIENT_SECRET, null, "ps@acme.test"))
                .platformEvent("Secret__e", "Note__c")
                .pubSub(PubSubSettings.defaults().plaintext(true).keepaliveInterval(Duration.ofMillis(300)))
                .build().start()) {
            PasswordAuthenticator login = PasswordAuthenticator.builder().loginUrl(emulator.url())
                    .consumerKey("ps-app").consumerSecret(CLIENT_SECRET).username("ps@acme.test").password(PASSWORD)
                    .build();
            Authenticator auth = recording(login, tokens);
            PubSubTransport transport = PubSubTransport.builder().endpoint(emulator.pubSubEndpoint()).plaintext()
                    .keepaliveInterval(Duration.ofMillis(300)).watchdogMargin(Duration.ofMillis(700)).build();
            StreamingClient client = StreamingClient.builder().authenticator(auth).transport(transport)
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(500)).build();
            PubSubPublisher publisher = PubSubPublisher.builder().authenticator(auth).transport(transport)
                    .topic("/event/Secret__e").build();
            seen.add(String.valueOf(transport));
            seen.add(String.valueOf(client));
            seen.add(String.valueOf(publisher));

            capture(() -> {
                client.open();
                client.subscribe("/event/Secret__e");
                emulator.revokeTokens(); // the stream is refused, the token renewed
                emulator.publishEvent("Secret__e", Map.of("Note__c", "after the revoke"));
                seen.add(String.valueOf(client.receive(Duration.ofSeconds(15)).orElseThrow().json()));
                emulator.pubSub().resetStreams();
                emulator.busy(Duration.ofMillis(500));
                client.subscribe("/event/Nobody__e");
            });
            capture(() -> seen.add(String.valueOf(publisher.publish(Map.of("Note__c", "published")).join())));
            capture(() -> {
                emulator.revokeTokens();
                seen.add(String.valueOf(publisher.publish(Map.of("Nope__c", "x")).join()));
            });
            capture(() -> StreamingClient.builder().authenticator(StaticTokenAuthenticator.of(emulator.url(),
                    STATIC_TOKEN)).transport(transport).build().open());
            capture(() -> PubSubPublisher.builder().authenticator(StaticTokenAuthenticator.of(emulator.url(),
                    STATIC_TOKEN)).transport(transport).topic("/event/Secret__e").build()
                    .publish(Map.of("Note__c", "x")).join());
            publisher.close();
            client.close();
        }
        Path logs = Path.of("target", "reliability-logs.txt");
        if (Files.exists(logs)) {
            seen.add(Files.readString(logs));
        }
        List<String> secrets = new ArrayList<>(List.of(PASSWORD, CLIENT_SECRET, STATIC_TOKEN));
        secrets.addAll(tokens);
        assertThat(tokens).as("a token and its renewal").hasSizeGreaterThanOrEqualTo(2);
        assertThat(seen).as("captured texts").hasSizeGreaterThan(6);
        for (String text : seen) {
            for (String secret : secrets) {
                assertThat(text).as("a secret in: %s", text.length() > 300 ? text.substring(0, 300) + "..." : text)
                        .doesNotContain(secret);
            }
        }
    }
}
