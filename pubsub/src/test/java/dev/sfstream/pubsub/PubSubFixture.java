package dev.sfstream.pubsub;

import dev.sfstream.StreamingClient;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.emulator.PubSubSettings;
import dev.sfstream.transport.Transport;
import java.time.Duration;

/**
 * Emulators and clients for the tests: loopback only, plaintext gRPC unless a test wants TLS, and short intervals
 * (server keepalive 300 ms, idle close 3 s, the client's watchdog at 300 ms + 700 ms) so that faults show fast.
 */
final class PubSubFixture {
    static final Duration KEEPALIVE = Duration.ofMillis(300);
    static final Duration IDLE_CLOSE = Duration.ofSeconds(3);

    private PubSubFixture() {
    }

    static PubSubSettings pubSub() {
        return PubSubSettings.defaults().plaintext(true).keepaliveInterval(KEEPALIVE).idleTimeout(IDLE_CLOSE)
                .publishStreamIdleTimeout(IDLE_CLOSE);
    }

    static Emulator.Builder emulator() {
        return Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(3))
                .reconnectTimeout(Duration.ofSeconds(4)).pubSub(pubSub())
                .platformEvent("Order_Placed__e", "Order_Number__c", "Amount__c")
                .platformEvent("Seq__e", "Seq__c");
    }

    static PasswordAuthenticator auth(Emulator emulator) {
        return PasswordAuthenticator.builder()
                .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD)
                .loginUrl(emulator.url())
                .build();
    }

    /** The transport for an emulator in plaintext, with a watchdog a little over the emulator's keepalive. */
    static PubSubTransport.Builder transport(Emulator emulator) {
        return PubSubTransport.builder().endpoint(emulator.pubSubEndpoint()).plaintext()
                .keepaliveInterval(KEEPALIVE).watchdogMargin(Duration.ofMillis(700));
    }

    static StreamingClient.Builder client(Emulator emulator, Transport transport) {
        return StreamingClient.builder()
                .authenticator(auth(emulator))
                .transport(transport)
                .handshakeMinInterval(Duration.ofMillis(100))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500));
    }

    static StreamingClient.Builder client(Emulator emulator) {
        return client(emulator, transport(emulator).build());
    }
}
