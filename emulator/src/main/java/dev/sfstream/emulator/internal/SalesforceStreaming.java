package dev.sfstream.emulator.internal;

import dev.sfstream.soql.CompiledQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.Promise;
import org.cometd.bayeux.server.BayeuxContext;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.SecurityPolicy;
import org.cometd.bayeux.server.ServerChannel;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.ServerMessageImpl;
import org.cometd.server.ServerSessionImpl;

/**
 * Salesforce's behaviour on top of the stock CometD server, as one {@link BayeuxServer.Extension} and one
 * {@link SecurityPolicy} (the CometD way of adding protocol behaviour around its core):
 * <ul>
 *   <li>the API version in the URL and the OAuth token on every message (PROTOCOL.md sections 1.1, 1.2);</li>
 *   <li>Salesforce's handshake reply ({@code ext} with {@code replay} and {@code payload.format}, no advice) and its
 *       failure form, {@code 403::Handshake denied} with {@code ext.sfdc.failureReason} (1.5);</li>
 *   <li>{@code 403::Unknown client} where CometD says {@code 402::session_unknown} (3);</li>
 *   <li>subscription checks, filters and the replay map, with Salesforce's texts (2, 4);</li>
 *   <li>faults on demand: revoked tokens, dropped sessions, a busy server.</li>
 * </ul>
 */
final class SalesforceStreaming implements BayeuxServer.Extension, SecurityPolicy, BayeuxServer.SessionListener {
    static final String TOKEN = "sfstream.token";
    static final String USER_ID = "sfstream.userId";
    static final String DROPPED = "sfstream.dropped";
    private static final String PLAN = "sfstream.plan";
    private static final String ORIGINAL_SUBSCRIPTION = "sfstream.subscription";
    private static final String FAILURE_REASON = "sfstream.failureReason";
    /**
     * The advice a refusal must carry, kept on the reply until {@link #sendMeta} so that CometD's own advice (added
     * later to a first {@code /meta/connect} reply, with {@code timeout}) cannot replace Salesforce's.
     */
    private static final String REFUSAL_ADVICE = "sfstream.refusalAdvice";

    private final EmulatedOrg org;
    private final StreamingHub hub;
    private final AtomicInteger clients = new AtomicInteger();
    private final Set<ServerSession> held = ConcurrentHashMap.newKeySet();
    private final LongAdder connectsReceived = new LongAdder();
    private final ServerSession.HeartBeatListener holding = new ServerSession.HeartBeatListener() {
        @Override
        public void onSuspended(ServerSession session, ServerMessage message, long timeout) {
            held.add(session);
        }

        @Override
        public void onResumed(ServerSession session, ServerMessage message, boolean timeout) {
            held.remove(session);
        }
    };
    private volatile BayeuxServer bayeux;
    private volatile Instant busyUntil = Instant.EPOCH;

    SalesforceStreaming(EmulatedOrg org) {
        this.org = org;
        this.hub = org.hub();
    }

    void attach(BayeuxServer bayeux) {
        this.bayeux = bayeux;
        hub.attach(bayeux);
    }

    void busyUntil(Instant until) {
        busyUntil = until;
    }

    private boolean busy() {
        return Instant.now().isBefore(busyUntil);
    }

    // ---------------------------------------------------------------- handshake: SecurityPolicy

    @Override
    public void canHandshake(BayeuxServer server, ServerSession session, ServerMessage message,
            Promise<Boolean> promise) {
        String failure = handshakeFailure(server, session, message);
        if (failure != null) {
            ServerMessage.Mutable reply = message.getAssociated();
            reply.put(FAILURE_REASON, failure);
            reply.getAdvice(true).put(Message.RECONNECT_FIELD, Message.RECONNECT_NONE_VALUE);
        }
        promise.succeed(failure == null);
    }

    private String handshakeFailure(BayeuxServer server, ServerSession session, ServerMessage message) {
        String token = bearer(message.getBayeuxContext());
        if (token == null) {
            return StreamingErrors.REQUIRES_AUTHENTICATION;
        }
        Optional<TokenStore.Grant> grant = org.tokens().validate(token);
        if (grant.isEmpty()) {
            return StreamingErrors.AUTHENTICATION_INVALID;
        }
        if (busy()) {
            return StreamingErrors.BUSY;
        }
        if (clientCount() >= org.settings().concurrentClientLimit()) {
            return StreamingErrors.CONCURRENT_LIMIT;
        }
        session.setAttribute(TOKEN, token);
        session.setAttribute(USER_ID, grant.get().userId());
        return null;
    }

