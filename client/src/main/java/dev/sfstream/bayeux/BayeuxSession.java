package dev.sfstream.bayeux;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.ChannelName;
import dev.sfstream.ConnectionState;
import dev.sfstream.ServerErrorException;
import dev.sfstream.StreamingEvent;
import dev.sfstream.StreamingException;
import dev.sfstream.TransportException;
import dev.sfstream.auth.AccessToken;
import dev.sfstream.internal.Backoff;
import dev.sfstream.internal.Healing;
import dev.sfstream.internal.JsonTree;
import dev.sfstream.internal.SerialExecutor;
import dev.sfstream.internal.Shared;
import dev.sfstream.transport.SessionListener;
import dev.sfstream.transport.TransportContext;
import dev.sfstream.transport.TransportSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Bayeux protocol state machine of one Streaming API client: handshake, the {@code /meta/connect} loop, advice,
 * and every recovery of the table in the package documentation; its subscriptions live in
 * {@link BayeuxSubscriptions}.
 *
 * <p>Concurrency: every decision runs on the session's own serial lane (a {@link SerialExecutor} over the shared
 * worker pool), so the state needs no locks and an idle session holds no thread. HTTP completions and timers hop
 * onto the lane; the public methods may be called from any thread. At most one {@code /meta/connect} is held by
 * the server at a time ({@link ConnectLoop}, which also sends the next one while an answer is parsed); subscribe and
 * unsubscribe go out on their own requests while it waits. Handshakes are at least {@code handshakeMinInterval}
 * apart, so a failing client cannot storm the org's client allocation.
 */
final class BayeuxSession implements TransportSession {
    private static final Logger LOG = LoggerFactory.getLogger(BayeuxSession.class);

    final TransportContext context;
    final SessionListener listener;
    private final LongPollingTransport transport;
    final SerialExecutor lane = new SerialExecutor(Shared.workers());
    private final Set<ScheduledFuture<?>> timers = ConcurrentHashMap.newKeySet();
    private final BayeuxSubscriptions subscriptions = new BayeuxSubscriptions(this);
    final Healing healing;
    final Backoff connectBackoff;
    final Backoff handshakeBackoff;
    private final TokenRenewal renewal = new TokenRenewal(this);
    private final ConnectLoop connectLoop = new ConnectLoop(this);

    // Everything below is confined to the lane.
    private volatile ConnectionState state = ConnectionState.NEW;

    AccessToken token;
    String clientId;
    boolean replaySupported;
    Advice advice = Advice.DEFAULT;
    int generation;
    private long messageId;
    private Instant lastHandshake = Instant.EPOCH;
    private CompletableFuture<Void> opening;

    BayeuxSession(TransportContext context, HttpClient http) {
        this.context = context;
        this.listener = context.listener();
        this.transport = new LongPollingTransport(http, context.maxMessageSize(), Shared.workers());
        this.healing = new Healing(context.connectionTimeout());
        this.connectBackoff = new Backoff(context.backoffInitial(), context.backoffMax());
        this.handshakeBackoff = new Backoff(context.backoffInitial(), context.backoffMax());
    }

    @Override
    public long fetches() {
        return connectLoop.connects();
    }

    ConnectionState state() {
        return state;
    }

    boolean isClosed() {
        return state == ConnectionState.CLOSED;
    }

    Duration requestTimeout() {
        return context.requestTimeout();
    }

    // ---------------------------------------------------------------- public operations

