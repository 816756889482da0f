package dev.sfstream.bayeux;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.AuthenticationException;
import dev.sfstream.ChannelName;
import dev.sfstream.ReplayIdInvalidException;
import dev.sfstream.ServerErrorException;
import dev.sfstream.StreamingException;
import dev.sfstream.SubscriptionException;
import dev.sfstream.TransportException;
import dev.sfstream.auth.AccessToken;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.internal.Backoff;
import dev.sfstream.internal.Json;
import dev.sfstream.internal.SerialExecutor;
import dev.sfstream.internal.Shared;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Bayeux protocol state machine of one Streaming API client: handshake, the {@code /meta/connect} loop,
 * subscriptions, advice, and every recovery:
 *
 * <table>
 *   <caption>What the server says and what the session does</caption>
 *   <tr><td>{@code advice.reconnect = retry}</td><td>connect again after {@code advice.interval}</td></tr>
 *   <tr><td>{@code 403::Unknown client}, {@code advice.reconnect = handshake}</td>
 *       <td>handshake again (no token request), subscribe again from committed markers</td></tr>
 *   <tr><td>{@code 401::Authentication invalid}</td><td>renew the token once, then handshake again</td></tr>
 *   <tr><td>503 in {@code error} or {@code ext.sfdc.failureReason}</td><td>back off (exponential, jittered,
 *       capped), then retry</td></tr>
 *   <tr><td>network error, timeout, HTTP error, garbage on a connect</td><td>back off, then handshake again and
 *       resubscribe from the last event handed out (the lost response may have carried events); give up after the
 *       connection timeout with a {@link TransportException}</td></tr>
 *   <tr><td>server-initiated {@code /meta/disconnect}</td><td>handshake again</td></tr>
 *   <tr><td>invalid replay ID on subscribe</td><td>ask the handler for the fallback, subscribe again</td></tr>
 * </table>
 *
 * <p>Concurrency: every decision runs on the session's own serial lane (a {@link SerialExecutor} over the shared
 * worker pool), so the state needs no locks and an idle session holds no thread. HTTP completions and timers hop
 * onto the lane; the public methods may be called from any thread. Exactly one {@code /meta/connect} is
 * outstanding at a time; subscribe and unsubscribe go out on their own requests while it waits. Handshakes are at
 * least {@code handshakeMinInterval} apart, so a failing client cannot storm the org's client allocation.
 */
public final class BayeuxSession {
    /** Responses with at most this many messages are handed over before the next long poll goes out. */
    private static final int LIVE_BATCH = 16;
    private static final Logger LOG = LoggerFactory.getLogger(BayeuxSession.class);

    /** The session's states: UNCONNECTED, HANDSHAKING, CONNECTED, RECONNECTING, CLOSED. */
    public enum State { UNCONNECTED, HANDSHAKING, CONNECTED, RECONNECTING, CLOSED }

    /** What the session needs from its owner. Every method is called on the session's lane. */
    public interface Handler {
        /** Events (non-meta messages) from a response, in the order received. */
        void onEvents(List<Message> events);

        /** The state changed; {@code reason} says why in a few words. */
        void onStateChanged(State state, String reason);

        /** The value of the replay map for a (re)subscription: -1, -2 or the committed replay ID. */
        long replayStart(ChannelName channel);

        /**
         * Salesforce refused the replay ID sent for a channel. Apply the fallback so that the next
         * {@link #replayStart} answers -1 or -2, or throw {@link ReplayIdInvalidException} to fail the subscription.
         */
        void onReplayRefused(ChannelName channel, long refusedReplayId);

        /**
         * Salesforce confirmed a subscription sent with {@code sentReplay}; {@code serverTime} is the server's clock
         * when it answered ({@code null} when unknown).
         */
        void onSubscribed(ChannelName channel, long sentReplay, Instant serverTime);

        /** A subscription that was confirmed before failed when it was renewed (after a re-handshake). */
        void onSubscriptionLost(ChannelName channel, StreamingException error);

        /** The session gave up for good. */
        void onFatal(StreamingException error);

        /** Whether the consumer has room for more events; while it has not, no connect is sent. */
        boolean hasRoom();
    }

