package dev.sfstream.emulator.internal;

import dev.sfstream.emulator.PubSubSettings;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Pub/Sub API's server: grpc-java on shaded Netty (it cannot clash with the Streaming API's Jetty), on its own
 * port, TLS with a {@link SelfSignedCertificate} or plaintext, serving {@link PubSubService} behind
 * {@link PubSubAuth}, on the same org and the same event log as the Streaming API.
 *
 * <p>Threads: Netty's event loops, a small pool {@code sfstream-pubsub-N} for gRPC's callbacks and for handing new
 * events to streams, and one timer {@code sfstream-pubsub-timer} for keepalives and idle closes. No callback sleeps
 * or waits on another thread; the emulator's locks are held briefly (a read of a log).
 */
public final class PubSubServer {
    /** The largest request the server reads: over Salesforce's 4 MB, so that such a request gets Salesforce's error. */
    private static final int MAX_INBOUND_BYTES = 8 * 1024 * 1024;

    private final EmulatedOrg org;
    private final PubSubSettings settings;
    private final String host;
    private final ExecutorService executor;
    private final ScheduledExecutorService timer;
    private final PubSubStreams streams;
    private final PubSubAuth auth;
    private volatile Server server;

    public PubSubServer(EmulatedOrg org, PubSubSettings settings, String host) {
        this.org = org;
        this.settings = settings;
        this.host = host;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(4, r -> daemon(r, "sfstream-pubsub-" + n.incrementAndGet()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sfstream-pubsub-timer"));
        this.streams = new PubSubStreams(settings, executor);
        this.auth = new PubSubAuth(org, streams);
        org.hub().onAppended(streams::appended);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts listening, unless the settings disable the Pub/Sub API. */
    public void start() throws IOException {
        if (!settings.enabled()) {
            return;
        }
        ServerCredentials credentials = settings.plaintext() ? InsecureServerCredentials.create()
                : TlsServerCredentials.newBuilder().keyManager(SelfSignedCertificate.get().keyManagers()
                        .getKeyManagers()).build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress(host, settings.port()), credentials)
                .executor(executor)
                .addService(ServerInterceptors.intercept(new PubSubService(org, streams), auth))
                .maxInboundMessageSize(MAX_INBOUND_BYTES)
                .permitKeepAliveTime(5, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .build()
                .start();
        long beat = Math.max(10, Math.min(1_000, Math.min(settings.keepaliveInterval().toMillis(),
                Math.min(settings.idleTimeout().toMillis(), settings.publishStreamIdleTimeout().toMillis())) / 5));
        timer.scheduleWithFixedDelay(streams::tick, beat, beat, TimeUnit.MILLISECONDS);
    }

    /** Ends every stream and stops listening. */
    public void stop() {
        timer.shutdownNow();
        Server s = server;
        if (s != null) {
            streams.closeAll();
            s.shutdownNow();
            try {
                s.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        executor.shutdownNow();
    }

    /** {@code host:port}, such as {@code 127.0.0.1:7443}; empty when the Pub/Sub API is disabled. */
    public String endpoint() {
        Server s = server;
        if (s == null) {
            return "";
        }
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + s.getPort();
    }

    public boolean plaintext() {
        return settings.plaintext();
    }

    /** The server's self-signed certificate in PEM; empty in plaintext or when disabled. */
    public String certificatePem() {
        return server == null || settings.plaintext() ? "" : SelfSignedCertificate.get().pem();
    }

    // ---------------------------------------------------------------- faults and status

    /** Ends every open stream as a network reset would. */
    public int resetStreams() {
        return streams.resetStreams();
    }

    /** Open streams send nothing, keepalives included, for a while. */
    public void stall(Duration duration) {
        streams.stall(duration);
    }

    /** New calls get RESOURCE_EXHAUSTED for a while. */
    public void exhaust(Duration duration) {
        streams.exhaust(duration);
    }

    /** Ends every stream, and refuses new calls for a while, with the service-unavailable error. */
    void busy(Duration duration) {
        streams.busy(duration);
    }

    /** Ends the streams whose token was revoked, with the auth error. */
    void tokensRevoked() {
        streams.revoked(auth::stillValid);
    }

    /** Each open stream: method, topic, pending credit, delivered count. */
    public List<Map<String, Object>> streams() {
        return streams.status();
    }
}
