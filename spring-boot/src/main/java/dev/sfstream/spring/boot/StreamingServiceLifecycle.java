package dev.sfstream.spring.boot;

import dev.sfstream.ConnectionListener;
import dev.sfstream.ConnectionState;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingException;
import dev.sfstream.StreamingObserver;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.replay.LeasedReplayStore;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayStore;
import dev.sfstream.service.HandlerFailure;
import dev.sfstream.service.StreamingService;
import dev.sfstream.transport.Transport;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.SmartLifecycle;

/**
 * The {@link StreamingService} of the application's handler beans, under Spring's lifecycle, as Spring Kafka runs its
 * listener containers.
 *
 * <ul>
 *   <li>Once every singleton exists, the handler methods are checked (a wrong signature fails the context with the
 *       method's name) and the client is built, not yet connected.</li>
 *   <li>{@link #start()} runs in a late phase ({@value #PHASE}), after the rest of the application started: it
 *       connects, declares the topics and subscribes. With {@code sfstream.auto-startup=false} nothing starts until
 *       the application calls it.</li>
 *   <li>{@link #stop()} runs first at shutdown (Spring's graceful shutdown included): the client stops fetching,
 *       running handlers finish, their events are committed and the client disconnects, within
 *       {@code sfstream.shutdown-timeout}; an event still being handled then is not committed and comes again after
 *       a restart.</li>
 *   <li>Stopped, it can be started again: it builds a new client.</li>
 * </ul>
 * Thread-safe.
 */
public class StreamingServiceLifecycle implements SmartLifecycle, SmartInitializingSingleton, DisposableBean {
    /** Late, as Spring Kafka's containers: what handlers use is started first, and stopped after them. */
    public static final int PHASE = Integer.MAX_VALUE - 100;

    private static final Logger LOG = LoggerFactory.getLogger(StreamingServiceLifecycle.class);

    private final SfstreamProperties properties;
    private final Authenticator authenticator;
    private final ReplayStore replayStore;
    private final HandlerBeans handlerBeans;
    private final ObjectProvider<StreamingClientCustomizer> clientCustomizers;
    private final ObjectProvider<StreamingServiceCustomizer> serviceCustomizers;
    private final ObjectProvider<StreamingObserver> observers;
    private final ObjectProvider<ConnectionListener> connectionListeners;
    private final ObjectProvider<HandlerFailureListener> failureListeners;
    private final ObjectProvider<TransportSettings> transportSettings;
    private final Object lock = new Object();
    private Run prepared;
    private Run current;
    private volatile Run last;
    private volatile boolean running;

    /** One start's clients, service and what they observed. */
    private record Run(StreamingService service, List<StreamingClient> clients, List<ClientStatus> statuses) {
    }

    public StreamingServiceLifecycle(SfstreamProperties properties, Authenticator authenticator,
            ReplayStore replayStore, HandlerBeans handlerBeans,
            ObjectProvider<StreamingClientCustomizer> clientCustomizers,
            ObjectProvider<StreamingServiceCustomizer> serviceCustomizers,
            ObjectProvider<StreamingObserver> observers, ObjectProvider<ConnectionListener> connectionListeners,
            ObjectProvider<HandlerFailureListener> failureListeners,
            ObjectProvider<TransportSettings> transportSettings) {
        this.properties = properties;
        this.authenticator = authenticator;
        this.replayStore = replayStore;
        this.handlerBeans = handlerBeans;
        this.clientCustomizers = clientCustomizers;
        this.serviceCustomizers = serviceCustomizers;
        this.observers = observers;
        this.connectionListeners = connectionListeners;
        this.failureListeners = failureListeners;
        this.transportSettings = transportSettings;
    }

    /** Checks the handler methods and builds the client as soon as every bean exists, before anything starts. */
    @Override
    public void afterSingletonsInstantiated() {
        checkExclusiveGroup();
        synchronized (lock) {
            if (!handlerBeans.beans().isEmpty() && prepared == null && current == null) {
                prepared = prepare();
            }
        }
    }

    /** Connects, declares the topics and subscribes every handler's channel. */
    @Override
    public void start() {
        synchronized (lock) {
            if (running) {
                return;
            }
            if (handlerBeans.beans().isEmpty()) {
                LOG.info("sfstream: no bean has @Subscribe, @HandleNotification or @HandleSObjectNotification "
                        + "methods; nothing to consume");
                return;
            }
            Run run = prepared != null ? prepared : prepare();
            prepared = null;
            last = run;
            try {
                run.service().start();
            } catch (RuntimeException e) {
                closeQuietly(run);
                throw e;
            }
            current = run;
            running = true;
            String group = properties.getExclusive().getGroup();
            LOG.info("sfstream: {} {} with {} handler bean(s), {} (replay store {})", group == null ? "consuming"
                    : "replica of exclusive group " + group + " for", run.service().channels(),
                    handlerBeans.beans().size(), authenticator, StoreLocation.redact(properties.getReplayStore()));
        }
    }