    /** The session's settings; see {@code StreamingClient.Builder} for their meaning and defaults. */
    public record Settings(String apiVersion, Duration connectionTimeout, Duration requestTimeout,
            Duration connectMargin, Duration handshakeMinInterval, Duration backoffInitial, Duration backoffMax,
            int maxMessageSize) {
        public Settings {
            Objects.requireNonNull(apiVersion, "apiVersion");
        }
    }

    private final Authenticator authenticator;
    private final Settings settings;
    private final Handler handler;
    private final LongPollingTransport transport;
    private final SerialExecutor lane = new SerialExecutor(Shared.workers());
    private final Set<ScheduledFuture<?>> timers = ConcurrentHashMap.newKeySet();

    // Everything below is confined to the lane.
    private volatile State state = State.UNCONNECTED;
    private volatile long connects;
    private AccessToken token;
    private String clientId;
    private boolean replaySupported;
    private Advice advice = Advice.DEFAULT;
    private int generation;
    private long messageId;
    private boolean connectInFlight;
    private boolean firstConnect;
    private boolean paused;
    private boolean reauthenticating;
    private boolean freshTokenRefused;
    private Instant lastHandshake = Instant.EPOCH;
    private Instant failingSince;
    private String lastFailure;
    private CompletableFuture<LongPollingTransport.Response> inFlightConnect;
    private CompletableFuture<Void> opening;
    private final Map<String, Sub> subscriptions = new LinkedHashMap<>();
    private final Backoff connectBackoff;
    private final Backoff handshakeBackoff;

    /** One subscription the session keeps alive across handshakes. */
    private static final class Sub {
        final ChannelName channel;
        final CompletableFuture<Void> confirmed = new CompletableFuture<>();
        long sentReplay;

        Sub(ChannelName channel) {
            this.channel = channel;
        }
    }

    public BayeuxSession(Authenticator authenticator, Settings settings, Handler handler,
            java.net.http.HttpClient http) {
        this.authenticator = authenticator;
        this.settings = settings;
        this.handler = handler;
        this.transport = new LongPollingTransport(http, settings.maxMessageSize(), Shared.workers());
        this.connectBackoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
        this.handshakeBackoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
    }

    public State state() {
        return state;
    }

    /** How many {@code /meta/connect} replies came back successful. */
    public long connects() {
        return connects;
    }

    /** The clientId of the current Bayeux session, or {@code null} between sessions. */
    public String clientId() {
        return clientId;
    }

    // ---------------------------------------------------------------- public operations

