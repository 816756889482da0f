package dev.sfstream.pubsub;

import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.SchemaInfo;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import dev.sfstream.ChannelName;
import dev.sfstream.ConnectionState;
import dev.sfstream.StreamingException;
import dev.sfstream.SubscriptionException;
import dev.sfstream.TransportException;
import dev.sfstream.auth.AccessToken;
import dev.sfstream.internal.Backoff;
import dev.sfstream.internal.Healing;
import dev.sfstream.internal.SerialExecutor;
import dev.sfstream.internal.Shared;
import dev.sfstream.transport.SessionListener;
import dev.sfstream.transport.TransportContext;
import dev.sfstream.transport.TransportSession;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's session on the Pub/Sub API: one {@code Subscribe} (or {@code ManagedSubscribe}) stream per channel
 * ({@link TopicSubscription}), the token they share and its renewal, the schemas their events need, the watchdog, and
 * the session's state.
 *
 * <p>Concurrency: every decision runs on the session's serial lane over sfstream's shared workers. gRPC's callbacks
 * run on those workers too and only hand their work to the lane; nothing here sleeps or blocks on a gRPC thread, and
 * delays (backoff, the watchdog) are timers that hop onto the lane. The public methods may be called from any
 * thread.
 */
final class PubSubSession implements TransportSession {
    private static final Logger LOG = LoggerFactory.getLogger(PubSubSession.class);
    /** A schema ID no org has: asking for it at open proves the endpoint, TLS and the token without side effects. */
    private static final String PROBE_SCHEMA = "sfstream-connection-check";

    final PubSubTransport transport;
    final TransportContext context;
    final SessionListener listener;
    final SerialExecutor lane = new SerialExecutor(Shared.workers());
    final Tokens tokens;
    private final Map<String, TopicSubscription> subscriptions = new LinkedHashMap<>();
    private final Set<ScheduledFuture<?>> timers = ConcurrentHashMap.newKeySet();
    private final AtomicLong fetches = new AtomicLong();
    private final Healing openHealing;
    private final Backoff openBackoff;

    // Confined to the lane.
    private volatile ConnectionState state = ConnectionState.NEW;
    private ManagedChannel channel;
    private CompletableFuture<Void> opening;
    private ScheduledFuture<?> watchdog;

    PubSubSession(PubSubTransport transport, TransportContext context) {
        this.transport = transport;
        this.context = context;
        this.listener = context.listener();
        this.tokens = new Tokens(this);
        this.openHealing = new Healing(context.connectionTimeout());
        this.openBackoff = new Backoff(context.backoffInitial(), context.backoffMax());
    }

    // ---------------------------------------------------------------- public operations

