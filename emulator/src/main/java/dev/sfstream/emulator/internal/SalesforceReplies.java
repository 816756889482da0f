package dev.sfstream.emulator.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.ServerMessageImpl;
import org.cometd.server.ServerSessionImpl;

/**
 * The outgoing side of the meta channels: CometD's replies rewritten into Salesforce's. A successful handshake
 * carries {@code ext} {@code {"replay":true,"payload.format":true}} and no advice; a denied one is
 * {@code 403::Handshake denied} with the reason in {@code ext.sfdc.failureReason}; CometD's
 * {@code 402::session_unknown} becomes {@code 403::Unknown client} with advice to handshake again; every reply
 * echoes the clientId; a connect whose token has been revoked since the handshake ends the session. Refusals made on
 * the incoming side ({@link #refuse}) keep their advice here. Thread-safe (holds no state of its own).
 */
final class SalesforceReplies implements BayeuxServer.Extension {
    /** Why a handshake was denied, kept on the reply until it is rewritten. */
    private static final String FAILURE_REASON = "sfstream.failureReason";
    /**
     * The advice a refusal must carry, kept on the reply until {@link #sendMeta} so that CometD's own advice (added
     * later to a first {@code /meta/connect} reply, with {@code timeout}) cannot replace Salesforce's.
     */
    private static final String REFUSAL_ADVICE = "sfstream.refusalAdvice";

    private final EmulatedOrg org;
    private final ClientSessions sessions;
    private final SubscribeRules subscriptions;

    SalesforceReplies(EmulatedOrg org, ClientSessions sessions, SubscribeRules subscriptions) {
        this.org = org;
        this.sessions = sessions;
        this.subscriptions = subscriptions;
    }

    /**
     * Refuses an incoming message: its reply fails with {@code error} and, when given, {@code advice}.
     *
     * @return {@code false}, for the caller to return from {@code rcvMeta}
     */
    static boolean refuse(ServerMessage.Mutable message, String error, Map<String, Object> advice) {
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

    /** Marks a handshake reply as denied for {@code failure}, with advice not to reconnect. */
    static void denyHandshake(ServerMessage.Mutable reply, String failure) {
        reply.put(FAILURE_REASON, failure);
        reply.getAdvice(true).put(Message.RECONNECT_FIELD, Message.RECONNECT_NONE_VALUE);
    }

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
            case Channel.META_SUBSCRIBE -> subscriptions.subscribeReplied(to, request, reply);
            case Channel.META_UNSUBSCRIBE -> SubscribeRules.restoreSubscription(request, reply);
            default -> {
                // nothing to change
            }
        }
        return true;
    }

    private static void handshakeReply(ServerSession to, ServerMessage.Mutable reply) {
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
        if (to != null && Boolean.TRUE.equals(to.getAttribute(ClientSessions.DROPPED))) {
            unknownClient(reply);
            return;
        }
        if (to != null && reply.isSuccessful()
                && org.tokens().validate((String) to.getAttribute(ClientSessions.TOKEN)).isEmpty()) {
            reply.setSuccessful(false);
            reply.put(Message.ERROR_FIELD, StreamingErrors.AUTHENTICATION_INVALID);
            reply.put(Message.ADVICE_FIELD, StreamingErrors.adviceNone());
            sessions.server().removeSession(to);
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
}