    /**
     * Starts the session: the token is requested on the calling thread (so bad credentials fail here, fast), then
     * the handshake runs; the future completes once the first handshake succeeded and the connect loop runs.
     */
    public CompletableFuture<Void> open() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AccessToken first = authenticator.token();
        lane.execute(() -> {
            if (state != State.UNCONNECTED) {
                done.completeExceptionally(new IllegalStateException("the session was already opened"));
                return;
            }
            token = first;
            opening = done;
            handshake("opening");
        });
        return done;
    }

    /** Subscribes (idempotently); the future completes when Salesforce confirmed it, or fails with the reason. */
    public CompletableFuture<Void> subscribe(ChannelName channel) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        lane.execute(() -> {
            if (state == State.CLOSED) {
                result.completeExceptionally(new SubscriptionException(channel.value(), "cannot subscribe to "
                        + channel + ": the client is closed", null));
                return;
            }
            Sub sub = subscriptions.get(channel.value());
            if (sub == null) {
                sub = new Sub(channel);
                subscriptions.put(channel.value(), sub);
                if (clientId != null) {
                    sendSubscribe(sub);
                }
            }
            sub.confirmed.whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(null);
                }
            });
        });
        return result;
    }

    /** Unsubscribes; the future completes when Salesforce answered (or at once when not connected). */
    public CompletableFuture<Void> unsubscribe(String channel) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        lane.execute(() -> {
            Sub sub = subscriptions.remove(channel);
            if (sub == null || clientId == null) {
                result.complete(null);
                return;
            }
            sendUnsubscribe(channel).whenComplete((v, e) -> result.complete(null));
        });
        return result;
    }

    private CompletableFuture<Void> sendUnsubscribe(String channel) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ObjectNode m = message(MetaChannel.UNSUBSCRIBE);
        m.put("clientId", clientId);
        m.put("subscription", channel);
        post(m, settings.requestTimeout()).whenComplete((response, err) -> lane.execute(() -> {
            if (response != null) {
                deliverEvents(response.messages());
            }
            if (err != null) {
                LOG.warn("sfstream: unsubscribe from {} got no answer: {}", channel, err.getMessage());
            }
            done.complete(null);
        }));
        return done;
    }

    /** The channels subscribed (confirmed or pending), in subscription order. */
    public CompletableFuture<List<String>> subscriptions() {
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        lane.execute(() -> result.complete(new ArrayList<>(subscriptions.keySet())));
        return result;
    }

    /** Sends the next connect if the session was paused for back-pressure and the consumer now has room. */
    public void resume() {
        lane.execute(() -> {
            if (paused) {
                connect();
            }
        });
    }

    /** Ends the session: a best-effort {@code /meta/disconnect}, then every timer and request stops. */
    public CompletableFuture<Void> close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lane.execute(() -> {
            if (state == State.CLOSED) {
                done.complete(null);
                return;
            }
            String id = clientId;
            stop(State.CLOSED, "closed by the application");
            failPending(new SubscriptionException("", "the client was closed before Salesforce confirmed the "
                    + "subscription", null));
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

    private void handshake(String why) {
        if (state == State.CLOSED) {
            return;
        }
        Instant earliest = lastHandshake.plus(settings.handshakeMinInterval());
        Instant now = Instant.now();
        if (now.isBefore(earliest)) {
            setState(State.RECONNECTING, why);
            schedule(Duration.between(now, earliest), () -> handshake(why));
            return;
        }
        generation++;
        int gen = generation;
        clientId = null;
        connectInFlight = false;
        cancelInFlightConnect();
        transport.clearCookies();
        lastHandshake = now;
        setState(State.HANDSHAKING, why);
        ObjectNode m = message(MetaChannel.HANDSHAKE);
        m.put("version", "1.0");
        m.put("minimumVersion", "1.0");
        m.putArray("supportedConnectionTypes").add("long-polling");
        m.putObject("ext").put("replay", true);
        post(m, settings.requestTimeout()).whenComplete((response, err) -> lane.executeHere(
                () -> onHandshake(gen, response == null ? null : response.messages(), err)));
    }

    private void onHandshake(int gen, List<Message> msgs, Throwable err) {
        if (gen != generation || state == State.CLOSED) {
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
        freshTokenRefused = false;
        // Only a successful connect ends a run of failures: a server that handshakes but cannot hold a long poll
        // must still make the client give up after the connection timeout.
        setState(State.CONNECTED, "handshake succeeded");
        if (opening != null) {
            opening.complete(null);
            opening = null;
        }
        firstConnect = true;
        connect();
        for (Sub sub : new ArrayList<>(subscriptions.values())) {
            sendSubscribe(sub);
        }
    }

    private void handshakeRefused(Message reply) {
        BayeuxError reason = reply.failureReason().orElseGet(() -> reply.error().orElse(BayeuxError.parse(null)));
        String described = "Salesforce refused the handshake: " + reply.describeFailure();
        if (reason.isServerBusy() || isConcurrentLimit(reason)) {
            lastFailure = described;
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

    // ---------------------------------------------------------------- re-authentication

    private void reauthenticate(String why) {
        if (reauthenticating || state == State.CLOSED) {
            return;
        }
        if (freshTokenRefused) {
            fatal(new AuthenticationException(null, null, 401, why + ", again with a token just renewed; the "
                    + "user or connected app cannot use the Streaming API"));
            return;
        }
        reauthenticating = true;
        freshTokenRefused = true;
        generation++;
        cancelInFlightConnect();
        clientId = null;
        setState(State.RECONNECTING, why);
        AccessToken stale = token;
        Shared.workers().execute(() -> {
            try {
                AccessToken renewed = authenticator.renew(stale);
                lane.execute(() -> {
                    reauthenticating = false;
                    token = renewed;
                    handshake("re-authenticated");
                });
            } catch (AuthenticationException e) {
                lane.execute(() -> {
                    reauthenticating = false;
                    fatal(e);
                });
            } catch (RuntimeException e) {
                lane.execute(() -> {
                    reauthenticating = false;
                    freshTokenRefused = false;
                    lastFailure = "re-authentication failed: " + e.getMessage();
                    retryLater(handshakeBackoff, () -> reauthenticate(why));
                });
            }
        });
    }

    // ---------------------------------------------------------------- connect loop

    private void connect() {
        if (clientId == null || state == State.CLOSED || connectInFlight) {
            return;
        }
        if (!handler.hasRoom()) {
            paused = true;
            return;
        }
        paused = false;
        connectInFlight = true;
        ObjectNode m = message(MetaChannel.CONNECT);
        m.put("clientId", clientId);
        m.put("connectionType", "long-polling");
        if (firstConnect) {
            m.putObject("advice").put("timeout", 0);
            firstConnect = false;
        }
        int gen = generation;
        CompletableFuture<LongPollingTransport.Response> request = post(m,
                advice.timeout().plus(settings.connectMargin()));
        inFlightConnect = request;
        request.whenComplete((response, err) -> lane.executeHere(
                () -> onConnect(gen, response == null ? null : response.messages(), err)));
    }

    private void onConnect(int gen, List<Message> msgs, Throwable err) {
        if (state == State.CLOSED) {
            return;
        }
        if (gen != generation) {
            if (msgs != null) {
                deliverEvents(msgs); // events of an older session are still events; duplicates are dropped later
            }
            return;
        }
        connectInFlight = false;
        inFlightConnect = null;
        if (err != null) {
            // The server may have taken events off the session's queue for the response we never got: Bayeux has
            // no acknowledgement, so the only safe recovery is a new session that resubscribes from the last event
            // handed out (duplicates are dropped on the way in).
            transportFailed("connect", err, () -> handshake("resynchronizing after a lost connect response"));
            return;
        }
        Message reply = null;
        boolean disconnected = false;
        for (Message m : msgs) {
            if (MetaChannel.CONNECT.equals(m.channel())) {
                reply = m;
            } else if (MetaChannel.DISCONNECT.equals(m.channel())) {
                disconnected = true;
            }
        }
        if (disconnected) {
            deliverEvents(msgs);
            LOG.info("sfstream: the server disconnected the session; handshaking again");
            handshake("the server disconnected the session");
            return;
        }
        if (reply == null) {
            deliverEvents(msgs);
            transportFailed("connect", new TransportFailure(200, "the connect response had no /meta/connect "
                    + "reply", null), this::connect);
            return;
        }
        if (msgs.size() <= LIVE_BATCH) {
            // Live traffic: the consumer is waiting for these few events, hand them over first.
            deliverEvents(msgs);
            connectReply(reply);
        } else {
            // A backlog: the next long poll goes out first, so the server fills it while this one is consumed.
            connectReply(reply);
            deliverEvents(msgs);
        }
    }

    private void connectReply(Message reply) {
        advice = Advice.read(reply.advice(), advice);
        if (reply.successful()) {
            connects++;
            succeeded();
            setState(State.CONNECTED, "connected");
            if (advice.reconnect() == Advice.Reconnect.HANDSHAKE) {
                handshake("the server advised a handshake");
            } else if (advice.interval().isZero()) {
                connect();
            } else {
                schedule(advice.interval(), this::connect);
            }
            return;
        }
        BayeuxError error = reply.error().orElse(BayeuxError.parse(null));
        BayeuxError reason = reply.failureReason().orElse(error);
        String described = "connect refused: " + reply.describeFailure();
        lastFailure = described;
        if (reason.isServerBusy() || error.isServerBusy()) {
            Runnable next = advice.reconnect() == Advice.Reconnect.RETRY ? this::connect
                    : () -> handshake("retrying after a busy server");
            retryLater(connectBackoff, next);
        } else if (error.isAuthentication() || reason.isAuthentication()) {
            reauthenticate(described);
        } else if (error.isUnknownClient() || advice.reconnect() == Advice.Reconnect.HANDSHAKE
                || error.text().contains("BAYEUX_BROWSER")) {
            handshake(error.isUnknownClient() ? "the server no longer knows this client (" + error.raw() + ")"
                    : described);
        } else if (advice.reconnect() == Advice.Reconnect.NONE) {
            LOG.warn("sfstream: {}; handshaking again after a pause", described);
            retryLater(handshakeBackoff, () -> handshake(described));
        } else {
            retryLater(connectBackoff, this::connect);
        }
    }

    // ---------------------------------------------------------------- subscriptions

    private void sendSubscribe(Sub sub) {
        long replay;
        try {
            replay = handler.replayStart(sub.channel);
        } catch (StreamingException e) {
            lose(sub, e);
            return;
        } catch (RuntimeException e) {
            // Never out of the lane: a subscription the server does not have must not look subscribed.
            lose(sub, new SubscriptionException(sub.channel.value(), "cannot subscribe to " + sub.channel
                    + ": deciding where it starts failed: " + e, e));
            return;
        }
        sub.sentReplay = replay;
        int gen = generation;
        ObjectNode m = message(MetaChannel.SUBSCRIBE);
        m.put("clientId", clientId);
        m.put("subscription", sub.channel.value());
        if (replaySupported) {
            m.putObject("ext").putObject("replay").put(sub.channel.base(), replay);
        }
        post(m, settings.requestTimeout()).whenComplete((response, err) -> lane.executeHere(
                () -> onSubscribe(sub, gen, response, err)));
    }

    private void onSubscribe(Sub sub, int gen, LongPollingTransport.Response response, Throwable err) {
        List<Message> msgs = response == null ? null : response.messages();
        if (msgs != null) {
            deliverEvents(msgs);
        }
        if (state == State.CLOSED || gen != generation) {
            return; // a newer handshake sends it again
        }
        if (subscriptions.get(sub.channel.value()) != sub) {
            // Given up (unsubscribed) while the request was out: the server must not keep a subscription nobody has.
            Message late = err == null ? find(msgs, MetaChannel.SUBSCRIBE) : null;
            if (late != null && late.successful() && !subscriptions.containsKey(sub.channel.value())) {
                sendUnsubscribe(sub.channel.value());
            }
            return;
        }
        if (err != null) {
            transportFailed("subscribe to " + sub.channel, err, () -> {
                if (subscriptions.get(sub.channel.value()) == sub && clientId != null) {
                    sendSubscribe(sub);
                }
            });
            return;
        }
        Message reply = find(msgs, MetaChannel.SUBSCRIBE);
        if (reply == null) {
            lose(sub, new SubscriptionException(sub.channel.value(), "no /meta/subscribe reply for " + sub.channel,
                    null));
            return;
        }
        if (reply.successful()) {
            handler.onSubscribed(sub.channel, sub.sentReplay, response.serverTime());
            sub.confirmed.complete(null);
            return;
        }
        BayeuxError error = reply.error().orElse(BayeuxError.parse(null));
        BayeuxError reason = reply.failureReason().orElse(error);
        if (error.refusedReplayId().isPresent() && sub.sentReplay > 0) {
            try {
                handler.onReplayRefused(sub.channel, sub.sentReplay);
                sendSubscribe(sub);
            } catch (ReplayIdInvalidException e) {
                lose(sub, e);
            }
        } else if (reason.isServerBusy() || error.isServerBusy()) {
            lastFailure = "subscribe to " + sub.channel + " refused: " + reply.describeFailure();
            retryLater(connectBackoff, () -> {
                if (subscriptions.get(sub.channel.value()) == sub && clientId != null) {
                    sendSubscribe(sub);
                }
            });
        } else if (error.isAuthentication()) {
            reauthenticate("subscribe refused: " + reply.describeFailure());
        } else if (error.isUnknownClient() || Advice.read(reply.advice(), advice).reconnect()
                == Advice.Reconnect.HANDSHAKE) {
            handshake("subscribe answered " + error.raw());
        } else {
            lose(sub, new SubscriptionException(sub.channel.value(), "Salesforce refused the subscription to "
                    + sub.channel + ": " + reply.describeFailure(), null));
        }
    }

    private void lose(Sub sub, StreamingException error) {
        subscriptions.remove(sub.channel.value());
        if (!sub.confirmed.isDone()) {
            sub.confirmed.completeExceptionally(error);
        } else {
            handler.onSubscriptionLost(sub.channel, error);
        }
    }

    // ---------------------------------------------------------------- failures and timing

    private void transportFailed(String what, Throwable err, Runnable retry) {
        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                ? err.getCause() : err;
        lastFailure = what + ": " + cause.getMessage();
        if (cause instanceof TransportFailure tf && tf.status == 401) {
            reauthenticate(what + " answered HTTP 401");
            return;
        }
        LOG.debug("sfstream: {} failed: {}", what, cause.getMessage());
        retryLater(connectBackoff, retry);
    }

    /** Retries after a backoff delay, unless failures have lasted longer than the connection timeout. */
    private void retryLater(Backoff backoff, Runnable action) {
        Instant now = Instant.now();
        if (failingSince == null) {
            failingSince = now;
        }
        Duration failing = Duration.between(failingSince, now);
        if (failing.compareTo(settings.connectionTimeout()) > 0) {
            fatal(new TransportException("gave up after " + failing.toSeconds() + " s of failures (connection "
                    + "timeout " + settings.connectionTimeout().toSeconds() + " s); last: " + lastFailure, null));
            return;
        }
        Duration delay = backoff.next();
        setState(state == State.CLOSED ? State.CLOSED : State.RECONNECTING, lastFailure == null ? "retrying"
                : lastFailure);
        schedule(delay, action);
    }

    private void succeeded() {
        failingSince = null;
        lastFailure = null;
        connectBackoff.reset();
    }

    private void schedule(Duration delay, Runnable action) {
        ScheduledFuture<?>[] holder = new ScheduledFuture<?>[1];
        holder[0] = Shared.timer().schedule(() -> {
            timers.remove(holder[0]);
            lane.execute(() -> {
                if (state != State.CLOSED) {
                    action.run();
                }
            });
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
        timers.add(holder[0]);
    }

    private void fatal(StreamingException error) {
        if (state == State.CLOSED) {
            return;
        }
        LOG.error("sfstream: giving up: {}", error.getMessage());
        stop(State.CLOSED, error.getMessage());
        if (opening != null) {
            opening.completeExceptionally(error);
            opening = null;
        }
        failPending(error);
        handler.onFatal(error);
    }

    private void stop(State end, String reason) {
        generation++;
        cancelInFlightConnect();
        timers.forEach(t -> t.cancel(false));
        timers.clear();
        clientId = null;
        setState(end, reason);
    }

    private void failPending(StreamingException error) {
        for (Sub sub : subscriptions.values()) {
            if (!sub.confirmed.isDone()) {
                sub.confirmed.completeExceptionally(error instanceof SubscriptionException se
                        && se.channel().isEmpty() ? new SubscriptionException(sub.channel.value(), se.getMessage(),
                        null) : error);
            }
        }
    }

    private void cancelInFlightConnect() {
        if (inFlightConnect != null) {
            inFlightConnect.cancel(true);
            inFlightConnect = null;
        }
        connectInFlight = false;
    }

    private void setState(State next, String reason) {
        if (state != next) {
            LOG.debug("sfstream: {} -> {} ({})", state, next, reason);
            state = next;
            handler.onStateChanged(next, reason);
        }
    }

    // ---------------------------------------------------------------- messages

    private ObjectNode message(String channel) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("channel", channel);
        m.put("id", Long.toString(++messageId));
        return m;
    }

    private CompletableFuture<LongPollingTransport.Response> post(ObjectNode message, Duration timeout) {
        ArrayNode batch = Json.MAPPER.createArrayNode().add(message);
        URI endpoint = URI.create(token.instanceUrl() + "/cometd/" + settings.apiVersion());
        return transport.send(endpoint, token.authorizationHeader(), batch, timeout);
    }

    private void deliverEvents(List<Message> msgs) {
        List<Message> events = null;
        for (Message m : msgs) {
            if (!m.isMeta()) {
                if (events == null) {
                    events = new ArrayList<>(msgs.size());
                }
                events.add(m);
            }
        }
        if (events != null) {
            handler.onEvents(events);
        }
    }

    private static Message find(List<Message> msgs, String channel) {
        for (Message m : msgs) {
            if (channel.equals(m.channel())) {
                return m;
            }
        }
        return null;
    }
}
