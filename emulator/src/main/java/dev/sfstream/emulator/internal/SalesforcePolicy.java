package dev.sfstream.emulator.internal;

import java.time.Instant;
import java.util.Optional;
import org.cometd.bayeux.Promise;
import org.cometd.bayeux.server.BayeuxContext;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.SecurityPolicy;
import org.cometd.bayeux.server.ServerChannel;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;

/**
 * Who may do what on the Streaming API, as Salesforce decides it: a handshake needs a valid OAuth token in the
 * {@code Authorization} header, a server that is not busy, and room under the org's concurrent-client limit; a
 * client may not create meta channels or publish (Salesforce takes events over REST, never over CometD). Also the
 * two checks every message goes through, the token header and the API version in the URL, and the busy spell the
 * fault starts. Thread-safe.
 */
final class SalesforcePolicy implements SecurityPolicy {
    private final EmulatedOrg org;
    private final ClientSessions sessions;
    private volatile Instant busyUntil = Instant.EPOCH;

    SalesforcePolicy(EmulatedOrg org, ClientSessions sessions) {
        this.org = org;
        this.sessions = sessions;
    }

    /** Answers handshake, connect and subscribe with the busy error until then (on the wall clock). */
    void busyUntil(Instant until) {
        busyUntil = until;
    }

    boolean busy() {
        return Instant.now().isBefore(busyUntil);
    }

    @Override
    public void canHandshake(BayeuxServer server, ServerSession session, ServerMessage message,
            Promise<Boolean> promise) {
        String failure = handshakeFailure(session, message);
        if (failure != null) {
            SalesforceReplies.denyHandshake(message.getAssociated(), failure);
        }
        promise.succeed(failure == null);
    }

    private String handshakeFailure(ServerSession session, ServerMessage message) {
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
        if (sessions.clientCount() >= org.settings().concurrentClientLimit()) {
            return StreamingErrors.CONCURRENT_LIMIT;
        }
        session.setAttribute(ClientSessions.TOKEN, token);
        session.setAttribute(ClientSessions.USER_ID, grant.get().userId());
        return null;
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

    /**
     * The token of an {@code Authorization} header: {@code Bearer <token>} as Salesforce documents it,
     * {@code OAuth <token>} as jsforce and Camel send it, or a bare token as EMP-Connector sends it. Another scheme
     * counts as no token.
     */
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

    /**
     * Checks {@code /cometd/<version>} (trailing segments such as {@code /connect} allowed): Salesforce serves the
     * Streaming API with replay from 37.0 on and refuses a URL without a version.
     *
     * @return the error text, or {@code null} when the version is fine
     */
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