    /**
     * Gets the token on the calling thread (bad credentials fail here, fast), then checks the endpoint, TLS and the
     * token with one unary call; completes once Salesforce answered it.
     */
    @Override
    public CompletableFuture<Void> open() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AccessToken first = context.authenticator().token();
        Tokens.tenantId(first); // fails now when the org ID is unknown
        lane.execute(() -> {
            if (state != ConnectionState.NEW) {
                done.completeExceptionally(new IllegalStateException("the session was already opened"));
                return;
            }
            tokens.first(first);
            channel = transport.acquire();
            opening = done;
            setState(ConnectionState.CONNECTING, "connecting to the Pub/Sub API at " + transport.endpoint());
            probe();
        });
        return done;
    }

    private void probe() {
        AccessToken used = tokens.current();
        unary(used).getSchema(SchemaRequest.newBuilder().setSchemaId(PROBE_SCHEMA).build(),
                new StreamObserver<SchemaInfo>() {
                    @Override
                    public void onNext(SchemaInfo value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        lane.executeHere(() -> probed(used, t));
                    }

                    @Override
                    public void onCompleted() {
                        lane.executeHere(() -> probed(used, null));
                    }
                });
    }

    private void probed(AccessToken used, Throwable error) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        PubSubErrors.Failure f = error == null ? null : PubSubErrors.classify(error);
        if (f != null && f.kind() == PubSubErrors.Kind.AUTH) {
            tokens.refused(used, "the Pub/Sub API refused the token: " + f.describe(), this::probe);
            return;
        }
        Throwable tls = certificateRefused(error);
        if (tls != null) {
            fatal(new TransportException("the TLS certificate of the Pub/Sub API at " + transport.endpoint()
                    + " was refused (" + tls.getMessage() + "); a private CA or the emulator's certificate goes to "
                    + "PubSubTransport.builder().trustedCertificates(pem)", error));
            return;
        }
        if (f != null && f.errorCode().isEmpty() && (f.status() == Status.Code.UNAVAILABLE
                || f.status() == Status.Code.DEADLINE_EXCEEDED)) {
            // No server answered (refused connection, TLS failure, timeout): retry until the open timeout.
            openHealing.failed("the Pub/Sub API at " + transport.endpoint() + ": " + f.describe());
            Optional<Duration> delay = openHealing.retryAfter(openBackoff);
            if (delay.isEmpty()) {
                fatal(new TransportException(openHealing.gaveUp(), error));
            } else {
                LOG.debug("sfstream: {}; retrying", openHealing.lastFailure());
                schedule(delay.get(), this::probe);
            }
            return;
        }
        // Any other answer (NOT_FOUND for the made-up schema ID, typically) came from a server that took the token.
        tokens.worked(used);
        setState(ConnectionState.CONNECTED, "connected to the Pub/Sub API at " + transport.endpoint());
        opening.complete(null);
        opening = null;
        long every = watchdogPeriod().toNanos();
        watchdog = Shared.timer().scheduleAtFixedRate(() -> lane.execute(this::checkLiveness), every, every,
                TimeUnit.NANOSECONDS);
        for (TopicSubscription s : new ArrayList<>(subscriptions.values())) {
            s.start();
        }
    }

    /** The TLS error of a call refused for the server's certificate (a setting to fix, not a fault), or null. */
    private static Throwable certificateRefused(Throwable error) {
        Throwable found = null;
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLHandshakeException || t instanceof java.security.cert.CertificateException) {
                found = t; // the deepest says most: "PKIX path building failed: ..."
            }
        }
        return found;
    }

    @Override
    public CompletableFuture<Void> subscribe(ChannelName channel) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        lane.execute(() -> {
            if (state == ConnectionState.CLOSED) {
                result.completeExceptionally(new SubscriptionException(channel.value(), "cannot "
                        + "subscribe to " + channel + ": the client is closed", null));
                return;
            }
            TopicSubscription sub = subscriptions.get(channel.value());
            ManagedSubscription managed = transport.managed(channel.value());
            if (sub == null && managed != null && !transport.managedCommits.isWired(channel.value())) {
                result.completeExceptionally(new IllegalStateException(channel + " is consumed through the managed "
                        + "subscription " + managed + ", whose replay ID Salesforce keeps: build the client with "
                        + ".replayStore(transport.serverCommits()) so that its commits reach Salesforce"));
                return;
            }
            if (sub == null) {
                sub = new TopicSubscription(this, channel, managed);
                subscriptions.put(channel.value(), sub);
                if (isOpen()) {
                    sub.start();
                }
            }
            sub.confirmed().whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(null);
                }
            });
        });
        return result;
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String channel) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        lane.execute(() -> {
            TopicSubscription sub = subscriptions.remove(channel);
            if (sub != null) {
                sub.stop("unsubscribed");
                sub.failPending(new SubscriptionException(channel, "unsubscribed from " + channel
                        + " before the subscription was confirmed", null));
                updateState(null);
            }
            result.complete(null);
        });
        return result;
    }

    @Override
    public CompletableFuture<List<String>> subscriptions() {
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        lane.execute(() -> result.complete(new ArrayList<>(subscriptions.keySet())));
        return result;
    }

    /** The consumer has room again: every stream tops its credit up, and a parked one opens again. */
    @Override
    public void resume() {
        lane.execute(() -> {
            for (TopicSubscription s : subscriptions.values()) {
                s.resume();
            }
        });
    }

    /**
     * Ends the session: managed subscriptions get a moment for their last commits to be acknowledged, then every
     * stream is cancelled, timers stop, and the channel is released.
     */
    @Override
    public CompletableFuture<Void> close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lane.execute(() -> {
            if (state == ConnectionState.CLOSED) {
                done.complete(null);
                return;
            }
            List<CompletableFuture<Void>> drains = new ArrayList<>();
            subscriptions.values().forEach(s -> drains.add(s.commitsAcknowledged()));
            CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new))
                    .completeOnTimeout(null, 2, TimeUnit.SECONDS)
                    .whenComplete((v, e) -> lane.execute(() -> {
                        stop("closed by the application");
                        done.complete(null);
                    }));
        });
        return done;
    }

    @Override
    public long fetches() {
        return fetches.get();
    }

    // ---------------------------------------------------------------- for the subscriptions

    boolean isOpen() {
        return state == ConnectionState.CONNECTED || state == ConnectionState.RECONNECTING;
    }

    boolean isClosed() {
        return state == ConnectionState.CLOSED;
    }

    void fetched() {
        fetches.incrementAndGet();
    }

    /** An asynchronous stub whose calls carry the token's metadata. */
    PubSubGrpc.PubSubStub stub(AccessToken token) {
        return PubSubGrpc.newStub(channel).withInterceptors(Tokens.headers(token));
    }

    /** A stub for a unary call: with the request timeout as its deadline. */
    PubSubGrpc.PubSubStub unary(AccessToken token) {
        return stub(token).withDeadlineAfter(context.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The compiled schema of an ID: cached by the transport, one {@code GetSchema} in flight per ID. */
    CompletableFuture<EventDecoder.Compiled> schema(String id) {
        return transport.schemas.get(id, schemaId -> {
            CompletableFuture<String> json = new CompletableFuture<>();
            unary(tokens.current()).getSchema(SchemaRequest.newBuilder().setSchemaId(schemaId).build(),
                    new StreamObserver<SchemaInfo>() {
                        @Override
                        public void onNext(SchemaInfo info) {
                            json.complete(info.getSchemaJson());
                        }

                        @Override
                        public void onError(Throwable t) {
                            json.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                            json.completeExceptionally(Status.INTERNAL.withDescription("GetSchema answered nothing "
                                    + "for " + schemaId).asRuntimeException());
                        }
                    });
            return json;
        });
    }

    /** Runs {@code action} on the lane after {@code delay}, unless the session closed meanwhile. */
    void schedule(Duration delay, Runnable action) {
        ScheduledFuture<?>[] holder = new ScheduledFuture<?>[1];
        holder[0] = Shared.timer().schedule(() -> {
            timers.remove(holder[0]);
            lane.execute(() -> {
                if (state != ConnectionState.CLOSED) {
                    action.run();
                }
            });
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
        timers.add(holder[0]);
    }

    void removed(TopicSubscription subscription) {
        subscriptions.remove(subscription.channel().value(), subscription);
        updateState(null);
    }

    /** A stream fell into recovery or came out of it: the session is RECONNECTING while any stream recovers. */
    void updateState(String reason) {
        if (!isOpen()) {
            return;
        }
        String recovering = null;
        for (TopicSubscription s : subscriptions.values()) {
            if (s.recovering() != null) {
                recovering = s.recovering();
                break;
            }
        }
        if (recovering != null) {
            setState(ConnectionState.RECONNECTING, reason != null ? reason : recovering);
        } else {
            setState(ConnectionState.CONNECTED, "every stream is open");
        }
    }

    /** The session gives up for good: every stream stops, the client is told. */
    void fatal(StreamingException error) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        LOG.error("sfstream: giving up: {}", error.getMessage());
        for (TopicSubscription s : new ArrayList<>(subscriptions.values())) {
            s.failPending(error);
        }
        stop(error.getMessage());
        if (opening != null) {
            opening.completeExceptionally(error);
            opening = null;
        }
        listener.onFatal(error);
    }

    private void stop(String reason) {
        for (TopicSubscription s : new ArrayList<>(subscriptions.values())) {
            s.stop(reason);
            s.failPending(null);
        }
        subscriptions.clear();
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        timers.forEach(t -> t.cancel(false));
        timers.clear();
        setState(ConnectionState.CLOSED, reason);
        if (channel != null) {
            transport.release(channel);
            channel = null;
        }
    }

    private void setState(ConnectionState next, String reason) {
        if (state != next) {
            LOG.debug("sfstream: {} -> {} ({})", state, next, reason);
            state = next;
            listener.onStateChanged(next, reason);
        }
    }

    // ---------------------------------------------------------------- the watchdog

    /** How long a stream with requested events pending may stay silent, keepalives included. */
    Duration silenceLimit() {
        return transport.keepaliveInterval().plus(transport.watchdogMargin());
    }

    private Duration watchdogPeriod() {
        long quarter = silenceLimit().toMillis() / 4;
        return Duration.ofMillis(Math.max(25, Math.min(quarter, 30_000)));
    }

    private void checkLiveness() {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        long now = System.nanoTime();
        long limit = silenceLimit().toNanos();
        for (TopicSubscription s : new ArrayList<>(subscriptions.values())) {
            s.checkLiveness(now, limit);
        }
    }
}
