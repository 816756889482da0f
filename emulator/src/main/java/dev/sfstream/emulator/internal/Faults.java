package dev.sfstream.emulator.internal;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fault and admin operations, shared by the HTTP endpoints and the Java API. Thread-safe. */
public final class Faults {
    private final EmulatedOrg org;
    private final ClientSessions sessions;
    private final SalesforcePolicy policy;
    private final PubSubServer pubSub;

    Faults(EmulatedOrg org, ClientSessions sessions, SalesforcePolicy policy, PubSubServer pubSub) {
        this.org = org;
        this.sessions = sessions;
        this.policy = policy;
        this.pubSub = pubSub;
    }

    /**
     * Revokes every access token; held connects are answered {@code 401::Authentication invalid} at once, and open
     * Pub/Sub streams end with the auth error.
     */
    public void revokeTokens() {
        org.tokens().revokeAllAccessTokens();
        sessions.wakeAll();
        pubSub.tokensRevoked();
    }

    /**
     * Drops every client session; a held {@code /meta/connect} and each client's next request get
     * {@code 403::Unknown client}.
     */
    public int dropSessions() {
        return sessions.dropSessions();
    }

    /** Sends every client a server-initiated {@code /meta/disconnect}; each must handshake again. */
    public int disconnectSessions() {
        return sessions.disconnectSessions();
    }

    /**
     * Answers handshake, connect and subscribe with the 503 busy reason for a while; ends the open Pub/Sub streams and
     * refuses new calls with the service-unavailable error for as long.
     */
    public void busy(Duration duration) {
        policy.busyUntil(Instant.now().plus(duration));
        pubSub.busy(duration);
    }

    /** Ends every open Pub/Sub stream as a network reset would. */
    public int resetPubSubStreams() {
        return pubSub.resetStreams();
    }

    /** Open Pub/Sub streams send nothing, keepalives included, for a while. */
    public void stallPubSub(Duration duration) {
        pubSub.stall(duration);
    }

    /** New Pub/Sub calls get RESOURCE_EXHAUSTED for a while. */
    public void exhaustPubSub(Duration duration) {
        pubSub.exhaust(duration);
    }

    /** Moves the org's clock forward: retention windows and token lifetimes follow. */
    public void advanceClock(Duration by) {
        org.clock().advance(by);
        sessions.wakeAll();
    }

    /** Restores a deleted record from the recycle bin. */
    public String undelete(String id) {
        return org.undelete(id, org.adminUserId()).id();
    }

    /** Issues a refresh token for a user and connected app, as a web-server OAuth flow would. */
    public String issueRefreshToken(String username, String clientId) {
        String userId = org.userId(username)
                .orElseThrow(() -> new IllegalArgumentException("no such user: " + username));
        if (org.app(clientId).isEmpty()) {
            throw new IllegalArgumentException("no such connected app: " + clientId);
        }
        return org.tokens().issue(userId, username, clientId, true).grant().refreshToken();
    }

    /**
     * Issues an access token, as a completed OAuth flow would: for the web console, which calls the REST API with it,
     * and for {@code curl}. Without a username, for the org's first user; without a client ID, through the first
     * connected app.
     *
     * @return {@code access_token}, {@code token_type}, {@code username} and {@code client_id}
     */
    public Map<String, Object> issueAccessToken(String username, String clientId) {
        String name = username == null || username.isBlank() ? org.settings().users().get(0).username() : username;
        String app = clientId == null || clientId.isBlank() ? org.settings().apps().get(0).clientId() : clientId;
        String userId = org.userId(name).orElseThrow(() -> new IllegalArgumentException("no such user: " + name));
        if (org.app(app).isEmpty()) {
            throw new IllegalArgumentException("no such connected app: " + app);
        }
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("access_token", org.tokens().issue(userId, name, app, false).accessToken());
        token.put("token_type", "Bearer");
        token.put("username", name);
        token.put("client_id", app);
        return token;
    }

    /** Clients, subscriptions, channels with their last replay ID, and the retained events' bytes. */
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("clients", sessions.clientCount());
        status.put("heldConnects", sessions.heldConnectCount());
        status.put("connectsReceived", sessions.connectsReceived());
        status.put("subscriptions", org.hub().subscriptions());
        status.put("channels", org.hub().status());
        status.put("retention", org.hub().retention());
        status.put("deliveries", org.hub().deliveries());
        status.put("pubSubEndpoint", pubSub.endpoint());
        status.put("pubSubTls", !pubSub.plaintext());
        status.put("pubSubStreams", pubSub.streams());
        status.put("time", org.clock().instant().toString());
        Runtime runtime = Runtime.getRuntime();
        Map<String, Object> jvm = new LinkedHashMap<>();
        jvm.put("heapUsedBytes", runtime.totalMemory() - runtime.freeMemory());
        jvm.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
        status.put("jvm", jvm);
        return status;
    }
}