    /**
     * Starts the session: the token is requested on the calling thread (so bad credentials fail here, fast), then
     * the handshake runs; the future completes once the first handshake succeeded and the connect loop runs.
     */
    @Override
    public CompletableFuture<Void> open() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AccessToken first = context.authenticator().token();
        lane.execute(() -> {
            if (state != ConnectionState.NEW) {
                done.completeExceptionally(new IllegalStateException("the session was already opened"));
                return;
            }
            token = first;
            opening = done;
            handshake("opening");
        });
        return done;
    }

    @Override
    public CompletableFuture<Void> subscribe(ChannelName channel) {
        return subscriptions.subscribe(channel);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String channel) {
        return subscriptions.unsubscribe(channel);
    }

    @Override
    public CompletableFuture<List<String>> subscriptions() {
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        lane.execute(() -> result.complete(subscriptions.channels()));
        return result;
    }

    /** Sends the next connect if the session was paused for back-pressure and the consumer now has room. */
    @Override
    public void resume() {
        lane.execute(connectLoop::resume);
    }

    /** Ends the session: a best-effort {@code /meta/disconnect}, then every timer and request stops. */
    @Override
    public CompletableFuture<Void> close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lane.execute(() -> {
            if (state == ConnectionState.CLOSED) {
                done.complete(null);
                return;
            }
            String id = clientId;
            stop("closed by the application");
            subscriptions.failPending(null);
            if (id == null) {
                done.complete(null);
                return;
            }
            ObjectNode m = message(MetaChannel.DISCONNECT);
            m.put("clientId", id);
            post(m, Duration.ofSeconds(5)).whenComplete((msgs, err) -> done.complete(null));
        });
        return done;
    }

    // ---------------------------------------------------------------- handshake

    void handshake(String why) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        Instant earliest = lastHandshake.plus(context.handshakeMinInterval());
        Instant now = Instant.now();
        if (now.isBefore(earliest)) {
            setState(ConnectionState.RECONNECTING, why);
            schedule(Duration.between(now, earliest), () -> handshake(why));
            return;
        }
        generation++;
        int gen = generation;
        clientId = null;
        cancelInFlightConnect();
        transport.clearCookies();
        lastHandshake = now;
        setState(ConnectionState.CONNECTING, why);
        ObjectNode m = message(MetaChannel.HANDSHAKE);
        m.put("version", "1.0");
        m.put("minimumVersion", "1.0");
        m.putArray("supportedConnectionTypes").add("long-polling");
        m.putObject("ext").put("replay", true);
        post(m, context.requestTimeout()).whenComplete((response, err) -> lane.executeHere(
                () -> onHandshake(gen, response == null ? null : response.messages(), err)));
    }

    private void onHandshake(int gen, List<Message> msgs, Throwable err) {
        if (gen != generation || state == ConnectionState.CLOSED) {
            return;
        }
        if (err != null) {
            transportFailed("handshake", err, () -> handshake("retrying the handshake"));
            return;
        }
        deliverEvents(msgs);
        Message reply = find(msgs, MetaChannel.HANDSHAKE);
        if (reply == null) {
            transportFailed("handshake", new TransportFailure(200, "the handshake response had no "
                    + "/meta/handshake reply", null), () -> handshake("retrying the handshake"));
            return;
        }
        if (!reply.successful()) {
            handshakeRefused(reply);
            return;
        }
        clientId = reply.clientId();
        replaySupported = reply.ext().path("replay").asBoolean(false);
        advice = Advice.read(reply.advice(), Advice.DEFAULT);
        handshakeBackoff.reset();
        renewal.handshakeSucceeded();
        // Only a successful connect ends a run of failures: a server that handshakes but cannot hold a long poll
        // must still make the client give up after the connection timeout.
        setState(ConnectionState.CONNECTED, "handshake succeeded");
        if (opening != null) {
            opening.complete(null);
            opening = null;
        }
        connectLoop.start();
        subscriptions.sendAll();
    }

    private void handshakeRefused(Message reply) {
        BayeuxError reason = reply.failureReason().orElseGet(() -> reply.error().orElse(BayeuxError.parse(null)));
        String described = "Salesforce refused the handshake: " + reply.describeFailure();
        if (reason.isServerBusy() || isConcurrentLimit(reason)) {
            healing.failed(described);
            retryLater(handshakeBackoff, () -> handshake("retrying after: " + reason.text()));
        } else if (reason.isAuthentication()) {
            reauthenticate(described);
        } else {
            fatal(new ServerErrorException(MetaChannel.HANDSHAKE, reason, described));
        }
    }

    private static boolean isConcurrentLimit(BayeuxError e) {
        return e.code() == 403 && e.text().toLowerCase(java.util.Locale.ROOT).contains("limit");
    }

    // ---------------------------------------------------------------- failures and timing

    void transportFailed(String what, Throwable err, Runnable retry) {
        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                ? err.getCause() : err;
        healing.failed(what + ": " + cause.getMessage());
        if (cause instanceof TransportFailure tf && tf.status == 401) {
            reauthenticate(what + " answered HTTP 401");
            return;
        }
        LOG.debug("sfstream: {} failed: {}", what, cause.getMessage());
        retryLater(connectBackoff, retry);
    }

    /** Retries after a backoff delay, unless failures have lasted longer than the connection timeout. */
    void retryLater(Backoff backoff, Runnable action) {
        Optional<Duration> delay = healing.retryAfter(backoff);
        if (delay.isEmpty()) {
            fatal(new TransportException(healing.gaveUp(), null));
            return;
        }
        String reason = healing.lastFailure();
        setState(ConnectionState.RECONNECTING, reason == null ? "retrying" : reason);
        schedule(delay.get(), action);
    }

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

    /** Renews the token once (a second refusal of a fresh token is fatal), then handshakes again. */
    void reauthenticate(String why) {
        renewal.reauthenticate(why);
    }

    void fatal(StreamingException error) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        LOG.error("sfstream: giving up: {}", error.getMessage());
        stop(error.getMessage());
        if (opening != null) {
            opening.completeExceptionally(error);
            opening = null;
        }
        subscriptions.failPending(error);
        listener.onFatal(error);
    }

    private void stop(String reason) {
        generation++;
        cancelInFlightConnect();
        timers.forEach(t -> t.cancel(false));
        timers.clear();
        clientId = null;
        setState(ConnectionState.CLOSED, reason);
    }

    void cancelInFlightConnect() {
        connectLoop.cancel();
    }

    void setState(ConnectionState next, String reason) {
        if (state != next) {
            LOG.debug("sfstream: {} -> {} ({})", state, next, reason);
            state = next;
            listener.onStateChanged(next, reason);
        }
    }

    // ---------------------------------------------------------------- messages

    ObjectNode message(String channel) {
        ObjectNode m = JsonTree.NODES.objectNode();
        m.put("channel", channel);
        m.put("id", Long.toString(++messageId));
        return m;
    }

    CompletableFuture<LongPollingTransport.Response> post(ObjectNode message, Duration timeout) {
        return post(message, timeout, Shared.workers(), null);
    }

    /** Posts one message; the answer is parsed on {@code parser}, after {@code answered} (see the transport). */
    CompletableFuture<LongPollingTransport.Response> post(ObjectNode message, Duration timeout, Executor parser,
            Runnable answered) {
        ArrayNode batch = JsonTree.NODES.arrayNode().add(message);
        URI endpoint = URI.create(token.instanceUrl() + "/cometd/" + context.apiVersion());
        return transport.send(endpoint, token.authorizationHeader(), batch, timeout, parser, answered);
    }

    /** Hands the events (non-meta messages) of a response to the listener, in order. */
    void deliverEvents(List<Message> msgs) {
        List<StreamingEvent> events = Message.events(msgs);
        if (!events.isEmpty()) {
            listener.onEvents(events);
        }
    }

    static Message find(List<Message> msgs, String channel) {
        return Message.find(msgs, channel);
    }
}