    private BayeuxServer server() {
        return bayeux;
    }

    @Override
    public boolean canCreate(BayeuxServer server, ServerSession session, String channelId, ServerMessage message) {
        return session != null && (session.isLocalSession() || !channelId.startsWith("/meta/"));
    }

    @Override
    public boolean canSubscribe(BayeuxServer server, ServerSession session, ServerChannel channel,
            ServerMessage message) {
        return session != null;
    }

    @Override
    public boolean canPublish(BayeuxServer server, ServerSession session, ServerChannel channel,
            ServerMessage message) {
        // Salesforce takes no publish over CometD: events come from REST and record changes.
        return session != null && session.isLocalSession();
    }

    // ---------------------------------------------------------------- incoming meta messages

    @Override
    public boolean rcvMeta(ServerSession from, ServerMessage.Mutable message) {
        BayeuxContext context = message.getBayeuxContext();
        String channel = message.getChannel();
        if (Channel.META_CONNECT.equals(channel)) {
            connectsReceived.increment();
        }
        String versionError = apiVersionError(context);
        if (versionError != null) {
            return refuse(message, versionError, null);
        }
        if (Channel.META_HANDSHAKE.equals(channel)) {
            return true; // checked by canHandshake
        }
        String token = bearer(context);
        if (token == null) {
            return refuse(message, StreamingErrors.REQUIRES_AUTHENTICATION, StreamingErrors.adviceNone());
        }
        if (from == null) {
            String clientId = message.getClientId();
            if (clientId != null && server().getSession(clientId) != null && context != null
                    && context.getCookie("BAYEUX_BROWSER") == null) {
                return refuse(message, StreamingErrors.noCookie(clientId), StreamingErrors.adviceHandshake());
            }
            return true; // CometD answers 402::session_unknown, which sendMeta turns into 403::Unknown client
        }
        Optional<TokenStore.Grant> grant = org.tokens().validate(token);
        if (grant.isEmpty()) {
            server().removeSession(from);
            return refuse(message, StreamingErrors.AUTHENTICATION_INVALID, StreamingErrors.adviceNone());
        }
        if (!grant.get().userId().equals(from.getAttribute(USER_ID))) {
            return refuse(message, StreamingErrors.USER_MISMATCH, StreamingErrors.adviceNone());
        }
        if (!Channel.META_DISCONNECT.equals(channel) && busy()) {
            ServerMessage.Mutable reply = message.getAssociated();
            reply.getExt(true).put("sfdc", Map.of("failureReason", StreamingErrors.BUSY));
            return refuse(message, StreamingErrors.BUSY, StreamingErrors.adviceRetryLater());
        }
        return switch (channel) {
            case Channel.META_CONNECT -> connect(from, message);
            case Channel.META_SUBSCRIBE -> subscribe(from, message);
            case Channel.META_UNSUBSCRIBE -> unsubscribe(from, message);
            case Channel.META_DISCONNECT -> {
                hub.removeSession(from);
                yield true;
            }
            default -> true;
        };
    }

    private boolean connect(ServerSession session, ServerMessage.Mutable message) {
        Object type = message.get(Message.CONNECTION_TYPE_FIELD);
        if (type != null && !"long-polling".equals(type)) {
            return refuse(message, StreamingErrors.invalidConnectionType(type), StreamingErrors.adviceNone());
        }
        // Hand over what waits for this client now, so that the connect answers at once instead of being held.
        hub.pumpSession(session);
        if (hub.allocation().exhausted() && session instanceof ServerSessionImpl impl && !impl.hasNonLazyMessages()) {
            // Events already handed out within the allocation still go with this connect; then it is refused.
            return refuse(message, StreamingErrors.DAILY_LIMIT, StreamingErrors.adviceNone());
        }
        return true;
    }

    /** A subscription the client asked for, checked and ready to register once CometD has subscribed it. */
    private record Plan(String subscription, String logChannel, Predicate<RetainedEvent> accepts, long replayFrom) {
    }

