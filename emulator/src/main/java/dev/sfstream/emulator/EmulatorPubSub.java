package dev.sfstream.emulator;

import dev.sfstream.emulator.internal.PubSubServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The emulator's Pub/Sub API (gRPC {@code eventbus.v1.PubSub}), as {@link Emulator#pubSub()} shows it: where it
 * listens, how to trust it, and its faults on demand, which {@code POST /emulator/pubsub/...} also serves. It serves
 * the same org, records and event log as the Streaming API. Thread-safe.
 *
 * <pre>{@code
 * ManagedChannel channel = Grpc.newChannelBuilder(emulator.pubSubEndpoint(),
 *         TlsChannelCredentials.newBuilder().trustManager(new ByteArrayInputStream(
 *                 emulator.pubSub().certificatePem().getBytes(StandardCharsets.US_ASCII))).build()).build();
 * }</pre>
 */
public final class EmulatorPubSub {
    private final PubSubServer server;

    EmulatorPubSub(PubSubServer server) {
        this.server = server;
    }

    /** {@code host:port}, such as {@code 127.0.0.1:7443}; empty when the Pub/Sub API is disabled. */
    public String endpoint() {
        return server.endpoint();
    }

    /** Whether it speaks plaintext HTTP/2 rather than TLS. */
    public boolean plaintext() {
        return server.plaintext();
    }

    /**
     * Its self-signed certificate in PEM, for clients that trust it (others connect with certificate checks off);
     * empty in plaintext.
     */
    public String certificatePem() {
        return server.certificatePem();
    }

    /** Ends every open stream as a network reset would ({@code UNAVAILABLE: RST_STREAM ...}); returns how many. */
    public int resetStreams() {
        return server.resetStreams();
    }

    /**
     * Open streams send nothing, keepalives included, for {@code duration}: the silent half-open connection. Nothing
     * retained is lost; what was due goes out after.
     */
    public void stall(Duration duration) {
        server.stall(duration);
    }

    /** New calls get {@code RESOURCE_EXHAUSTED} for {@code duration}. */
    public void exhaust(Duration duration) {
        server.exhaust(duration);
    }

    /** The open streams: rpcId, method, topic, pending credit, delivered count. */
    public List<Map<String, Object>> streams() {
        return server.streams();
    }

    /** The start banner's part: {@code , Pub/Sub API on TLS 127.0.0.1:7443}, or nothing when disabled. */
    String banner() {
        String endpoint = endpoint();
        return endpoint.isEmpty() ? "" : ", Pub/Sub API on " + (plaintext() ? "" : "TLS ") + endpoint;
    }
}
