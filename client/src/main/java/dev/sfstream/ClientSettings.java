package dev.sfstream;

import dev.sfstream.auth.Authenticator;
import dev.sfstream.internal.Checks;
import dev.sfstream.replay.ReplayFallback;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayStore;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * A {@link StreamingClient}'s settings, checked and frozen at {@link StreamingClient.Builder#build()}: the client
 * never keeps its builder. Every default is written here, once.
 */
record ClientSettings(Authenticator authenticator, String apiVersion, ReplayStore replayStore, String replayNamespace,
        ReplayFrom replayFrom, ReplayFrom startFrom, ReplayFallback replayFallback,
        Map<ChannelName.Kind, Duration> markerMaxAge, int queueCapacity, int maxMessageSize,
        Duration connectionTimeout, Duration requestTimeout, Duration openTimeout, Duration closeTimeout,
        Duration handshakeMinInterval, Duration backoffInitial, Duration backoffMax, HttpClient httpClient,
        Executor listenerExecutor, ConnectionListener connectionListener, dev.sfstream.transport.Transport transport,
        StreamingObserver observer, String exclusiveGroup, Duration leaseTtl) {

    /** The Streaming API version used unless another is set; a compile-time constant for annotations. */
    static final String DEFAULT_API_VERSION = "64.0";
    static final ReplayFrom DEFAULT_REPLAY_FROM = ReplayFrom.NEW_EVENTS;
    static final ReplayFallback DEFAULT_REPLAY_FALLBACK = ReplayFallback.ALL_EVENTS;
    /** Just under Salesforce's 24 h retention of PushTopic and generic events. */
    static final Duration DEFAULT_MAX_AGE_24H = Duration.ofMinutes(23 * 60 + 30);
    /** Just under Salesforce's 72 h retention of platform and change events. */
    static final Duration DEFAULT_MAX_AGE_72H = Duration.ofMinutes(71 * 60 + 30);
    static final int DEFAULT_QUEUE_CAPACITY = 1_000;
    /** Under 30 s from an active replica's death to a standby's takeover, renewing every 5 s. */
    static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(15);
    static final int DEFAULT_MAX_MESSAGE_SIZE = 10 * 1024 * 1024;
    static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofMinutes(10);
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_OPEN_TIMEOUT = Duration.ofSeconds(60);
    static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_HANDSHAKE_MIN_INTERVAL = Duration.ofSeconds(1);
    static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofMillis(500);
    static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(30);

    ClientSettings {
        markerMaxAge = Map.copyOf(markerMaxAge);
    }

    /** The default marker ages, per channel family. */
    static Map<ChannelName.Kind, Duration> defaultMarkerMaxAge() {
        Map<ChannelName.Kind, Duration> ages = new EnumMap<>(ChannelName.Kind.class);
        ages.put(ChannelName.Kind.PUSH_TOPIC, DEFAULT_MAX_AGE_24H);
        ages.put(ChannelName.Kind.GENERIC, DEFAULT_MAX_AGE_24H);
        ages.put(ChannelName.Kind.PLATFORM_EVENT, DEFAULT_MAX_AGE_72H);
        ages.put(ChannelName.Kind.CHANGE_EVENT, DEFAULT_MAX_AGE_72H);
        return ages;
    }

    /**
     * Checks every setting of a builder and freezes them.
     *
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    static ClientSettings of(StreamingClient.Builder b) {
        if (b.authenticator == null) {
            throw new IllegalArgumentException("authenticator is required: PasswordAuthenticator, "
                    + "JwtBearerAuthenticator, ... ");
        }
        Checks.streamingApiVersion(b.apiVersion);
        if (b.replayNamespace != null && b.replayNamespace.isBlank()) {
            throw new IllegalArgumentException("replayNamespace must not be blank");
        }
        Objects.requireNonNull(b.replayFrom, "replayFrom");
        Objects.requireNonNull(b.replayFallback, "replayFallback");
        b.markerMaxAge.forEach((k, d) -> Checks.positive("markerMaxAge(" + k + ")", d));
        if (b.queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be 1 or more, got " + b.queueCapacity);
        }
        if (b.maxMessageSize < 1024) {
            throw new IllegalArgumentException("maxMessageSize must be at least 1024 bytes, got " + b.maxMessageSize);
        }
        Checks.positive("connectionTimeout", b.connectionTimeout);
        Checks.positive("requestTimeout", b.requestTimeout);
        Checks.positive("openTimeout", b.openTimeout);
        Checks.positive("closeTimeout", b.closeTimeout);
        if (b.handshakeMinInterval == null || b.handshakeMinInterval.isNegative()) {
            throw new IllegalArgumentException("handshakeMinInterval must be 0 or more");
        }
        if (b.exclusiveGroup != null) {
            if (b.exclusiveGroup.isBlank()) {
                throw new IllegalArgumentException("exclusive group must not be blank");
            }
            if (!(b.replayStore instanceof dev.sfstream.replay.LeasedReplayStore)) {
                throw new IllegalArgumentException("exclusive(\"" + b.exclusiveGroup + "\") needs a replay store "
                        + "that elects one consumer among replicas (Redis or JDBC), got " + (b.replayStore == null
                        ? "none (in memory, for this process only)" : b.replayStore));
            }
            Checks.positive("leaseTtl", b.leaseTtl);
        }
        Checks.positive("backoff initial", b.backoffInitial);
        Checks.positive("backoff max", b.backoffMax);
        if (b.backoffMax.compareTo(b.backoffInitial) < 0) {
            throw new IllegalArgumentException("backoff max must be at least backoff initial");
        }
        return new ClientSettings(b.authenticator, b.apiVersion, b.replayStore, b.replayNamespace, b.replayFrom,
                b.startFrom, b.replayFallback, b.markerMaxAge, b.queueCapacity, b.maxMessageSize, b.connectionTimeout,
                b.requestTimeout, b.openTimeout, b.closeTimeout, b.handshakeMinInterval, b.backoffInitial,
                b.backoffMax, b.httpClient, b.listenerExecutor, b.connectionListener, b.transport, b.observer,
                b.exclusiveGroup, b.leaseTtl);
    }

    /** Where listeners run: the given executor, else sfstream's shared worker pool. */
    Executor listenerPool() {
        return listenerExecutor != null ? listenerExecutor : dev.sfstream.internal.Shared.workers();
    }

    /** How long a subscribe may take in all: its request, and one retry of it. */
    Duration subscribeTimeout() {
        return requestTimeout.plus(requestTimeout);
    }

    /** What the client's transport session is given: the authenticator, the listener and the settings it honours. */
    dev.sfstream.transport.TransportContext transportContext(dev.sfstream.transport.SessionListener listener) {
        return new dev.sfstream.transport.TransportContext(authenticator, listener, apiVersion, connectionTimeout,
                requestTimeout, handshakeMinInterval, backoffInitial, backoffMax, maxMessageSize, httpClient);
    }
}
