package dev.sfstream.pubsub;

import dev.sfstream.internal.Shared;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Opens a transport's gRPC channel: TLS verified with the JDK's trust store (or the certificates given), or, for a
 * loopback endpoint only, plaintext or TLS trusting any certificate; HTTP/2 PINGs at the ping interval while calls are
 * open; the largest inbound message set explicitly; gRPC's callbacks on sfstream's shared workers, where they only
 * hand work to a session's lane.
 */
final class Channels {
    /** How long a PING may go unanswered before the connection is taken for dead. */
    private static final long PING_TIMEOUT_SECONDS = 20;

    private Channels() {
    }

    static ManagedChannel open(PubSubTransport t) {
        return Grpc.newChannelBuilder(t.target().toString(), credentials(t))
                .maxInboundMessageSize(t.maxInboundMessageSize())
                .keepAliveTime(t.pingInterval().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(PING_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(false)
                .executor(Shared.workers())
                .userAgent("sfstream")
                .build();
    }

    private static ChannelCredentials credentials(PubSubTransport t) {
        switch (t.security()) {
            case PLAINTEXT:
                return InsecureChannelCredentials.create();
            case TRUST_ANY:
                return TlsChannelCredentials.newBuilder().trustManager(new TrustAny()).build();
            default:
                if (t.trustedCertificates() == null) {
                    return TlsChannelCredentials.create();
                }
                try {
                    return TlsChannelCredentials.newBuilder().trustManager(new ByteArrayInputStream(
                            t.trustedCertificates().getBytes(StandardCharsets.US_ASCII))).build();
                } catch (IOException e) {
                    throw new UncheckedIOException("the trusted certificates are not PEM certificates", e);
                }
        }
    }

    /** Trusts every certificate and host: built only for a loopback endpoint, when asked for by name. */
    private static final class TrustAny extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
