package dev.sfstream.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sfstream.StreamingClient;
import dev.sfstream.TransportException;
import dev.sfstream.emulator.Emulator;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Endpoints and TLS: verified always, except for a loopback host when asked; channels shared and released. */
class TransportSettingsTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    private static Emulator tlsEmulator() {
        return PubSubFixture.emulator().pubSub(PubSubFixture.pubSub().plaintext(false)).build().start();
    }

    private static void receivesAnEvent(Emulator emulator, PubSubTransport transport) {
        try (StreamingClient client = PubSubFixture.client(emulator, transport).build().open()) {
            client.subscribe("/event/Order_Placed__e");
            emulator.publishEvent("Order_Placed__e", Map.of("Order_Number__c", "TLS"));
            assertThat(client.receive(WAIT).orElseThrow().platformEvent().orElseThrow().payload()
                    .path("Order_Number__c").asText()).isEqualTo("TLS");
        }
    }

    @Test
    void verifiesTheServerCertificateAgainstTheCertificatesGiven() {
        try (Emulator emulator = tlsEmulator()) {
            receivesAnEvent(emulator, PubSubTransport.builder().endpoint(emulator.pubSubEndpoint())
                    .trustedCertificates(emulator.pubSub().certificatePem()).build());
        }
    }

    @Test
    void aCertificateTheJdkDoesNotTrustFailsOpenAtOnceSayingSo() {
        try (Emulator emulator = tlsEmulator()) {
            StreamingClient client = PubSubFixture.client(emulator, PubSubTransport.builder()
                    .endpoint(emulator.pubSubEndpoint()).build()).openTimeout(Duration.ofSeconds(20)).build();
            long start = System.nanoTime();
            assertThatThrownBy(client::open).isInstanceOf(TransportException.class)
                    .hasMessageContaining("certificate").hasMessageContaining("trustedCertificates");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            client.close();
        }
    }

    @Test
    void aLoopbackEndpointMayTrustAnyCertificateWhenAsked() {
        try (Emulator emulator = tlsEmulator()) {
            receivesAnEvent(emulator, PubSubTransport.builder().endpoint(emulator.pubSubEndpoint())
                    .trustAnyCertificate().build());
        }
    }

    @Test
    void onlyALoopbackEndpointMayGoWithoutVerifiedTls() {
        assertThatThrownBy(() -> PubSubTransport.builder().endpoint("api.pubsub.salesforce.com:7443").plaintext()
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
        assertThatThrownBy(() -> PubSubTransport.builder().endpoint("10.0.0.1:7443").trustAnyCertificate().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("always reached over TLS");
        PubSubTransport.builder().endpoint("localhost:7011").plaintext().build();
        PubSubTransport.builder().endpoint("[::1]:7011").plaintext().build();
        PubSubTransport.builder().endpoint("127.0.0.1:7011").trustAnyCertificate().build();
    }

    @Test
    void endpointsAreHostAndPortWithTheEuOneAtHand() {
        assertThat(PubSubTransport.builder().endpoint(PubSubTransport.EU_ENDPOINT).build().endpoint())
                .isEqualTo("api.deu.pubsub.salesforce.com:7443");
        assertThat(PubSubTransport.builder().endpoint("api.pubsub.salesforce.com").build().endpoint())
                .isEqualTo("api.pubsub.salesforce.com:7443");
        assertThatThrownBy(() -> PubSubTransport.builder().endpoint("https://api.pubsub.salesforce.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host:port");
        assertThatThrownBy(() -> PubSubTransport.builder().endpoint("host:99999"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
    }

    @Test
    void settingsAreCheckedAtBuildNamingTheSetting() {
        assertThatThrownBy(() -> PubSubTransport.builder().credit(101).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credit");
        assertThatThrownBy(() -> PubSubTransport.builder().maxInboundMessageSize(4 * 1024 * 1024 - 1024 * 1024 * 3)
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxInboundMessageSize");
        assertThatThrownBy(() -> PubSubTransport.builder().keepaliveInterval(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepaliveInterval");
        assertThatThrownBy(() -> PubSubTransport.builder().managedSubscription("/topic/X", "Sub").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/topic/X");
        assertThatThrownBy(() -> PubSubTransport.builder().managedSubscription("/event/X__e", "9bad").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("developer name");
    }

    @Test
    void clientsShareOneChannelReleasedWithTheLastOne() {
        try (Emulator emulator = PubSubFixture.emulator().build().start()) {
            PubSubTransport transport = PubSubFixture.transport(emulator).build();
            StreamingClient a = PubSubFixture.client(emulator, transport).build().open();
            StreamingClient b = PubSubFixture.client(emulator, transport).build().open();
            assertThat(transport.holdsChannel()).isTrue();
            a.close();
            assertThat(transport.holdsChannel()).isTrue();
            b.close();
            assertThat(transport.holdsChannel()).isFalse();
            receivesAnEvent(emulator, transport); // opens a new one
            assertThat(transport.holdsChannel()).isFalse();
        }
    }

    @Test
    void aChannelGivenToTheTransportIsNeverShutDown() {
        try (Emulator emulator = PubSubFixture.emulator().build().start()) {
            ManagedChannel own = Grpc.newChannelBuilder(emulator.pubSubEndpoint(), InsecureChannelCredentials.create())
                    .maxInboundMessageSize(16 * 1024 * 1024).build();
            try {
                receivesAnEvent(emulator, PubSubTransport.builder().channel(own).build());
                assertThat(own.isShutdown()).isFalse();
            } finally {
                own.shutdownNow();
            }
        }
    }
}
