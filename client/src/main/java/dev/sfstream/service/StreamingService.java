package dev.sfstream.service;

import dev.sfstream.HoldEvent;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.internal.Shared;
import dev.sfstream.rest.PushTopicDefinition;
import dev.sfstream.rest.PushTopics;
import dev.sfstream.rest.SalesforceRest;
import dev.sfstream.replay.ReplayFrom;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
 *       {@code concurrency} at a time (4 by default).</li>
 *   <li>A channel's replay marker is committed after its handlers return. A handler that throws is tried again
 *       ({@code retries}, 2 by default, with backoff); then the {@link ErrorPolicy} decides: {@code STOP} (the
 *       default) stops the channel with its marker before the failed event, {@code SKIP} commits and goes on. Both
 *       log an error and tell the {@code onFailure} callback: a failed event is never skipped silently.</li>
 *   <li>{@link #close()} stops fetching, lets running handlers finish within the client's close timeout, commits
 *       and disconnects (it closes the client).</li>
 * </ul>
 * Thread-safe.
 */
public final class StreamingService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingService.class);

    private final StreamingClient client;
    private final SalesforceRest rest;
    private final List<Binding> bindings;
    private final int retries;
    private final Duration retryBackoff;
    private final ErrorPolicy errorPolicy;
    private final Consumer<HandlerFailure> onFailure;
    private final ExecutorService handlerThreads;
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();
    private volatile boolean started;

    private StreamingService(Builder b) {
        this.client = b.client;
        this.rest = b.rest != null ? b.rest : SalesforceRest.of(b.client);
        this.retries = b.retries;
        this.retryBackoff = b.retryBackoff;
        this.errorPolicy = b.errorPolicy;
        this.onFailure = b.onFailure;
        this.bindings = scan(b.handlers, client.apiVersion());
        this.handlerThreads = Executors.newFixedThreadPool(b.concurrency, Shared.daemon("sfstream-handler-"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The bindings of every handler object, checked. */
    private static List<Binding> scan(List<Object> handlers, String apiVersion) {
        List<Binding> out = new ArrayList<>();
        for (Object handler : handlers) {
            for (Method method : handler.getClass().getDeclaredMethods()) {
                Subscribe[] subscribes = method.getAnnotationsByType(Subscribe.class);
                HandleNotification[] notifications = method.getAnnotationsByType(HandleNotification.class);
                HandleSObjectNotification[] sobjects = method.getAnnotationsByType(HandleSObjectNotification.class);
                int kinds = (subscribes.length > 0 ? 1 : 0) + (notifications.length > 0 ? 1 : 0)
                        + (sobjects.length > 0 ? 1 : 0);
                if (kinds == 0) {
                    continue;
                }
                if (kinds > 1) {
                    throw new IllegalArgumentException(Binding.describe(method) + " mixes @Subscribe, "
                            + "@HandleNotification and @HandleSObjectNotification: each takes different first "
                            + "parameters; stack only one kind on a method");
                }
                if (Modifier.isStatic(method.getModifiers())) {
                    throw new IllegalArgumentException(Binding.describe(method) + " is static: handlers are instance "
                            + "methods");
                }
                method.setAccessible(true);
                for (Subscribe s : subscribes) {
                    out.add(Binding.subscribe(handler, method, s));
                }
                for (HandleNotification n : notifications) {
                    out.add(Binding.notification(handler, method, n, apiVersion));
                }
                for (HandleSObjectNotification n : sobjects) {
                    out.add(Binding.sobjectNotification(handler, method, n, apiVersion));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no handler methods: annotate methods with @Subscribe, "
                    + "@HandleNotification or @HandleSObjectNotification");
        }
        return out;
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
            Consumer<StreamingEvent> listener = event -> handle(channel, handlers, event);
            if (start != null) {
                client.subscribe(channel, start, listener);
            } else {
                client.subscribe(channel, listener);
            }
        }
        started = true;
        LOG.info("sfstream: service started with {} handler(s) on {}", bindings.size(), byChannel.keySet());
        return this;
    }

    /** Runs on the channel's listener lane: the handlers of one channel, in order, with retries and the policy. */
    private void handle(String channel, List<Binding> handlers, StreamingEvent event) {
        if (stopped.contains(channel)) {
            throw new HoldEvent("channel " + channel + " is stopped");
        }
        if (event.isReplayGap()) {
            LOG.warn("sfstream: replay gap on {}: {}", channel, event.replayGap().get().reason());
            return;
        }
        // Hand the work to the service's own threads, so that at most `concurrency` channels run at once.
        java.util.concurrent.Future<?> work = handlerThreads.submit(() -> {
            for (Binding b : handlers) {
                runWithRetries(channel, b, event);
            }
            return null;
        });
        try {
            work.get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new HoldEvent("the handler of " + channel + " failed: " + cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HoldEvent("interrupted");
        }
    }

    private void runWithRetries(String channel, Binding b, StreamingEvent event) {
        Throwable last = null;
        int attempts = retries + 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                b.invoke(event);
                return;
            } catch (Throwable e) {
                // Every Throwable: a NoClassDefFoundError or StackOverflowError in a handler is a failed event like
                // any other, retried and then given to the policy, never committed past silently.
                last = e;
                LOG.warn("sfstream: {} failed on {} #{} (attempt {} of {}): {}", b.name(), channel, event.replayId(),
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
        HandlerFailure failure = new HandlerFailure(channel, event.replayId(), b.name(), attempts, last, errorPolicy);
        if (errorPolicy == ErrorPolicy.SKIP) {
            LOG.error("sfstream: {} failed on {} #{} after {} attempts; skipping it (policy SKIP)", b.name(), channel,
                    event.replayId(), attempts, last);
            report(failure);
            return;
        }
        stopped.add(channel);
        LOG.error("sfstream: {} failed on {} #{} after {} attempts; stopping the channel (policy STOP): the next start "
                + "delivers this event again", b.name(), channel, event.replayId(), attempts, last);
        report(failure);
        Shared.workers().execute(() -> {
            try {
                client.unsubscribe(channel);
            } catch (RuntimeException e) {
                LOG.warn("sfstream: unsubscribing the stopped channel {} failed: {}", channel, e.getMessage());
            }
        });
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

    /** The client the handlers share. */
    public StreamingClient client() {
        return client;
    }

    /** Stops fetching, lets running handlers finish, commits and disconnects; closes the client. */
    @Override
    public void close() {
        try {
            client.close();
        } finally {
            handlerThreads.shutdown();
            try {
                handlerThreads.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Builds a {@link StreamingService}; {@link #build()} checks every handler method. */
    public static final class Builder {
        private StreamingClient client;
        private SalesforceRest rest;
        private final List<Object> handlers = new ArrayList<>();
        private int concurrency = 4;
        private int retries = 2;
        private Duration retryBackoff = Duration.ofSeconds(1);
        private ErrorPolicy errorPolicy = ErrorPolicy.STOP;
        private Consumer<HandlerFailure> onFailure = f -> { };

        private Builder() {
        }

        /** The client every handler shares. Required. */
        public Builder client(StreamingClient client) {
            this.client = client;
            return this;
        }

        /** The REST client that declares topics; by default one on the client's authenticator. */
        public Builder rest(SalesforceRest rest) {
            this.rest = rest;
            return this;
        }

        /** Objects with annotated methods. */
        public Builder handlers(Object... handlers) {
            for (Object h : handlers) {
                this.handlers.add(Objects.requireNonNull(h, "handler"));
            }
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
