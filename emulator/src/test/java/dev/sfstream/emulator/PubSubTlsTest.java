package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.TopicRequest;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Pub/Sub API over TLS by default, with a certificate made at start; and its settings from a configuration. */
class PubSubTlsTest {
    @Test
    void servesTlsWithASelfSignedCertificateThatClientsCanTrustByDefault() throws Exception {
        try (Emulator emulator = FastOrg.fast().build().start();
             PubSubTestClient client = PubSubTestClient.loggedIn(emulator)) {
            assertThat(emulator.pubSub().plaintext()).isFalse();
            assertThat(emulator.pubSub().certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
            assertThat(emulator.pubSubEndpoint()).startsWith("127.0.0.1:");
            assertThat(client.blocking().getTopic(TopicRequest.newBuilder().setTopicName("/data/ChangeEvents")
                    .build()).getRpcId()).isNotEmpty();

            // A client that neither trusts the certificate nor turns checks off is refused by its own TLS.
            ManagedChannel untrusting = Grpc.newChannelBuilder(emulator.pubSubEndpoint(),
                    TlsChannelCredentials.create()).build();
            try {
                assertThatThrownBy(() -> PubSubGrpc.newBlockingStub(untrusting).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .getTopic(TopicRequest.newBuilder().setTopicName("/data/ChangeEvents").build()))
                        .isInstanceOf(StatusRuntimeException.class);
            } finally {
                untrusting.shutdownNow();
            }
        }
    }

    @Test
    void theConfigurationFileSetsThePubSubPortPlaintextAndTimers(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("emulator.json");
        Files.writeString(config, "{\"pubSubPort\": 0, \"pubSubPlaintext\": true, \"pubSubKeepaliveInterval\": "
                + "\"5s\", \"pubSubIdleTimeout\": \"20s\", \"publishStreamIdleTimeout\": \"30s\"}");
        Emulator.Builder builder = EmulatorConfig.fromOptions(config, 0, null, null, null, null);
        try (Emulator emulator = builder.build().start()) {
            assertThat(emulator.pubSub().plaintext()).isTrue();
            assertThat(emulator.pubSub().certificatePem()).isEmpty();
            assertThat(emulator.pubSubEndpoint()).doesNotEndWith(":7443").doesNotEndWith(":0");
        }
        assertThatThrownBy(() -> PubSubSettings.defaults().keepaliveInterval(Duration.ZERO))
                .hasMessageContaining("keepaliveInterval");
        Files.writeString(config, "{\"pubSubPlaintext\": \"yes\"}");
        assertThatThrownBy(() -> EmulatorConfig.fromOptions(config, 0, null, null, null, null))
                .hasMessageContaining("pubSubPlaintext");
    }

    @Test
    void anyFreePortFromTheCommandLineMeansAnyFreePortForThePubSubApiToo() {
        try (Emulator emulator = EmulatorConfig.fromOptions(null, 0, null, null, null, null).build().start()) {
            assertThat(emulator.pubSubEndpoint()).doesNotEndWith(":7443");
        }
        assertThat(EmulatorConfig.DEFAULT_PUBSUB_PORT).isEqualTo(7443);
    }

    @Test
    void thePubSubApiCanBeTurnedOff() {
        try (Emulator emulator = FastOrg.fast().pubSub(PubSubSettings.defaults().enabled(false)).build().start()) {
            assertThat(emulator.pubSubEndpoint()).isEmpty();
        }
    }
}