    private boolean subscribe(ServerSession session, ServerMessage.Mutable message) {
        Object field = message.get(Message.SUBSCRIPTION_FIELD);
        if (!(field instanceof String subscription) || subscription.isEmpty()) {
            return refuse(message, StreamingErrors.CHANNEL_NOT_SPECIFIED, null);
        }
        if (!subscription.startsWith("/")) {
            return refuse(message, StreamingErrors.LEADING_SLASH, null);
        }
        int q = subscription.indexOf('?');
        String base = q < 0 ? subscription : subscription.substring(0, q);
        Predicate<RetainedEvent> accepts = e -> true;
        if (base.startsWith("/topic/")) {
            Optional<Map<String, Object>> topic = org.activePushTopic(base.substring("/topic/".length()));
            if (topic.isEmpty()) {
                return refuse(message, StreamingErrors.noSuchChannel(subscription), null);
            }
            if (q >= 0) {
                CompiledQuery query = org.compiledQuery(topic.get());
                SubscriptionFilter.Parsed filter;
                try {
                    filter = SubscriptionFilter.parse(subscription.substring(q + 1), query.sobjectType());
                } catch (IllegalArgumentException e) {
                    return refuse(message, StreamingErrors.noSuchChannel(subscription), null);
                }
                List<String> unknown = new ArrayList<>();
                for (String f : filter.fields()) {
                    if (!query.selectsAnyOf(List.of(f)) && !query.filtersOnAnyOf(List.of(f))) {
                        unknown.add(f);
                    }
                }
                if (!unknown.isEmpty()) {
                    return refuse(message, StreamingErrors.unknownFilterFields(String.join(", ", unknown)), null);
                }
                accepts = filter.predicate();
            }
        } else if (q >= 0) {
            return refuse(message, StreamingErrors.noSuchChannel(subscription), null);
        } else if (base.startsWith("/u/")) {
            if (org.streamingChannel(base).isEmpty()) {
                return refuse(message, StreamingErrors.noSuchChannel(subscription), null);
            }
            Object userId = session.getAttribute(USER_ID);
            accepts = e -> e.userIds == null || e.userIds.contains(userId);
        } else if (base.startsWith("/event/")) {
            if (!(base.endsWith("__e") || base.endsWith("__chn")) || base.length() <= "/event/".length() + 3) {
                return refuse(message, StreamingErrors.noSuchChannel(subscription), null);
            }
        } else if (base.startsWith("/data/")) {
            if (!org.isChangeEventChannel(base)) {
                return refuse(message, StreamingErrors.noSuchChannel(subscription), null);
            }
        } else {
            return refuse(message, StreamingErrors.noSuchChannel(subscription), null);
        }
        Long replayFrom = replayFrom(message, base);
        if (replayFrom == null) {
            return false; // refused, reply filled in
        }
        message.put(ORIGINAL_SUBSCRIPTION, subscription);
        message.put(Message.SUBSCRIPTION_FIELD, base);
        message.put(PLAN, new Plan(subscription, base, accepts, replayFrom));
        return true;
    }

    /** The replay start from the subscribe's {@code ext.replay} map: -1, -2 or a retained ID; null when refused. */
    private Long replayFrom(ServerMessage.Mutable message, String base) {
        Map<String, Object> ext = message.getExt();
        Object replay = ext == null ? null : ext.get("replay");
        if (!(replay instanceof Map<?, ?> map)) {
            return -1L;
        }
        Object value = map.get(base);
        if (value == null) {
            refuse(message, StreamingErrors.replayIdNotInMap(base, map), null);
            return null;
        }
        long replayId;
        try {
            replayId = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            refuse(message, StreamingErrors.invalidReplayId(value), null);
            return null;
        }
        if (replayId == -1 || replayId == -2) {
            return replayId;
        }
        if (!hub.log(base).isRetained(replayId, org.clock().instant())) {
            refuse(message, StreamingErrors.invalidReplayId(value), null);
            return null;
        }
        return replayId;
    }

