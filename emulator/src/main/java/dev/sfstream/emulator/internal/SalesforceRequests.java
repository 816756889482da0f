package dev.sfstream.emulator.internal;

import java.util.Map;
import java.util.Optional;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.server.BayeuxContext;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.ServerSessionImpl;

/**
 * The incoming side of the meta channels: every message is checked as Salesforce checks it before CometD handles
 * it, in this order: the API version in the URL, the token (present, still valid, of the session's own user), the
 * browser cookie of a known client, the busy spell; then a connect's type and the daily delivery allocation, and a
 * subscribe's or unsubscribe's {@link SubscribeRules}. A refused message is answered at once
 * ({@link SalesforceReplies#refuse}). Handshakes are checked by {@link SalesforcePolicy}. Thread-safe (holds no
 * state of its own).
 */
final class SalesforceRequests implements BayeuxServer.Extension {
    private final EmulatedOrg org;
    private final SalesforcePolicy policy;
    private final ClientSessions sessions;
    private final SubscribeRules subscriptions;

    SalesforceRequests(EmulatedOrg org, SalesforcePolicy policy, ClientSessions sessions,
            SubscribeRules subscriptions) {
        this.org = org;
        this.policy = policy;
        this.sessions = sessions;
        this.subscriptions = subscriptions;
    }

    @Override
    public boolean rcvMeta(ServerSession from, ServerMessage.Mutable message) {
        BayeuxContext context = message.getBayeuxContext();
        String channel = message.getChannel();
        if (Channel.META_CONNECT.equals(channel)) {
            sessions.connectReceived();
        }
        String versionError = SalesforcePolicy.apiVersionError(context);
        if (versionError != null) {
            return SalesforceReplies.refuse(message, versionError, null);
        }
        if (Channel.META_HANDSHAKE.equals(channel)) {
            return true; // checked by SalesforcePolicy.canHandshake
        }
        String token = SalesforcePolicy.bearer(context);
        if (token == null) {
            return SalesforceReplies.refuse(message, StreamingErrors.REQUIRES_AUTHENTICATION,
                    StreamingErrors.adviceNone());
        }
        if (from == null) {
            String clientId = message.getClientId();
            if (clientId != null && sessions.server().getSession(clientId) != null && context != null
                    && context.getCookie("BAYEUX_BROWSER") == null) {
                return SalesforceReplies.refuse(message, StreamingErrors.noCookie(clientId),
                        StreamingErrors.adviceHandshake());
            }
            return true; // CometD answers 402::session_unknown, which SalesforceReplies turns into 403::Unknown client
        }
        Optional<TokenStore.Grant> grant = org.tokens().validate(token);
        if (grant.isEmpty()) {
            sessions.server().removeSession(from);
            return SalesforceReplies.refuse(message, StreamingErrors.AUTHENTICATION_INVALID,
                    StreamingErrors.adviceNone());
        }
        if (!grant.get().userId().equals(from.getAttribute(ClientSessions.USER_ID))) {
            return SalesforceReplies.refuse(message, StreamingErrors.USER_MISMATCH, StreamingErrors.adviceNone());
        }
        if (!Channel.META_DISCONNECT.equals(channel) && policy.busy()) {
            ServerMessage.Mutable reply = message.getAssociated();
            reply.getExt(true).put("sfdc", Map.of("failureReason", StreamingErrors.BUSY));
            return SalesforceReplies.refuse(message, StreamingErrors.BUSY, StreamingErrors.adviceRetryLater());
        }
        return switch (channel) {
            case Channel.META_CONNECT -> connect(from, message);
            case Channel.META_SUBSCRIBE -> subscriptions.subscribe(from, message);
            case Channel.META_UNSUBSCRIBE -> subscriptions.unsubscribe(from, message);
            case Channel.META_DISCONNECT -> {
                org.hub().removeSession(from);
                yield true;
            }
            default -> true;
        };
    }

    private boolean connect(ServerSession session, ServerMessage.Mutable message) {
        Object type = message.get(Message.CONNECTION_TYPE_FIELD);
        if (type != null && !"long-polling".equals(type)) {
            return SalesforceReplies.refuse(message, StreamingErrors.invalidConnectionType(type),
                    StreamingErrors.adviceNone());
        }
        // Hand over what waits for this client now, so that the connect answers at once instead of being held.
        StreamingHub hub = org.hub();
        hub.pumpSession(session);
        if (hub.allocation().exhausted() && session instanceof ServerSessionImpl impl && !impl.hasNonLazyMessages()) {
            // Events already handed out within the allocation still go with this connect; then it is refused.
            return SalesforceReplies.refuse(message, StreamingErrors.DAILY_LIMIT, StreamingErrors.adviceNone());
        }
        return true;
    }
}
