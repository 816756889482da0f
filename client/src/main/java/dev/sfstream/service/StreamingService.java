package dev.sfstream.service;

import dev.sfstream.ChannelName;
import dev.sfstream.FencedException;
import dev.sfstream.HoldEvent;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.internal.Shared;
import dev.sfstream.rest.PushTopicDefinition;
import dev.sfstream.rest.PushTopics;
import dev.sfstream.rest.SalesforceRest;
import dev.sfstream.replay.ReplayFrom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs annotated handler methods of plain objects ({@link Subscribe}, {@link HandleNotification},
 * {@link HandleSObjectNotification}) on one {@link StreamingClient}: every handler shares the client's one session.
 *
 * <pre>{@code
 * try (StreamingService service = StreamingService.builder().client(client).handlers(new Handlers()).build()) {
 *     service.start();    // opens the client if needed, declares topics, subscribes
 *     ...
 * }
 * }</pre>
 *
 * <ul>
 *   <li>At {@link #start()} every annotated method is checked: a wrong signature fails with the method's name and the
 *       parameter lists it may take. Topics are declared (created, or updated by name), then channels
 *       subscribed.</li>
 *   <li>One channel's events are handled in order; different channels run concurrently, up to
 *       {@code concurrency} at a time (4 by default), each on its channel's lane (no second hand-off).</li>
 *   <li>With a {@code pubSubClient}, platform event and change event channels go to the Pub/Sub API; PushTopic and
 *       generic channels stay on the Streaming API client.</li>
 *   <li>A channel's replay marker is committed after its handlers return. A handler that throws is tried again
 *       ({@code retries}, 2 by default, with backoff); then the {@link ErrorPolicy} decides: {@code STOP} (the
 *       default) stops the channel with its marker before the failed event ({@link #restart} subscribes it again
 *       from there), {@code SKIP} commits and goes on. Both log an error and tell the {@code onFailure} callback: a
 *       failed event is never skipped silently. A {@link FencedException} (another replica of the client's
 *       exclusive group took over) is neither retried nor given to the policy: the replica stops at once.</li>
 *   <li>With a {@link HandlerInvoker}, each attempt at an event runs every handler of its channel inside the
 *       invoker (a transaction around them, say), and retries apply to the whole event.</li>
 *   <li>{@link #close()} stops fetching, lets running handlers finish within the client's close timeout, commits
 *       and disconnects (it closes the client).</li>
 * </ul>
 * Thread-safe.
 */
public final class StreamingService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingService.class);

    private final StreamingClient client;
    private final StreamingClient pubSubClient;
    private final SalesforceRest rest;
    private final List<Binding> bindings;
    private final int retries;
    private final Duration retryBackoff;
    private final ErrorPolicy errorPolicy;
    private final Consumer<HandlerFailure> onFailure;
    private final HandlerInvoker invoker;
    private final Semaphore running;
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();
    /** The unsubscribes of stopped channels, which a restart waits for. */
    private final Map<String, CompletableFuture<Void>> stopping = new ConcurrentHashMap<>();
    private final Map<String, Subscribed> subscribed = new ConcurrentHashMap<>();
    private volatile boolean started;

    /** A channel as the service subscribed it: its client, handlers and start, to subscribe it again. */
    private record Subscribed(StreamingClient client, List<Binding> handlers, ReplayFrom start) {
    }

    private StreamingService(Builder b) {
        this.client = b.client;
        this.pubSubClient = b.pubSubClient;
        this.rest = b.rest != null ? b.rest : SalesforceRest.of(b.client);
        this.retries = b.retries;
        this.retryBackoff = b.retryBackoff;
        this.errorPolicy = b.errorPolicy;
        this.onFailure = b.onFailure;
        this.invoker = b.invoker;
        this.bindings = HandlerScan.scan(b.handlers, client.apiVersion());
        this.running = new Semaphore(b.concurrency, true);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the client if it is not open yet, declares every topic, then subscribes every channel.
     *
     * @throws dev.sfstream.RestException when a topic is refused (checked offline first, with Salesforce's texts)
     * @throws dev.sfstream.SubscriptionException when a channel cannot be subscribed
     */
    public StreamingService start() {
        if (started) {
            return this;
        }
        if (!client.isOpen()) {
            client.open();
        }
        if (pubSubClient != null && !pubSubClient.isOpen()) {
            pubSubClient.open();
        }
        PushTopics topics = new PushTopics(rest);
        Map<String, PushTopicDefinition> declared = new LinkedHashMap<>();
        for (Binding b : bindings) {
            PushTopicDefinition def = b.topic != null ? b.topic
                    : b.sobjectTopic != null ? b.sobjectTopic.definition(rest) : null;
            if (def == null) {
                continue;
            }
            PushTopicDefinition previous = declared.putIfAbsent(def.name(), def);
            if (previous != null && !previous.equals(def)) {
                throw new IllegalArgumentException("PushTopic " + def.name() + " is declared twice with different "
                        + "definitions (" + b.name() + ")");
            }
        }
        Map<String, String> storedChannel = new java.util.HashMap<>();
        for (PushTopicDefinition def : declared.values()) {
            storedChannel.put(def.channel(), topics.declare(def).definition().channel());
        }
        Map<String, List<Binding>> byChannel = new LinkedHashMap<>();
        for (Binding b : bindings) {
            byChannel.computeIfAbsent(storedChannel.getOrDefault(b.channel, b.channel), c -> new ArrayList<>())
                    .add(b);
        }
        for (Map.Entry<String, List<Binding>> e : byChannel.entrySet()) {
            String channel = e.getKey();
            List<Binding> handlers = e.getValue();
            ReplayFrom start = handlers.stream().map(h -> h.replay).filter(Objects::nonNull).findFirst().orElse(null);
            Subscribed s = new Subscribed(clientFor(channel), handlers, start);
            subscribed.put(channel, s);
            subscribe(channel, s);
        }
        started = true;
        LOG.info("sfstream: service started with {} handler(s) on {}", bindings.size(), byChannel.keySet());
        return this;
    }

    /** The client a channel goes to: the Pub/Sub client for platform and change events when there is one. */
    private StreamingClient clientFor(String channel) {
        ChannelName.Kind kind = ChannelName.of(channel).kind();
        boolean pubSubKind = kind == ChannelName.Kind.PLATFORM_EVENT || kind == ChannelName.Kind.CHANGE_EVENT;
        return pubSubClient != null && pubSubKind ? pubSubClient : client;
    }

    private void subscribe(String channel, Subscribed s) {
        Consumer<StreamingEvent> listener = event -> handle(channel, s, event);
        if (s.start() != null) {
            s.client().subscribe(channel, s.start(), listener);
        } else {
            s.client().subscribe(channel, listener);
        }
    }

    /**
     * Runs on the channel's listener lane: the handlers of one channel, in order, with retries and the policy. At
     * most {@code concurrency} channels run handlers at once; the lane itself runs them, with no second hand-off.
     */
    private void handle(String channel, Subscribed s, StreamingEvent event) {
        if (stopped.contains(channel)) {
            throw new HoldEvent("channel " + channel + " is stopped");
        }
        if (event.isReplayGap()) {
            LOG.warn("sfstream: replay gap on {}: {}", channel, event.replayGap().get().reason());
            return;
        }
        try {
            running.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HoldEvent("interrupted");
        }
        try {
            if (invoker == null) {
                for (Binding b : s.handlers()) {
                    runWithRetries(channel, b.name(), event, () -> b.invoke(event));
                }
            } else {
                String names = String.join(", ", s.handlers().stream().map(Binding::name).toList());
                runWithRetries(channel, names, event, () -> invoker.invoke(s.client(), event, () -> {
                    for (Binding b : s.handlers()) {
                        b.invoke(event);
                    }
                }));
            }
        } finally {
            running.release();
        }
    }

    /** One attempt at an event: a handler, or every handler of the channel inside the invoker. */
    private interface Attempt {
        void run() throws Exception;
    }

    private void runWithRetries(String channel, String name, StreamingEvent event, Attempt attemptAt) {
        Throwable last = null;
        int attempts = retries + 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                attemptAt.run();
                return;
            } catch (FencedException e) {
                throw e; // another replica took over: nothing to retry; the client stops consuming at once
            } catch (Throwable e) {
                // Every Throwable: a NoClassDefFoundError or StackOverflowError in a handler is a failed event like
                // any other, retried and then given to the policy, never committed past silently.
                last = e;
                LOG.warn("sfstream: {} failed on {} #{} (attempt {} of {}): {}", name, channel, event.replayId(),
                        attempt, attempts, e.toString());
                if (attempt < attempts) {
                    try {
                        Thread.sleep(retryBackoff.toMillis() << Math.min(attempt - 1, 10));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new HoldEvent("interrupted while retrying");
                    }
                }
            }
        }
        HandlerFailure failure = new HandlerFailure(channel, event.replayId(), name, attempts, last, errorPolicy);
        if (errorPolicy == ErrorPolicy.SKIP) {
            LOG.error("sfstream: {} failed on {} #{} after {} attempts; skipping it (policy SKIP)", name, channel,
                    event.replayId(), attempts, last);
            report(failure);
            return;
        }
        stopped.add(channel);
        LOG.error("sfstream: {} failed on {} #{} after {} attempts; stopping the channel (policy STOP): the next start "
                + "delivers this event again", name, channel, event.replayId(), attempts, last);
        report(failure);
        StreamingClient owner = subscribed.get(channel).client();
        stopping.put(channel, CompletableFuture.runAsync(() -> {
            try {
                owner.unsubscribe(channel);
            } catch (RuntimeException e) {
                LOG.warn("sfstream: unsubscribing the stopped channel {} failed: {}", channel, e.getMessage());
            }
        }, Shared.workers()));
        throw new HoldEvent("handler failed; channel " + channel + " stopped");
    }

    private void report(HandlerFailure failure) {
        try {
            onFailure.accept(failure);
        } catch (RuntimeException e) {
            LOG.warn("sfstream: the onFailure callback failed", e);
        }
    }

    /** The channels stopped after a handler failure (policy STOP). */
    public Set<String> stoppedChannels() {
        return Set.copyOf(stopped);
    }

    /**
     * Subscribes a channel stopped by {@link ErrorPolicy#STOP} again, once its cause is fixed: it resumes from its
     * committed marker, so the event its handler failed on comes first.
     *
     * @throws IllegalArgumentException when the service has no handler for the channel
     * @throws IllegalStateException when the channel is not stopped
     */
    public void restart(String channel) {
        Subscribed s = subscribed.get(channel);
        if (s == null) {
            throw new IllegalArgumentException("the service has no handler for " + channel + "; its channels: "
                    + subscribed.keySet());
        }
        if (!stopped.contains(channel)) {
            throw new IllegalStateException(channel + " is not stopped");
        }
        CompletableFuture<Void> unsubscribing = stopping.remove(channel);
        if (unsubscribing != null) {
            unsubscribing.join(); // the stop's own unsubscribe, which would undo a subscribe made before it ran
        }
        stopped.remove(channel);
        subscribe(channel, s);
        LOG.info("sfstream: {} restarted from its committed marker", channel);
    }

    /** The channels the service handles, in the order they were subscribed. */
    public Set<String> channels() {
        return Set.copyOf(subscribed.keySet());
    }

    /** Whether {@link #start()} ran and the service is not closed. */
    public boolean isRunning() {
        return started && client.isOpen();
    }

    /** The client the handlers share (for platform and change events, see {@link #pubSubClient()}). */
    public StreamingClient client() {
        return client;
    }

    /** The client of platform and change event channels, when the service was given one. */
    public java.util.Optional<StreamingClient> pubSubClient() {
        return java.util.Optional.ofNullable(pubSubClient);
    }

    /** Stops fetching, lets running handlers finish, commits and disconnects; closes the clients. */
    @Override
    public void close() {
        try {
            if (pubSubClient != null) {
                pubSubClient.close();
            }
        } finally {
            client.close();
        }
    }

    /** An object whose handler methods are declared on {@code type}. */
    record Handler(Object target, Class<?> type) {
    }

    /** Builds a {@link StreamingService}; {@link #build()} checks every handler method. */
    public static final class Builder {
        private StreamingClient client;
        private StreamingClient pubSubClient;
        private SalesforceRest rest;
        private final List<Handler> handlers = new ArrayList<>();
        private int concurrency = 4;
        private int retries = 2;
        private Duration retryBackoff = Duration.ofSeconds(1);
        private ErrorPolicy errorPolicy = ErrorPolicy.STOP;
        private Consumer<HandlerFailure> onFailure = f -> { };
        private HandlerInvoker invoker;

        private Builder() {
        }

        /** The client every handler shares. Required. */
        public Builder client(StreamingClient client) {
            this.client = client;
            return this;
        }

        /**
         * A client of the Pub/Sub API for the platform event ({@code /event/}) and change event ({@code /data/})
         * channels; PushTopic and generic channels stay on {@link #client}. Optional.
         */
        public Builder pubSubClient(StreamingClient client) {
            this.pubSubClient = client;
            return this;
        }

        /** The REST client that declares topics; by default one on the client's authenticator. */
        public Builder rest(SalesforceRest rest) {
            this.rest = rest;
            return this;
        }

        /** Objects with annotated methods (declared on their own class). */
        public Builder handlers(Object... handlers) {
            for (Object h : handlers) {
                this.handlers.add(new Handler(Objects.requireNonNull(h, "handler"), h.getClass()));
            }
            return this;
        }

        /**
         * An object whose annotated methods are declared on {@code type}, for a proxy of a {@code type} instance made
         * by a framework (a transaction, a retry around each call): the annotations are read from {@code type},
         * which proxies do not carry, and each method is called on {@code handler}, so that what the proxy adds
         * applies. With a subclass proxy, no handler method may be private or final (a proxy cannot override it); an
         * interface proxy must implement an interface that declares each one. {@link #build()} refuses one that does
         * not, naming the method.
         */
        public Builder handler(Object handler, Class<?> type) {
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(type, "type");
            boolean subclassProxy = type.isInstance(handler);
            boolean interfaceProxy = java.lang.reflect.Proxy.isProxyClass(handler.getClass());
            if (!subclassProxy && !interfaceProxy) {
                throw new IllegalArgumentException("the handler, a " + handler.getClass().getName() + ", is neither a "
                        + type.getName() + " nor an interface proxy");
            }
            this.handlers.add(new Handler(handler, type));
            return this;
        }

        /** How many channels are handled at once; 4 by default. One channel's events are always in order. */
        public Builder concurrency(int channels) {
            this.concurrency = channels;
            return this;
        }

        /** How many times a failed handler is tried again, and the first pause (doubling); 2 and 1 s by default. */
        public Builder retries(int retries, Duration backoff) {
            this.retries = retries;
            this.retryBackoff = backoff;
            return this;
        }

        /** What happens after the retries: {@link ErrorPolicy#STOP} by default. */
        public Builder errorPolicy(ErrorPolicy policy) {
            this.errorPolicy = Objects.requireNonNull(policy, "errorPolicy");
            return this;
        }

        /** Told about every handler failure that exhausted its retries. */
        public Builder onFailure(Consumer<HandlerFailure> onFailure) {
            this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
            return this;
        }

        /**
         * Runs around each attempt at an event's handlers: every handler of the event's channel is called inside
         * it, and a failed attempt runs them all again. None by default (each handler is retried on its own).
         */
        public Builder invoker(HandlerInvoker invoker) {
            this.invoker = Objects.requireNonNull(invoker, "invoker");
            return this;
        }

        /**
         * Checks every setting and every handler method.
         *
         * @throws IllegalArgumentException naming the setting or the method that is wrong
         */
        public StreamingService build() {
            if (client == null) {
                throw new IllegalArgumentException("client is required");
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be 1 or more, got " + concurrency);
            }
            if (retries < 0 || retryBackoff == null || retryBackoff.isNegative()) {
                throw new IllegalArgumentException("retries must be 0 or more and the backoff 0 or positive");
            }
            return new StreamingService(this);
        }
    }
}