    /**
     * Stops fetching, lets running handlers finish and commits their events, then disconnects; waits at most
     * {@code sfstream.shutdown-timeout}.
     */
    @Override
    public void stop() {
        Run run;
        synchronized (lock) {
            run = current;
            current = null;
            running = false;
        }
        if (run == null) {
            return;
        }
        run.statuses().forEach(ClientStatus::closing);
        CountDownLatch closed = new CountDownLatch(1);
        Thread closer = new Thread(() -> {
            try {
                run.service().close();
            } catch (RuntimeException e) {
                LOG.warn("sfstream: closing the service failed: {}", e.toString());
            } finally {
                closed.countDown();
            }
        }, "sfstream-shutdown");
        closer.setDaemon(true);
        closer.start();
        try {
            if (!closed.await(properties.getShutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("sfstream: handlers still running after sfstream.shutdown-timeout ({}); shutting down "
                        + "without waiting: what they were handling is not committed and comes again after a restart",
                        properties.getShutdownTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("sfstream: stopped");
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return properties.isAutoStartup();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Closes a client built and never started, or one still running when the context is destroyed. */
    @Override
    public void destroy() {
        Run unused;
        synchronized (lock) {
            unused = prepared;
            prepared = null;
        }
        if (unused != null) {
            closeQuietly(unused);
        }
        stop();
    }

    /**
     * Subscribes a channel stopped after a handler failure (error policy STOP) again, from its committed marker.
     *
     * @throws IllegalStateException when the service is not running
     * @see StreamingService#restart(String)
     */
    public void restart(String channel) {
        service().orElseThrow(() -> new IllegalStateException("sfstream is not running")).restart(channel);
    }

    /** The running service; empty when stopped. */
    public Optional<StreamingService> service() {
        synchronized (lock) {
            return Optional.ofNullable(current).map(Run::service);
        }
    }

    /** The beans whose handler methods the service runs. */
    public List<HandlerBeans.HandlerBean> handlerBeans() {
        return handlerBeans.beans();
    }

    /** Events handed to the handlers and not finished yet, over every client; 0 when stopped. */
    public int eventsWaiting() {
        Run run = current;
        int waiting = 0;
        if (run != null) {
            for (StreamingClient c : run.clients()) {
                waiting += c.stats().eventsWaiting();
            }
        }
        return waiting;
    }

    /**
     * Where the service stands: for the health contributor and status pages. With two clients (the Pub/Sub
     * transport), the state is the less healthy one's, and the failure either's.
     */
    public SfstreamStatus status() {
        Run run = last;
        if (run == null) {
            return new SfstreamStatus(false, ConnectionState.NEW, handlerBeans.beans().isEmpty() ? "no handler beans"
                    : "not started", Optional.empty(), List.of(), List.of(), Map.of(), List.of());
        }
        ClientStatus shown = run.statuses().get(0);
        StreamingException fatal = null;
        Map<String, Instant> lastEvents = new TreeMap<>();
        List<SfstreamStatus.Replica> replicas = new ArrayList<>();
        for (ClientStatus s : run.statuses()) {
            s.replica().ifPresent(replicas::add);
            if (rank(s.state()) < rank(shown.state())) {
                shown = s;
            }
            if (fatal == null) {
                fatal = s.fatalError();
            }
            lastEvents.putAll(s.lastEvents());
        }
        StreamingService service = run.service();
        return new SfstreamStatus(running, shown.state(), shown.reason(),
                Optional.ofNullable(fatal).map(Throwable::getMessage), new ArrayList<>(service.channels()),
                new ArrayList<>(service.stoppedChannels()), lastEvents, replicas);
    }

    /** How healthy a state is, the least first; a state this module does not know counts as connected. */
    private static int rank(ConnectionState state) {
        return switch (state.name()) {
            case "CLOSED" -> 0;
            case "RECONNECTING" -> 1;
            case "CONNECTING" -> 2;
            case "NEW" -> 3;
            default -> 4;
        };
    }

    /**
     * Replicas need a store that elects one consumer among them; the client refuses any other at {@code build()}, and
     * this says so naming the property, before anything is built.
     */
    private void checkExclusiveGroup() {
        String group = properties.getExclusive().getGroup();
        if (group != null && !(replayStore instanceof LeasedReplayStore)) {
            throw new SfstreamPropertyException("sfstream.exclusive.group", group, "replicas need a replay store "
                    + "they share and that elects one consumer among them (Redis or JDBC), and the replay store is "
                    + StoreLocation.redact(String.valueOf(replayStore)) + ": set sfstream.replay-store to "
                    + "redis://..., jdbc:postgresql://... or jdbc (the application's DataSource)");
        }
    }

    /**
     * The exclusive group of a client: {@code sfstream.exclusive.group} for the Streaming API client, and that name
     * with {@code :pubsub} for the Pub/Sub API client, whose channels another replica may hold.
     */
    static String group(String group, Transport transport) {
        return "bayeux".equals(transport.name()) ? group : group + ":" + transport.name();
    }

    /** Builds the clients (not connected) and the service, checking every handler method. */
    private Run prepare() {
        List<ClientStatus> statuses = new ArrayList<>();
        List<StreamingClient> clients = new ArrayList<>();
        try {
            StreamingClient client = client(Transport.bayeux(), statuses);
            clients.add(client);
            StreamingService.Builder builder = StreamingService.builder().client(client)
                    .concurrency(properties.getConcurrency())
                    .retries(properties.getRetries(), properties.getRetryBackoff())
                    .errorPolicy(properties.getErrorPolicy())
                    .onFailure(this::failed);
            if (!"bayeux".equalsIgnoreCase(properties.getTransport().trim())) {
                TransportSettings settings = transportSettings.getIfAvailable(
                        () -> new TransportSettings(properties.getTransportSettings()));
                StreamingClient pubSub = client(Transport.named(properties.getTransport(), settings.values()),
                        statuses);
                clients.add(pubSub);
                builder.pubSubClient(pubSub);
            }
            for (HandlerBeans.HandlerBean h : handlerBeans.beans()) {
                builder.handler(h.bean(), h.type());
            }
            serviceCustomizers.orderedStream().forEach(c -> c.customize(builder));
            return new Run(builder.build(), clients, statuses);
        } catch (RuntimeException e) {
            clients.forEach(StreamingServiceLifecycle::closeQuietly);
            throw e;
        }
    }

    /** A client on a transport, told to a status of its own (added to {@code statuses}) and the observer beans. */
    private StreamingClient client(Transport transport, List<ClientStatus> statuses) {
        String group = properties.getExclusive().getGroup();
        ClientStatus status = new ClientStatus(Clock.systemUTC(), group == null ? null : group(group, transport));
        statuses.add(status);
        List<StreamingObserver> all = new ArrayList<>();
        all.add(status);
        observers.orderedStream().forEach(all::add);
        StreamingObserver observer = new Observers(all);
        StreamingClient.Builder b = StreamingClient.builder()
                .authenticator(authenticator)
                .replayStore(replayStore)
                .replayFrom(properties.getReplayFrom() == SfstreamProperties.ReplayStart.ALL ? ReplayFrom.ALL_EVENTS
                        : ReplayFrom.NEW_EVENTS)
                .replayFallback(properties.getReplayFallback())
                .apiVersion(properties.getApiVersion())
                .queueCapacity(properties.getQueueCapacity())
                .connectionTimeout(properties.getConnectionTimeout())
                .closeTimeout(properties.getShutdownTimeout())
                .transport(transport);
        if (properties.getReplayNamespace() != null && !properties.getReplayNamespace().isBlank()) {
            b.replayNamespace(properties.getReplayNamespace());
        }
        if (group != null) {
            b.exclusive(group(group, transport)).leaseTtl(properties.getExclusive().getLeaseTtl());
        }
        clientCustomizers.orderedStream().forEach(c -> c.customize(b));
        StreamingClient client = b.observer(observer).build();
        status.client(client);
        client.addConnectionListener(status);
        connectionListeners.orderedStream().forEach(client::addConnectionListener);
        return client;
    }

    /** A handler failed for good: the service logged it; the listeners are told. */
    private void failed(HandlerFailure failure) {
        failureListeners.orderedStream().forEach(l -> {
            try {
                l.onFailure(failure);
            } catch (RuntimeException e) {
                LOG.warn("sfstream: the HandlerFailureListener {} failed; ignored", l.getClass().getName(), e);
            }
        });
    }

    private static void closeQuietly(Run run) {
        run.statuses().forEach(ClientStatus::closing);
        try {
            run.service().close();
        } catch (RuntimeException e) {
            LOG.debug("sfstream: closing an unused service failed: {}", e.toString());
        }
    }

    private static void closeQuietly(StreamingClient client) {
        try {
            client.close();
        } catch (RuntimeException e) {
            LOG.debug("sfstream: closing an unused client failed: {}", e.toString());
        }
    }
}
