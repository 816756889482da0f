package dev.sfstream;

import dev.sfstream.auth.AccessToken;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.replay.ReplayFallback;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayStore;
import dev.sfstream.transport.Transport;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

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
 *   <li>An event is committed only once the consumer finished it: a pulled event ({@link #receive(Duration)}, the
 *       iterator) when the same thread asks for the next one, or by {@link #commit(StreamingEvent)}; a listener's
 *       event when the listener returns normally; an {@link #events()} subscriber's event when {@code onNext}
 *       returns normally. {@link #close()} commits nothing more: an event pulled and not finished, because the
 *       consumer failed on it or was still at it, comes again after a restart.</li>
 *   <li>Committing stores the channel's {@link dev.sfstream.replay.ReplayMarker} (replay ID and created date) in the
 *       {@link ReplayStore}, in order: an event's marker is stored once every earlier event of its channel handed
 *       out in this process is finished too. A listener (or subscriber) that throws leaves its event unfinished:
 *       the channel's marker stays before it while later events are still delivered, until the event is committed
 *       explicitly; a restart delivers it (and what followed) again. Markers never move backwards.</li>
 *   <li>After a re-handshake the client subscribes again from the committed markers and drops every event it
 *       already handed out in this process (by channel and replay ID): within one process the consumer sees each
 *       event once.</li>
 *   <li>After a restart the consumer sees every retained event after the last committed one: at-least-once.</li>
 *   <li>An invalid or expired replay ID is never silent: the {@link ReplayFallback} decides, a warning names the
 *       channel and ID, and the consumer receives a {@link ReplayGap} notice ({@link StreamingEvent#isReplayGap()})
 *       in order with the channel's events.</li>
 *   <li>Failures heal (re-authentication, re-handshake, backoff) or reach the consumer: {@link #receive} and the
 *       iterator throw the {@link StreamingException}, a {@link ConnectionListener} is told. A subscription refused
 *       when it is renewed after a re-handshake (a deleted PushTopic) is such a failure: {@link #receive} throws
 *       its {@link SubscriptionException} once, in order with the events.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * The protocol runs on a serial lane over sfstream's shared worker pool, and HTTP is asynchronous: an idle client
 * holds no thread, and many clients in one JVM share the same few threads and one HTTP client. Listeners run on
 * per-channel serial lanes of the same pool: one channel's events in order, channels concurrently. All methods are
 * thread-safe; several threads may pull, each finishing its own events by asking for its next one. {@link #close()}
 * stops everything the client started.
 */
public final class StreamingClient implements AutoCloseable, Iterable<StreamingEvent> {

    private final ClientSettings settings;
    private final ReplayStore store;
    private final Delivery delivery;
    private final ReplayStarts starts;
    private final ClientSession session;
    private final ConnectionReports reports = new ConnectionReports();
    private final Object closeLock = new Object();
    private boolean closed;

    private StreamingClient(ClientSettings s) {
        this.settings = s;
        this.store = s.replayStore() != null ? s.replayStore() : ReplayStore.inMemory();
        if (s.connectionListener() != null) {
            reports.add(s.connectionListener());
        }
        ObserverCalls observer = new ObserverCalls(s.observer());
        ClientSession[] holder = new ClientSession[1];
        this.delivery = new Delivery(store, s.queueCapacity(), s.listenerPool(), () -> holder[0].resume(),
                reports::error, observer);
        this.starts = new ReplayStarts(store, delivery, s);
        this.session = new ClientSession(s, delivery, starts, reports, observer,
                store instanceof dev.sfstream.replay.LeasedReplayStore leased ? leased : null);
        holder[0] = session;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Authenticates and handshakes; returns once the connect loop runs. Bad credentials fail here, fast.
     *
     * @throws AuthenticationException when Salesforce refuses the credentials
     * @throws TransportException when Salesforce cannot be reached within the open timeout
     * @throws ServerErrorException when the handshake is refused for a reason that does not heal
     */
    public StreamingClient open() {
        AccessToken token = settings.authenticator().token();
        delivery.namespace(settings.replayNamespace() != null ? settings.replayNamespace()
                : token.orgId() != null ? token.orgId() : "default");
        session.open(delivery.namespace(), token.instanceUrl().toString());
        return this;
    }

    /** Whether {@link #open()} succeeded and the client is not closed. */
    public boolean isOpen() {
        ConnectionState state = reports.state();
        return state != ConnectionState.NEW && state != ConnectionState.CLOSED;
    }

    /**
     * Stops fetching, lets running and queued listeners finish (up to the close timeout), disconnects, and flushes
     * the replay store (closing it when the client created it). Commits nothing that the consumer did not finish.
     * Also after the client gave up on a fatal error. A second call waits for the first one to end.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (!closed) {
                closed = true;
                session.shutdown(store, settings.replayStore() == null);
            }
        }
    }

    /**
     * Subscribes to a channel; its events go to {@link #receive(Duration)}, the iterator or {@link #events()}.
     * Returns once Salesforce confirmed. The start is the committed marker, else the configured {@link ReplayFrom}.
     * When it fails (refused, timed out), the channel is not subscribed: nothing of it arrives later.
     *
     * @throws IllegalArgumentException when the channel name is not valid, saying what is expected
     * @throws SubscriptionException naming the channel, when Salesforce refuses it
     * @throws ReplayStoreException when the channel's marker cannot be read from the store
     */
    public Subscription subscribe(String channel) {
        return subscribe(ChannelName.of(channel), null, null);
    }

    /**
     * Subscribes and hands the channel's events to {@code listener}, in order, on a client-owned thread. An event is
     * committed when the listener returns normally. When it throws, the error is logged and the event stays
     * uncommitted: the channel's marker stays before it (later events are still delivered, and committed once the
     * failed event is committed with {@link #commit}), so a restart delivers it again. For retries and an error
     * policy use {@code dev.sfstream.service.StreamingService}.
     */
    public Subscription subscribe(String channel, Consumer<StreamingEvent> listener) {
        return subscribe(ChannelName.of(channel), null, Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Subscribes with a listener and a start of its own for when the store has no marker for this channel (instead
     * of the client's {@code replayFrom}).
     */
    public Subscription subscribe(String channel, ReplayFrom whenNoMarker, Consumer<StreamingEvent> listener) {
        return subscribe(ChannelName.of(channel), Objects.requireNonNull(whenNoMarker, "whenNoMarker"),
                Objects.requireNonNull(listener, "listener"));
    }

    private Subscription subscribe(ChannelName name, ReplayFrom whenNoMarker, Consumer<StreamingEvent> listener) {
        session.subscribe(name, whenNoMarker, listener);
        return new Subscription(this, name);
    }

    /** Unsubscribes from a channel (as subscribed, filter included); its events in flight stay uncommitted. */
    public void unsubscribe(String channel) {
        session.unsubscribe(channel);
    }

    /** The channels subscribed, in subscription order. */
    public List<String> subscriptions() {
        return session.list();
    }

    /**
     * The next event, waiting at most {@code timeout}; empty when none came. Asking for the next event finishes (and
     * so commits) the ones this thread received before.
     *
     * @throws StreamingException when the client gave up (after the events already received), or once for a
     *     subscription lost for good
     */
    public Optional<StreamingEvent> receive(Duration timeout) {
        return delivery.receive(timeout);
    }

    /**
     * A blocking iterator over the events that have no listener; it ends when the client is closed, and throws the
     * {@link StreamingException} when the client gave up. Moving to the next event commits the previous one; an
     * event the loop did not finish (it threw, or broke out) is not committed.
     */
    @Override
    public Iterator<StreamingEvent> iterator() {
        return new EventIterator(this::receive, delivery::isEnded);
    }

    /**
     * The events that have no listener, as a {@link Flow.Publisher} with back-pressure: events are handed out as the
     * subscriber requests them; an event is committed when {@code onNext} returns normally. One subscriber at a time.
     */
    public Flow.Publisher<StreamingEvent> events() {
        return delivery.publisher();
    }

    /**
     * Finishes an event now instead of when the next one is asked for; its marker is stored once every earlier event
     * of its channel is finished. Also releases an event a listener failed on. A gap notice is ignored.
     */
    public void commit(StreamingEvent event) {
        delivery.commit(Objects.requireNonNull(event, "event"));
    }

    /** The connection's state now: what the {@link ConnectionListener}s were told last. */
    public ConnectionState state() {
        return reports.state();
    }

    /** Adds a listener of connection state changes and errors. */
    public void addConnectionListener(ConnectionListener listener) {
        reports.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Counters for a status line and health checks. */
    public Stats stats() {
        return new Stats(delivery.received(), delivery.duplicates(), reports.handshakes(), reports.reconnects(),
                session.fetches(), delivery.outstanding());
    }

    /**
     * Counters since the client was built.
     *
     * @param eventsReceived events received from Salesforce, duplicates included
     * @param duplicatesDropped events dropped because they were handed out already
     * @param handshakes handshakes started
     * @param reconnects times the connection went into recovery
     * @param connects fetches answered successfully (Bayeux long polls, Pub/Sub fetch responses)
     * @param eventsWaiting events handed out and not yet finished by the consumer
     */
    public record Stats(long eventsReceived, long duplicatesDropped, long handshakes, long reconnects, long connects,
            int eventsWaiting) {
    }

    /** The authenticator, shared with a REST client of the same org. */
    public Authenticator authenticator() {
        return settings.authenticator();
    }

    /** The replay store. */
    public ReplayStore replayStore() {
        return store;
    }

    /**
     * The lease of the exclusive group this client holds now: empty outside a group, and while it waits as a
     * standby. A handler that commits its event's marker in its own database transaction writes with this lease's
     * epoch, so that the store refuses it once another replica took over.
     */
    public Optional<dev.sfstream.replay.Lease> lease() {
        return session.lease();
    }

    /** The exclusive group this client is a replica of ({@link Builder#exclusive}); empty outside one. */
    public Optional<String> exclusiveGroup() {
        return Optional.ofNullable(settings.exclusiveGroup());
    }

    /** The namespace markers are stored under (the org ID unless configured). */
    public String replayNamespace() {
        return delivery.namespace();
    }

    /** The configured API version. */
    public String apiVersion() {
        return settings.apiVersion();
    }

    /** The transport events come through: the Streaming API ({@code bayeux}) unless another was chosen. */
    public Transport transport() {
        return settings.transport();
    }

    /**
     * Builds a {@link StreamingClient}. Every setting has a documented default; {@link #build()} checks them all and
     * names the one that is wrong.
     */
    public static final class Builder {
        Authenticator authenticator;
        String apiVersion = ClientSettings.DEFAULT_API_VERSION;
        ReplayStore replayStore;
        String replayNamespace;
        ReplayFrom replayFrom = ClientSettings.DEFAULT_REPLAY_FROM;
        ReplayFrom startFrom;
        ReplayFallback replayFallback = ClientSettings.DEFAULT_REPLAY_FALLBACK;
        final Map<ChannelName.Kind, Duration> markerMaxAge = ClientSettings.defaultMarkerMaxAge();
        int queueCapacity = ClientSettings.DEFAULT_QUEUE_CAPACITY;
        int maxMessageSize = ClientSettings.DEFAULT_MAX_MESSAGE_SIZE;
        Duration connectionTimeout = ClientSettings.DEFAULT_CONNECTION_TIMEOUT;
        Duration requestTimeout = ClientSettings.DEFAULT_REQUEST_TIMEOUT;
        Duration openTimeout = ClientSettings.DEFAULT_OPEN_TIMEOUT;
        Duration closeTimeout = ClientSettings.DEFAULT_CLOSE_TIMEOUT;
        Duration handshakeMinInterval = ClientSettings.DEFAULT_HANDSHAKE_MIN_INTERVAL;
        Duration backoffInitial = ClientSettings.DEFAULT_BACKOFF_INITIAL;
        Duration backoffMax = ClientSettings.DEFAULT_BACKOFF_MAX;
        HttpClient httpClient;
        Executor listenerExecutor;
        ConnectionListener connectionListener;
        Transport transport = Transport.bayeux();
        StreamingObserver observer = StreamingObserver.NONE;
        String exclusiveGroup;
        Duration leaseTtl = ClientSettings.DEFAULT_LEASE_TTL;

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

        /** Received events waiting for the consumer at which polling stops (batches in flight still land); 1,000. */
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

        /**
         * The API events come through: {@link Transport#bayeux()} (the Streaming API, every channel family) by
         * default, or {@code Transport.named("pubsub")} (the Pub/Sub API, module sfstream-pubsub: platform and change
         * events only).
         */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Makes this client one of the replicas of an exclusive group: only one of them consumes at a time (the one
         * holding the group's lease in the replay store), the others wait as standbys ({@link ConnectionState#STANDBY})
         * and one takes over within the lease's time-to-live when the active one stops or dies. The replay store
         * must elect ({@code LeasedReplayStore}: Redis, JDBC). Unset by default.
         */
        public Builder exclusive(String group) {
            this.exclusiveGroup = group;
            return this;
        }

        /** How long a lease lasts without renewal (renewed every third of it): how soon a standby takes over; 15 s. */
        public Builder leaseTtl(Duration ttl) {
            this.leaseTtl = ttl;
            return this;
        }

        /** Told what the client observes, for metrics (see {@link StreamingObserver} for its contract). */
        public Builder observer(StreamingObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
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
            return new StreamingClient(ClientSettings.of(this));
        }
    }

    @Override
    public String toString() {
        return "StreamingClient[" + reports.state() + ", apiVersion=" + settings.apiVersion() + ", authenticator="
                + settings.authenticator() + "]";
    }
}
