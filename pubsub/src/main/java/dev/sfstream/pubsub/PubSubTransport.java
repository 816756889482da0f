package dev.sfstream.pubsub;

import dev.sfstream.ChannelName;
import dev.sfstream.internal.Shared;
import dev.sfstream.replay.ReplayStore;
import dev.sfstream.transport.Transport;
import dev.sfstream.transport.TransportContext;
import dev.sfstream.transport.TransportSession;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Salesforce's Pub/Sub API (gRPC) as the transport of a {@link dev.sfstream.StreamingClient}: platform event
 * ({@code /event/...}) and change event ({@code /data/...}) channels, decoded from Avro into the Streaming API's JSON
 * shape, so that everything above the transport (the delivery contract, replay stores, fallbacks, gap notices, the
 * typed views, the declarative handlers) works as with the default transport.
 *
 * <pre>{@code
 * StreamingClient client = StreamingClient.builder()
 *         .authenticator(auth)
 *         .transport(PubSubTransport.defaults())      // or Transport.named("pubsub")
 *         .build();
 * }</pre>
 *
 * <p>Connections: the transport opens one gRPC channel (one HTTP/2 connection) to its endpoint when a session first
 * needs it, shares it among every session and publisher that uses the transport, and shuts it down when the last one
 * closes; a channel given with {@link Builder#channel} is used as it is and never shut down. TLS is always verified,
 * except for a loopback host (the emulator), which may be plaintext or trusted without checks when asked.
 *
 * <p>Immutable and thread-safe; one transport may serve many clients.
 */
public final class PubSubTransport implements Transport {
    /** Salesforce's global endpoint. */
    public static final String DEFAULT_ENDPOINT = "api.pubsub.salesforce.com:7443";
    /** The endpoint that keeps data in transit within the EU. */
    public static final String EU_ENDPOINT = "api.deu.pubsub.salesforce.com:7443";
    /** The most events a Subscribe call may have requested and not received: Salesforce's limit. */
    public static final int MAX_CREDIT = 100;
    static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(270);
    static final Duration DEFAULT_WATCHDOG_MARGIN = Duration.ofSeconds(30);
    static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(60);
    static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 128 * 1024 * 1024;

    private static final PubSubTransport DEFAULTS = builder().build();

    /** How the connection is secured. */
    enum Security {
        /** TLS, the server's certificate checked against the JDK's trust store (or the certificates given). */
        VERIFIED,
        /** TLS without any check of the server's certificate: loopback hosts only. */
        TRUST_ANY,
        /** Plaintext HTTP/2: loopback hosts only. */
        PLAINTEXT
    }

    private final Endpoint endpoint;
    private final Security security;
    private final String trustedCertificates;
    private final Duration keepaliveInterval;
    private final Duration watchdogMargin;
    private final Duration pingInterval;
    private final int maxInboundMessageSize;
    private final int credit;
    private final ManagedChannel external;
    private final Map<String, ManagedSubscription> managed;
    final SchemaCache schemas = new SchemaCache();
    final ServerCommits.Registry managedCommits = new ServerCommits.Registry();
    private final Object channelLock = new Object();
    private ManagedChannel created; // guarded by channelLock
    private int users; // guarded by channelLock

    private PubSubTransport(Builder b) {
        this.endpoint = b.endpoint;
        this.security = b.security;
        this.trustedCertificates = b.trustedCertificates;
        this.keepaliveInterval = b.keepaliveInterval;
        this.watchdogMargin = b.watchdogMargin;
        this.pingInterval = b.pingInterval;
        this.maxInboundMessageSize = b.maxInboundMessageSize;
        this.credit = b.credit;
        this.external = b.channel;
        this.managed = Map.copyOf(b.managed);
    }

    /** The transport with every default: Salesforce's global endpoint, verified TLS. One instance per JVM. */
    public static PubSubTransport defaults() {
        return DEFAULTS;
    }

    /** A builder with every default: Salesforce's global endpoint, verified TLS, credit 100. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder with this transport's settings, to derive another. */
    public Builder newBuilder() {
        return new Builder(this);
    }

    @Override
    public String name() {
        return "pubsub";
    }

    /**
     * Refuses PushTopic ({@code /topic/...}) and generic ({@code /u/...}) channels: the Pub/Sub API serves platform
     * events and change events only.
     */
    @Override
    public void checkChannel(ChannelName channel) {
        if (channel.kind() == ChannelName.Kind.PUSH_TOPIC || channel.kind() == ChannelName.Kind.GENERIC) {
            throw new IllegalArgumentException("channel " + channel + ": PushTopics (/topic/...) and generic channels "
                    + "(/u/...) exist only on the Streaming API, not on the Pub/Sub API; subscribe to them with a "
                    + "client on the default transport (Transport.bayeux())");
        }
    }

    @Override
    public TransportSession newSession(TransportContext context) {
        return new PubSubSession(this, Objects.requireNonNull(context, "context"));
    }

    /**
     * A replay store for a client of managed subscriptions ({@link Builder#managedSubscription}): what the client
     * commits on a managed channel goes to Salesforce, which keeps the subscription's replay ID and restarts it there
     * (the server is the store); markers of other channels are kept in memory.
     */
    public ReplayStore serverCommits() {
        return serverCommits(ReplayStore.inMemory());
    }

    /**
     * As {@link #serverCommits()}, with the markers of the client's other channels kept in {@code others} (which the
     * returned store flushes and closes).
     */
    public ReplayStore serverCommits(ReplayStore others) {
        return new ServerCommits(this, Objects.requireNonNull(others, "others"));
    }

    // ---------------------------------------------------------------- settings

    /** {@code host:port}. */
    public String endpoint() {
        return endpoint.toString();
    }

    Endpoint target() {
        return endpoint;
    }

    Security security() {
        return security;
    }

    String trustedCertificates() {
        return trustedCertificates;
    }

    Duration keepaliveInterval() {
        return keepaliveInterval;
    }

    Duration watchdogMargin() {
        return watchdogMargin;
    }

    Duration pingInterval() {
        return pingInterval;
    }

    int maxInboundMessageSize() {
        return maxInboundMessageSize;
    }

    int credit() {
        return credit;
    }

    /** The managed subscription that serves a channel, or null when the channel is subscribed the plain way. */
    ManagedSubscription managed(String channel) {
        return managed.get(channel);
    }

    // ---------------------------------------------------------------- the shared channel

    /** The channel to use, opened on first use; every acquire is paired with a {@link #release}. */
    ManagedChannel acquire() {
        if (external != null) {
            return external;
        }
        synchronized (channelLock) {
            if (created == null) {
                created = Channels.open(this);
            }
            users++;
            return created;
        }
    }

    /** A session or publisher is done with the channel: the last one shuts down a channel the transport opened. */
    void release(ManagedChannel channel) {
        if (channel == external) {
            return;
        }
        ManagedChannel closing = null;
        synchronized (channelLock) {
            if (channel == created && --users == 0) {
                closing = created;
                created = null;
            }
        }
        if (closing != null) {
            ManagedChannel c = closing;
            c.shutdown();
            // Calls were cancelled already; give the connection a moment to say goodbye, off the caller's thread.
            Shared.workers().execute(() -> {
                try {
                    if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
                        c.shutdownNow();
                    }
                } catch (InterruptedException e) {
                    c.shutdownNow();
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /** Whether the transport holds a channel it opened (for tests). */
    boolean holdsChannel() {
        synchronized (channelLock) {
            return created != null;
        }
    }

    @Override
    public String toString() {
        return "PubSubTransport[" + endpoint + (external != null ? ", own channel" : ", " + security) + "]";
    }

    /**
     * Builds a {@link PubSubTransport}; {@link #build()} checks every setting and names the one that is wrong. Not
     * thread-safe: one thread builds, and the transport it builds is immutable.
     */
    public static final class Builder {
        private Endpoint endpoint = Endpoint.parse(DEFAULT_ENDPOINT);
        private Security security = Security.VERIFIED;
        private String trustedCertificates;
        private Duration keepaliveInterval = DEFAULT_KEEPALIVE_INTERVAL;
        private Duration watchdogMargin = DEFAULT_WATCHDOG_MARGIN;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private int maxInboundMessageSize = DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
        private int credit = MAX_CREDIT;
        private ManagedChannel channel;
        private final Map<String, ManagedSubscription> managed = new LinkedHashMap<>();

        private Builder() {
        }

        private Builder(PubSubTransport t) {
            endpoint = t.endpoint;
            security = t.security;
            trustedCertificates = t.trustedCertificates;
            keepaliveInterval = t.keepaliveInterval;
            watchdogMargin = t.watchdogMargin;
            pingInterval = t.pingInterval;
            maxInboundMessageSize = t.maxInboundMessageSize;
            credit = t.credit;
            channel = t.external;
            managed.putAll(t.managed);
        }

        /**
         * The endpoint, {@code host:port} (port 7443 when left out): {@value #DEFAULT_ENDPOINT} by default,
         * {@value #EU_ENDPOINT} to keep data in the EU, or the emulator's {@code Emulator.pubSubEndpoint()}.
         */
        public Builder endpoint(String hostAndPort) {
            this.endpoint = Endpoint.parse(hostAndPort);
            return this;
        }

        /** Plaintext HTTP/2 instead of TLS: for a loopback endpoint only (the emulator started in plaintext). */
        public Builder plaintext() {
            this.security = Security.PLAINTEXT;
            return this;
        }

        /** TLS without checking the server's certificate: for a loopback endpoint only (a self-signed emulator). */
        public Builder trustAnyCertificate() {
            this.security = Security.TRUST_ANY;
            return this;
        }

        /**
         * TLS verified against these certificates (PEM) instead of the JDK's trust store: a private CA, or the
         * emulator's {@code pubSub().certificatePem()}. The host name is still checked.
         */
        public Builder trustedCertificates(String pem) {
            this.trustedCertificates = Objects.requireNonNull(pem, "pem");
            this.security = Security.VERIFIED;
            return this;
        }

        /**
         * How often Salesforce sends a stream an empty response while requested events are pending and none come
         * (a keepalive); 270 seconds, the longest Salesforce promises. With {@link #watchdogMargin}, how long a
         * stream may stay silent before it is taken for dead, cancelled and resumed.
         */
        public Builder keepaliveInterval(Duration interval) {
            this.keepaliveInterval = interval;
            return this;
        }

        /** How much longer than {@link #keepaliveInterval} a stream may stay silent; 30 seconds. */
        public Builder watchdogMargin(Duration margin) {
            this.watchdogMargin = margin;
            return this;
        }

        /**
         * How often an HTTP/2 PING checks the connection while calls are open, so that a half-open connection is
         * noticed; 60 seconds (gRPC does not ping more often than every 10 seconds).
         */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = interval;
            return this;
        }

        /**
         * The largest gRPC message accepted, in bytes; 128 MiB by default, since a response may carry 100 events of
         * up to 1 MB each (gRPC's own default, 4 MiB, is too small for that).
         */
        public Builder maxInboundMessageSize(int bytes) {
            this.maxInboundMessageSize = bytes;
            return this;
        }

        /**
         * How many events each subscription keeps requested ahead of the consumer, at most {@value #MAX_CREDIT}
         * (Salesforce's limit, and the default). More are requested as the consumer takes events, never while its
         * queue is full.
         */
        public Builder credit(int events) {
            this.credit = events;
            return this;
        }

        /**
         * A gRPC channel to use instead of opening one: its own endpoint, credentials and settings apply, and the
         * transport never shuts it down.
         */
        public Builder channel(ManagedChannel channel) {
            this.channel = Objects.requireNonNull(channel, "channel");
            return this;
        }

        /**
         * Consumes a channel through a managed subscription ({@code ManagedEventSubscription}, by developer name or
         * ID) instead of a plain one: Salesforce keeps the subscription's replay ID, and the client commits to it
         * after processing. The channel is the subscription's {@code topicName}; the client needs
         * {@link PubSubTransport#serverCommits()} as its replay store.
         */
        public Builder managedSubscription(String channel, String developerNameOrId) {
            ChannelName name = ChannelName.of(channel);
            if (name.kind() != ChannelName.Kind.PLATFORM_EVENT && name.kind() != ChannelName.Kind.CHANGE_EVENT) {
                throw new IllegalArgumentException("managedSubscription: " + channel + " is not a platform or change "
                        + "event channel");
            }
            managed.put(name.value(), ManagedSubscription.of(developerNameOrId));
            return this;
        }

        /**
         * Checks every setting and builds the transport.
         *
         * @throws IllegalArgumentException naming the setting that is wrong
         */
        public PubSubTransport build() {
            positive("keepaliveInterval", keepaliveInterval);
            positive("watchdogMargin", watchdogMargin);
            positive("pingInterval", pingInterval);
            if (maxInboundMessageSize < 2 * 1024 * 1024) {
                throw new IllegalArgumentException("maxInboundMessageSize must be at least 2 MiB (an event may have "
                        + "1 MB), got " + maxInboundMessageSize);
            }
            if (credit < 1 || credit > MAX_CREDIT) {
                throw new IllegalArgumentException("credit must be between 1 and " + MAX_CREDIT + ", got " + credit);
            }
            if (security != Security.VERIFIED && channel == null && !endpoint.isLoopback()) {
                throw new IllegalArgumentException((security == Security.PLAINTEXT ? "plaintext" : "trustAnyCertificate")
                        + " is for a loopback endpoint (the emulator) only; " + endpoint + " is always reached over "
                        + "TLS with a verified certificate");
            }
            return new PubSubTransport(this);
        }

        private static void positive(String name, Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
            }
        }
    }
}
