package dev.sfstream;

import dev.sfstream.auth.AccessToken;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.bayeux.BayeuxSession;
import dev.sfstream.bayeux.Message;
import dev.sfstream.internal.Checks;
import dev.sfstream.internal.Shared;
import dev.sfstream.replay.ReplayFallback;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayStore;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Salesforce Streaming API client: PushTopic ({@code /topic/}), platform event ({@code /event/}), Change Data
 * Capture ({@code /data/}) and generic ({@code /u/}) channels over Bayeux long-polling, with durable replay and
 * self-healing reconnects.
 *
 * <pre>{@code
 * StreamingClient client = StreamingClient.builder()
 *         .authenticator(auth)
 *         .replayStore(ReplayStore.file(Path.of("replay.json")))
 *         .build();
 * client.open();
 * client.subscribe("/topic/LeadCreation");
 * for (StreamingEvent event : client) {
 *     handle(event);                      // committed when the loop asks for the next one
 * }
 * }</pre>
 *
 * <h2>Delivery contract</h2>
 * <ul>
 *   <li>A pulled event ({@link #receive(Duration)}, the iterator) is committed when the consumer asks for the next
 *       one, or earlier by {@link #commit(StreamingEvent)}; a listener's event when the listener returns normally;
 *       an {@link #events()} subscriber's event when {@code onNext} returns normally. Committing stores the
 *       channel's {@link ReplayMarker} (replay ID and created date) in the {@link ReplayStore}; markers never move
 *       backwards.</li>
 *   <li>After a re-handshake the client subscribes again from the committed markers and drops every event it
 *       already handed out in this process (by channel and replay ID): within one process the consumer sees each
 *       event once.</li>
 *   <li>After a restart the consumer sees every retained event after the last committed one: at-least-once.</li>
 *   <li>An invalid or expired replay ID is never silent: the {@link ReplayFallback} decides, a warning names the
 *       channel and ID, and the consumer receives a {@link ReplayGap} notice ({@link StreamingEvent#isReplayGap()})
 *       in order with the channel's events.</li>
 *   <li>Failures heal (re-authentication, re-handshake, backoff) or reach the consumer: {@link #receive} and the
 *       iterator throw the {@link StreamingException}, a {@link ConnectionListener} is told.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * The protocol runs on a serial lane over sfstream's shared worker pool, and HTTP is asynchronous: an idle client
 * holds no thread, and many clients in one JVM share the same few threads and one HTTP client. Listeners run on
 * per-channel serial lanes of the same pool: one channel's events in order, channels concurrently. All methods are
 * thread-safe. {@link #close()} stops everything the client started.
 */
public final class StreamingClient implements AutoCloseable, Iterable<StreamingEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingClient.class);

    private final Builder config;
    private final Authenticator authenticator;
    private final ReplayStore store;
    private final Delivery delivery;
    private final BayeuxSession session;
    private final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
    private final Map<String, Fallback> fallbacks = new ConcurrentHashMap<>();
    private final java.util.Set<String> subscribedOnce = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> subscribedAt = new ConcurrentHashMap<>();
    private final Map<String, ReplayFrom> channelStarts = new ConcurrentHashMap<>();

    /** A fallback in force for a channel until a commit moves its marker past the refused ID. */
    private record Fallback(long start, long refusedReplayId) {
    }
    private volatile ConnectionState state = ConnectionState.NEW;
    private volatile long handshakes;
    private volatile long reconnects;

    private StreamingClient(Builder b) {
        this.config = b;
        this.authenticator = b.authenticator;
        this.store = b.replayStore != null ? b.replayStore : ReplayStore.inMemory();
        if (b.connectionListener != null) {
            connectionListeners.add(b.connectionListener);
        }
        HttpClient http = b.httpClient != null ? b.httpClient : Shared.httpClient();
        Executor listenerPool = b.listenerExecutor != null ? b.listenerExecutor : Shared.workers();
        BayeuxSession[] holder = new BayeuxSession[1];
        this.delivery = new Delivery(store, b.queueCapacity, listenerPool, () -> holder[0].resume(), this::report);
        this.session = new BayeuxSession(authenticator, new BayeuxSession.Settings(b.apiVersion,
                b.connectionTimeout, b.requestTimeout, Duration.ofSeconds(15), b.handshakeMinInterval,
                b.backoffInitial, b.backoffMax, b.maxMessageSize), new SessionHandler(), http);
        holder[0] = session;
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Authenticates and handshakes; returns once the connect loop runs. Bad credentials fail here, fast.
     *
     * @throws AuthenticationException when Salesforce refuses the credentials
     * @throws TransportException when Salesforce cannot be reached within the open timeout
     * @throws ServerErrorException when the handshake is refused for a reason that does not heal
     */
    public StreamingClient open() {
        AccessToken token = authenticator.token();
        delivery.namespace(config.replayNamespace != null ? config.replayNamespace
                : token.orgId() != null ? token.orgId() : "default");
        await(session.open(), config.openTimeout, "opening the connection to " + token.instanceUrl());
        return this;
    }

    /** Whether {@link #open()} succeeded and the client is not closed. */
    public boolean isOpen() {
        return state != ConnectionState.NEW && state != ConnectionState.CLOSED;
    }

    /**
     * Stops fetching, lets running listeners finish (up to the close timeout), commits what the consumer finished,
     * disconnects, and flushes the replay store (closing it when the client created it).
     */
    @Override
    public void close() {
        if (state == ConnectionState.CLOSED && delivery.isEnded()) {
            return;
        }
        try {
            session.close().get(config.closeTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("sfstream: disconnect did not complete: {}", e.toString());
        }
        try {
            if (!delivery.awaitListeners(config.closeTimeout)) {
                LOG.warn("sfstream: listeners still running after {} s; closing anyway",
                        config.closeTimeout.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delivery.close();
        if (config.replayStore == null) {
            store.close();
        } else {
            store.flush();
        }
        setState(ConnectionState.CLOSED, "closed");
    }

    // ---------------------------------------------------------------- subscriptions

    /**
     * Subscribes to a channel; its events go to {@link #receive(Duration)}, the iterator or {@link #events()}.
     * Returns once Salesforce confirmed. The start is the committed marker, else the configured {@link ReplayFrom}.
     *
     * @throws IllegalArgumentException when the channel name is not valid, saying what is expected
     * @throws SubscriptionException naming the channel, when Salesforce refuses it
     */
    public Subscription subscribe(String channel) {
        ChannelName name = ChannelName.of(channel);
        await(session.subscribe(name), config.requestTimeout.plus(config.requestTimeout), "subscribing to " + name);
        return new Subscription(this, name);
    }

    /**
     * Subscribes and hands the channel's events to {@code listener}, in order, on a client-owned thread. An event is
     * committed when the listener returns normally; when it throws, the error is logged and the event is not
     * committed (use {@code dev.sfstream.service.StreamingService} for retries and an error policy).
     */
    public Subscription subscribe(String channel, Consumer<StreamingEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        ChannelName name = ChannelName.of(channel);
        delivery.addListener(name.value(), listener);
        try {
            await(session.subscribe(name), config.requestTimeout.plus(config.requestTimeout), "subscribing to "
                    + name);
        } catch (RuntimeException e) {
            delivery.removeListener(name.value());
            throw e;
        }
        return new Subscription(this, name);
    }

    /**
     * Subscribes with a listener and a start of its own for when the store has no marker for this channel (instead
     * of the client's {@code replayFrom}).
     */
    public Subscription subscribe(String channel, ReplayFrom whenNoMarker, Consumer<StreamingEvent> listener) {
        Objects.requireNonNull(whenNoMarker, "whenNoMarker");
        channelStarts.put(ChannelName.of(channel).value(), whenNoMarker);
        return subscribe(channel, listener);
    }

    /** Unsubscribes from a channel (as subscribed, filter included). */
    public void unsubscribe(String channel) {
        await(session.unsubscribe(channel), config.requestTimeout.plus(Duration.ofSeconds(1)), "unsubscribing from "
                + channel);
        delivery.removeListener(channel);
    }

    /** The channels subscribed, in subscription order. */
    public List<String> subscriptions() {
        return await(session.subscriptions(), config.requestTimeout, "listing subscriptions");
    }

    // ---------------------------------------------------------------- consuming

    /**
     * The next event, waiting at most {@code timeout}; empty when none came. Asking for the next event commits the
     * ones this method returned before.
     *
     * @throws StreamingException when the client gave up (after the events already received)
     */
    public Optional<StreamingEvent> receive(Duration timeout) {
        try {
            return delivery.receive(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * A blocking iterator over the events that have no listener; it ends when the client is closed, and throws the
     * {@link StreamingException} when the client gave up. Moving to the next event commits the previous one.
     */
    @Override
    public Iterator<StreamingEvent> iterator() {
        return new Iterator<>() {
            private StreamingEvent next;

            @Override
            public boolean hasNext() {
                while (next == null) {
                    Optional<StreamingEvent> e = receive(Duration.ofSeconds(1));
                    if (e.isPresent()) {
                        next = e.get();
                    } else if (delivery.isEnded() || Thread.currentThread().isInterrupted()) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public StreamingEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the client is closed");
                }
                StreamingEvent e = next;
                next = null;
                return e;
            }
        };
    }

    /**
     * The events that have no listener, as a {@link Flow.Publisher} with back-pressure: events are handed out as the
     * subscriber requests them; an event is committed when {@code onNext} returns normally. One subscriber at a time.
     */
    public Flow.Publisher<StreamingEvent> events() {
        return delivery.publisher();
    }

    /** Commits an event now instead of when the next one is asked for. A gap notice is ignored. */
    public void commit(StreamingEvent event) {
        delivery.commit(Objects.requireNonNull(event, "event"));
    }

    // ---------------------------------------------------------------- observation

    public ConnectionState state() {
        return state;
    }

    /** Adds a listener of connection state changes and errors. */
    public void addConnectionListener(ConnectionListener listener) {
        connectionListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Counters for a status line and health checks. */
    public Stats stats() {
        return new Stats(delivery.received(), delivery.duplicates(), handshakes, reconnects, session.connects(),
                delivery.outstanding());
    }

    /**
     * Counters since the client was built.
     *
     * @param eventsReceived events received from Salesforce, duplicates included
     * @param duplicatesDropped events dropped because they were handed out already
     * @param handshakes handshakes started
     * @param reconnects times the connection went into recovery
     * @param connects long polls answered successfully
     * @param eventsWaiting events handed out and not yet finished by the consumer
     */
    public record Stats(long eventsReceived, long duplicatesDropped, long handshakes, long reconnects, long connects,
            int eventsWaiting) {
    }

    /** The authenticator, shared with a REST client of the same org. */
    public Authenticator authenticator() {
        return authenticator;
    }

    /** The replay store. */
    public ReplayStore replayStore() {
        return store;
    }

    /** The namespace markers are stored under (the org ID unless configured). */
    public String replayNamespace() {
        return delivery.namespace();
    }

    /** The configured API version. */
    public String apiVersion() {
        return config.apiVersion;
    }

    // ---------------------------------------------------------------- internals

    private void setState(ConnectionState next, String reason) {
        ConnectionState previous = state;
        state = next;
        if (previous != next) {
            for (ConnectionListener l : connectionListeners) {
                try {
                    l.onStateChanged(next, reason);
                } catch (RuntimeException e) {
                    LOG.warn("sfstream: a connection listener failed", e);
                }
            }
        }
    }

    private void report(StreamingException error) {
        for (ConnectionListener l : connectionListeners) {
            try {
                l.onError(error);
            } catch (RuntimeException e) {
                LOG.warn("sfstream: a connection listener failed", e);
            }
        }
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StreamingException se) {
                throw se;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new TransportException(what + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new TransportException("no answer from Salesforce within " + timeout.toSeconds() + " s while "
                    + what, e);
        }
    }

    /** Connects the protocol session to delivery, replay decisions and state reporting. */
    private final class SessionHandler implements BayeuxSession.Handler {
        @Override
        public void onEvents(List<Message> events) {
            delivery.accept(events);
        }

        @Override
        public void onStateChanged(BayeuxSession.State s, String reason) {
            switch (s) {
                case HANDSHAKING -> {
                    handshakes++;
                    setState(ConnectionState.CONNECTING, reason);
                }
                case CONNECTED -> setState(ConnectionState.CONNECTED, reason);
                case RECONNECTING -> {
                    reconnects++;
                    setState(ConnectionState.RECONNECTING, reason);
                }
                case CLOSED -> setState(ConnectionState.CLOSED, reason);
                default -> {
                    // UNCONNECTED is the initial state only
                }
            }
        }

        /**
         * Where a (re)subscription starts. The first subscription of a channel in this process starts from
         * {@code startFrom} when set, else the committed marker, else {@code replayFrom}. A re-subscription (after a
         * re-handshake) starts from the later of the committed marker and the last event handed out: everything up
         * to that is either committed or already in this process, so nothing is lost and nothing comes twice.
         */
        @Override
        public long replayStart(ChannelName channel) {
            String ch = channel.value();
            boolean first = subscribedOnce.add(ch);
            if (first && config.startFrom != null) {
                return config.startFrom.value();
            }
            Optional<ReplayMarker> marker = store.get(delivery.namespace(), ch);
            long committed = marker.map(ReplayMarker::replayId).orElse(0L);
            Fallback fallback = fallbacks.get(ch);
            if (fallback != null) {
                if (Math.max(committed, delivery.handedOut(ch)) <= fallback.refusedReplayId()) {
                    return fallback.start();
                }
                fallbacks.remove(ch);
            }
            long position = Math.max(committed, delivery.handedOut(ch));
            if (!first && position > 0) {
                return position;
            }
            Instant since = subscribedAt.get(ch);
            if (!first && since != null) {
                // Subscribed for new events and nothing came before the session broke: there is no replay ID to
                // resume from, so ask for everything retained and drop what was created before the subscription.
                delivery.dropCreatedBefore(ch, since);
                return ReplayFrom.ALL_EVENTS.value();
            }
            if (marker.isEmpty()) {
                return channelStarts.getOrDefault(ch, config.replayFrom).value();
            }
            ReplayMarker m = marker.get();
            Duration maxAge = config.markerMaxAge.get(channel.kind());
            if (m.createdDate().isBefore(Instant.now().minus(maxAge))) {
                return applyFallback(channel, m.replayId(), "the stored marker (created " + m.createdDate()
                        + ") is older than the retention window of " + maxAge.toMinutes() / 60.0 + " h");
            }
            return m.replayId();
        }

        @Override
        public void onSubscribed(ChannelName channel, long sentReplay, Instant serverTime) {
            if (sentReplay == ReplayFrom.NEW_EVENTS.value() && serverTime != null) {
                // The server's Date header has whole seconds: a second of margin keeps every event created after.
                subscribedAt.putIfAbsent(channel.value(), serverTime.minusSeconds(1));
            }
        }

        @Override
        public void onReplayRefused(ChannelName channel, long refusedReplayId) {
            applyFallback(channel, refusedReplayId, "Salesforce refused the replay ID");
        }

        private long applyFallback(ChannelName channel, long refused, String reason) {
            ReplayFallback fallback = config.replayFallback;
            if (fallback == ReplayFallback.FAIL) {
                throw new ReplayIdInvalidException(channel.value(), refused, "cannot resume " + channel
                        + " from replay ID " + refused + ": " + reason + "; the replay fallback is FAIL");
            }
            long start = fallback == ReplayFallback.NEW_EVENTS ? -1 : -2;
            LOG.warn("sfstream: cannot resume {} from replay ID {} ({}); resuming from {}", channel, refused, reason,
                    fallback == ReplayFallback.NEW_EVENTS ? "new events only" : "all retained events");
            fallbacks.put(channel.value(), new Fallback(start, refused));
            delivery.gap(new ReplayGap(channel.value(), refused, fallback, reason));
            return start;
        }

        @Override
        public void onSubscriptionLost(ChannelName channel, StreamingException error) {
            LOG.error("sfstream: lost the subscription to {}: {}", channel, error.getMessage());
            report(error);
        }

        @Override
        public void onFatal(StreamingException error) {
            report(error);
            delivery.fail(error);
        }

        @Override
        public boolean hasRoom() {
            return delivery.hasRoom();
        }
    }

    /**
     * Builds a {@link StreamingClient}. Every setting has a documented default; {@link #build()} checks them all and
     * names the one that is wrong.
     */
    public static final class Builder {
        private Authenticator authenticator;
        private String apiVersion = "64.0";
        private ReplayStore replayStore;
        private String replayNamespace;
        private ReplayFrom replayFrom = ReplayFrom.NEW_EVENTS;
        private ReplayFrom startFrom;
        private ReplayFallback replayFallback = ReplayFallback.ALL_EVENTS;
        private final Map<ChannelName.Kind, Duration> markerMaxAge = new ConcurrentHashMap<>(Map.of(
                ChannelName.Kind.PUSH_TOPIC, Duration.ofMinutes(23 * 60 + 30),
                ChannelName.Kind.GENERIC, Duration.ofMinutes(23 * 60 + 30),
                ChannelName.Kind.PLATFORM_EVENT, Duration.ofMinutes(71 * 60 + 30),
                ChannelName.Kind.CHANGE_EVENT, Duration.ofMinutes(71 * 60 + 30)));
        private int queueCapacity = 1_000;
        private int maxMessageSize = 10 * 1024 * 1024;
        private Duration connectionTimeout = Duration.ofMinutes(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration openTimeout = Duration.ofSeconds(60);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private Duration handshakeMinInterval = Duration.ofSeconds(1);
        private Duration backoffInitial = Duration.ofMillis(500);
        private Duration backoffMax = Duration.ofSeconds(30);
        private HttpClient httpClient;
        private Executor listenerExecutor;
        private ConnectionListener connectionListener;

        private Builder() {
        }

        /** Where tokens come from. Required. */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        /** The Streaming API version, in the CometD URL {@code /cometd/<version>}; 64.0 by default (37.0 or later). */
        public Builder apiVersion(String apiVersion) {
            this.apiVersion = apiVersion;
            return this;
        }

        /** Where replay markers are kept; in memory by default (lost on restart). The client does not close it. */
        public Builder replayStore(ReplayStore store) {
            this.replayStore = store;
            return this;
        }

        /** The namespace of this client's markers in the store; the org ID by default. */
        public Builder replayNamespace(String namespace) {
            this.replayNamespace = namespace;
            return this;
        }

        /** Where a channel starts when the store has no marker: {@link ReplayFrom#NEW_EVENTS} by default. */
        public Builder replayFrom(ReplayFrom replayFrom) {
            this.replayFrom = replayFrom;
            return this;
        }

        /**
         * Where each channel starts when it is first subscribed in this process, whatever the store holds (commits
         * still go to the store); later re-subscriptions, after a re-handshake, resume from the committed markers.
         * Unset by default: the stored marker, else {@link #replayFrom(ReplayFrom)}.
         */
        public Builder startFrom(ReplayFrom startFrom) {
            this.startFrom = startFrom;
            return this;
        }

        /**
         * What to do when a replay ID is refused or a marker is older than the retention window:
         * {@link ReplayFallback#ALL_EVENTS} by default (resume from everything still retained, so nothing that can be
         * replayed is lost).
         */
        public Builder replayFallback(ReplayFallback fallback) {
            this.replayFallback = fallback;
            return this;
        }

        /**
         * How old a stored marker may be before it is treated as outside Salesforce's retention window without
         * asking: 23.5 h for PushTopic and generic channels, 71.5 h for platform and change events by default (just
         * under the 24 h and 72 h Salesforce promises).
         */
        public Builder markerMaxAge(ChannelName.Kind kind, Duration maxAge) {
            Objects.requireNonNull(kind, "kind");
            this.markerMaxAge.put(kind, maxAge);
            return this;
        }

        /** How many received events may wait for the consumer before polling stops; 1,000 by default. */
        public Builder queueCapacity(int capacity) {
            this.queueCapacity = capacity;
            return this;
        }

        /** The largest response accepted, in bytes; 10 MiB by default (Salesforce's advice for CometD clients). */
        public Builder maxMessageSize(int bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        /** How long failures may last before the client gives up with a {@link TransportException}; 10 minutes. */
        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = timeout;
            return this;
        }

        /** How long a handshake, subscribe or unsubscribe may take; 30 seconds. Connects wait the advised timeout. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** How long {@link #open()} may take in all, retries included; 60 seconds. */
        public Builder openTimeout(Duration timeout) {
            this.openTimeout = timeout;
            return this;
        }

        /** How long {@link #close()} lets running listeners finish; 10 seconds. */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        /** The least time between two handshakes, against handshake storms; 1 second. */
        public Builder handshakeMinInterval(Duration interval) {
            this.handshakeMinInterval = interval;
            return this;
        }

        /** The backoff after failures: from {@code initial} doubling to {@code max}, jittered; 0.5 s to 30 s. */
        public Builder backoff(Duration initial, Duration max) {
            this.backoffInitial = initial;
            this.backoffMax = max;
            return this;
        }

        /** The HTTP client; by default one shared by every client of the JVM. Proxies come from its ProxySelector. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        /** Where listeners run; by default sfstream's shared worker pool. */
        public Builder listenerExecutor(Executor executor) {
            this.listenerExecutor = executor;
            return this;
        }

        /** Told about state changes and errors. */
        public Builder connectionListener(ConnectionListener listener) {
            this.connectionListener = listener;
            return this;
        }

        /**
         * Checks every setting and builds the client (not yet open).
         *
         * @throws IllegalArgumentException naming the setting that is wrong
         */
        public StreamingClient build() {
            if (authenticator == null) {
                throw new IllegalArgumentException("authenticator is required: PasswordAuthenticator, "
                        + "JwtBearerAuthenticator, ... ");
            }
            Checks.streamingApiVersion(apiVersion);
            if (replayNamespace != null && replayNamespace.isBlank()) {
                throw new IllegalArgumentException("replayNamespace must not be blank");
            }
            Objects.requireNonNull(replayFrom, "replayFrom");
            Objects.requireNonNull(replayFallback, "replayFallback");
            markerMaxAge.forEach((k, d) -> positive("markerMaxAge(" + k + ")", d));
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be 1 or more, got " + queueCapacity);
            }
            if (maxMessageSize < 1024) {
                throw new IllegalArgumentException("maxMessageSize must be at least 1024 bytes, got "
                        + maxMessageSize);
            }
            positive("connectionTimeout", connectionTimeout);
            positive("requestTimeout", requestTimeout);
            positive("openTimeout", openTimeout);
            positive("closeTimeout", closeTimeout);
            if (handshakeMinInterval == null || handshakeMinInterval.isNegative()) {
                throw new IllegalArgumentException("handshakeMinInterval must be 0 or more");
            }
            positive("backoff initial", backoffInitial);
            positive("backoff max", backoffMax);
            if (backoffMax.compareTo(backoffInitial) < 0) {
                throw new IllegalArgumentException("backoff max must be at least backoff initial");
            }
            return new StreamingClient(this);
        }

        private static void positive(String name, Duration d) {
            Checks.positive(name, d);
        }

        @Override
        public String toString() {
            return "StreamingClient.Builder[authenticator=" + authenticator + ", apiVersion=" + apiVersion
                    + ", replayStore=" + replayStore + ", replayFrom=" + replayFrom + ", replayFallback="
                    + replayFallback + "]";
        }
    }

    @Override
    public String toString() {
        return "StreamingClient[" + state + ", apiVersion=" + config.apiVersion + ", authenticator=" + authenticator
                + "]";
    }
}