    private boolean unsubscribe(ServerSession session, ServerMessage.Mutable message) {
        Object field = message.get(Message.SUBSCRIPTION_FIELD);
        if (field instanceof String subscription) {
            hub.unregister(session, subscription);
            int q = subscription.indexOf('?');
            if (q >= 0) {
                message.put(ORIGINAL_SUBSCRIPTION, subscription);
                message.put(Message.SUBSCRIPTION_FIELD, subscription.substring(0, q));
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- outgoing meta replies

    @Override
    public boolean sendMeta(ServerSession to, ServerMessage.Mutable reply) {
        String channel = reply.getChannel();
        Object refusalAdvice = reply.remove(REFUSAL_ADVICE);
        if (refusalAdvice != null) {
            reply.put(Message.ADVICE_FIELD, refusalAdvice);
        }
        Object error = reply.get(Message.ERROR_FIELD);
        if (error instanceof String e && e.startsWith("402::")) {
            unknownClient(reply);
            return true;
        }
        ServerMessage.Mutable request = reply.getAssociated();
        if (to != null && reply.getClientId() == null && !Channel.META_HANDSHAKE.equals(channel)) {
            reply.setClientId(to.getId()); // Salesforce echoes the clientId in every reply
        }
        switch (channel == null ? "" : channel) {
            case Channel.META_HANDSHAKE -> handshakeReply(to, reply);
            case Channel.META_CONNECT -> connectReply(to, reply);
            case Channel.META_SUBSCRIBE -> {
                restoreSubscription(request, reply);
                if (reply.isSuccessful() && request != null && request.get(PLAN) instanceof Plan plan) {
                    register((ServerSessionImpl) to, plan);
                }
            }
            case Channel.META_UNSUBSCRIBE -> restoreSubscription(request, reply);
            default -> {
                // nothing to change
            }
        }
        return true;
    }

    private void handshakeReply(ServerSession to, ServerMessage.Mutable reply) {
        Map<String, Object> ext = reply.getExt(true);
        ext.put("replay", true);
        ext.put("payload.format", true);
        Object failure = reply.remove(FAILURE_REASON);
        if (reply.isSuccessful()) {
            // Salesforce gives no advice on handshake but on the first connect: let CometD advise again then.
            reply.remove(Message.ADVICE_FIELD);
            if (to instanceof ServerSessionImpl impl) {
                impl.reAdvise();
            }
        } else if ("403::handshake_denied".equals(reply.get(Message.ERROR_FIELD))) {
            reply.put(Message.ERROR_FIELD, StreamingErrors.HANDSHAKE_DENIED);
            if (failure != null) {
                ext.put("sfdc", Map.of("failureReason", failure));
            }
        }
    }

    private void connectReply(ServerSession to, ServerMessage.Mutable reply) {
        if (to != null && Boolean.TRUE.equals(to.getAttribute(DROPPED))) {
            unknownClient(reply);
            return;
        }
        if (to != null && reply.isSuccessful()
                && org.tokens().validate((String) to.getAttribute(TOKEN)).isEmpty()) {
            reply.setSuccessful(false);
            reply.put(Message.ERROR_FIELD, StreamingErrors.AUTHENTICATION_INVALID);
            reply.put(Message.ADVICE_FIELD, StreamingErrors.adviceNone());
            server().removeSession(to);
            return;
        }
        Map<String, Object> advice = reply.getAdvice();
        if (advice != null) {
            advice.remove(Message.MAX_INTERVAL_FIELD);
        }
    }

    /** Salesforce's answer for a client it does not know (expired, dropped): handshake again. */
    private static void unknownClient(ServerMessage.Mutable reply) {
        reply.setSuccessful(false);
        reply.put(Message.ERROR_FIELD, StreamingErrors.UNKNOWN_CLIENT);
        reply.put(Message.ADVICE_FIELD, StreamingErrors.adviceHandshake());
        reply.remove(Message.CLIENT_ID_FIELD);
    }

    private static void restoreSubscription(ServerMessage.Mutable request, ServerMessage.Mutable reply) {
        if (request != null && request.get(ORIGINAL_SUBSCRIPTION) instanceof String original) {
            reply.put(Message.SUBSCRIPTION_FIELD, original);
        }
    }

    private void register(ServerSessionImpl session, Plan plan) {
        hub.unregister(session, plan.subscription());
        ChannelLog log = hub.log(plan.logChannel());
        long cursor = plan.replayFrom() == -1 ? log.lastReplayId() : plan.replayFrom() == -2 ? 0 : plan.replayFrom();
        hub.register(new Subscriber(session, plan.subscription(), plan.logChannel(), plan.accepts(), cursor));
    }

    // ---------------------------------------------------------------- sessions

    @Override
    public void sessionAdded(ServerSession session, ServerMessage message) {
        // subscriptions are registered when CometD confirms them; here only the count of clients
        if (!session.isLocalSession()) {
            clients.incrementAndGet();
            session.addListener(holding);
        }
    }

    @Override
    public void sessionRemoved(ServerSession session, ServerMessage message, boolean timeout) {
        if (!session.isLocalSession()) {
            clients.decrementAndGet();
            held.remove(session);
        }
        hub.removeSession(session);
    }

    /** Drops every client session: their next request is answered {@code 403::Unknown client}. */
    int dropSessions() {
        int dropped = 0;
        for (ServerSession session : server().getSessions()) {
            if (!session.isLocalSession()) {
                session.setAttribute(DROPPED, true);
                server().removeSession(session);
                if (session instanceof ServerSessionImpl impl) {
                    impl.flush(); // answer a held /meta/connect now, as CometD's own /meta/disconnect does
                }
                dropped++;
            }
        }
        return dropped;
    }

    /**
     * Ends every client session from the server's side: each client receives a {@code /meta/disconnect} message
     * on its held connect, as Salesforce sends since API 64.0, and must handshake again.
     */
    int disconnectSessions() {
        int disconnected = 0;
        for (ServerSession session : server().getSessions()) {
            if (!session.isLocalSession() && session instanceof ServerSessionImpl impl) {
                impl.disconnect();
                disconnected++;
            }
        }
        return disconnected;
    }

    /** Wakes every held {@code /meta/connect}, so that a revoked token is answered at once. */
    void wakeAll() {
        for (ServerSession session : server().getSessions()) {
            if (!session.isLocalSession() && session instanceof ServerSessionImpl impl) {
                impl.flush();
            }
        }
    }

    /** Client sessions whose {@code /meta/connect} the server holds right now, waiting for events. */
    int heldConnectCount() {
        return held.size();
    }

    /** Every {@code /meta/connect} message received since the start, answered or refused. */
    long connectsReceived() {
        return connectsReceived.sum();
    }

    /** Client sessions (not the server's own local ones), kept as a count so a handshake need not walk them. */
    int clientCount() {
        return clients.get();
    }

    // ---------------------------------------------------------------- helpers

    private static boolean refuse(ServerMessage.Mutable message, String error, Map<String, Object> advice) {
        ServerMessage.Mutable reply = message.getAssociated();
        if (reply != null) {
            reply.setSuccessful(false);
            reply.put(Message.ERROR_FIELD, error);
            if (advice != null) {
                reply.put(Message.ADVICE_FIELD, new LinkedHashMap<>(advice));
                reply.put(REFUSAL_ADVICE, new LinkedHashMap<>(advice));
            }
            if (reply instanceof ServerMessageImpl impl) {
                impl.setHandled(true);
            }
        }
        return false;
    }

    /** The token of an {@code Authorization: Bearer|OAuth <token>} header, or a bare token as EMP-Connector sends. */
    static String bearer(BayeuxContext context) {
        String header = context == null ? null : context.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        int space = h.indexOf(' ');
        if (space > 0) {
            String scheme = h.substring(0, space);
            if (scheme.equalsIgnoreCase("Bearer") || scheme.equalsIgnoreCase("OAuth")) {
                return h.substring(space + 1).trim();
            }
            return null;
        }
        return h;
    }

    /** Checks {@code /cometd/<version>} (trailing segments such as {@code /connect} allowed): 37.0 or later. */
    static String apiVersionError(BayeuxContext context) {
        if (context == null) {
            return null; // a local session
        }
        String url = context.getURL();
        int at = url.indexOf("/cometd");
        String rest = at < 0 ? "" : url.substring(at + "/cometd".length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        String[] parts = rest.split("/");
        String version = parts.length > 1 ? parts[1] : "";
        if (version.isEmpty()) {
            return StreamingErrors.VERSION_MISSING;
        }
        try {
            double v = Double.parseDouble(version);
            return v >= 37.0 ? null : StreamingErrors.VERSION_UNSUPPORTED;
        } catch (NumberFormatException e) {
            return StreamingErrors.VERSION_MISSING;
        }
    }
}
