package dev.sfstream.emulator.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.ServerSessionImpl;

/**
 * The org's CometD client sessions: how many there are (the concurrent-client limit counts them), whose
 * {@code /meta/connect} the server holds, how many connects arrived, and the faults that end sessions from the
 * server's side. What a session carries from its handshake is kept in its attributes, named here. Thread-safe.
 */
final class ClientSessions implements BayeuxServer.SessionListener {
    /** The access token a session handshook with; a connect is refused once it is revoked or expired. */
    static final String TOKEN = "sfstream.token";
    /** The ID of the user whose token the session handshook with. */
    static final String USER_ID = "sfstream.userId";
    /** Set on a session dropped by the fault, so that its held connect is answered {@code 403::Unknown client}. */
    static final String DROPPED = "sfstream.dropped";

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

    ClientSessions(StreamingHub hub) {
        this.hub = hub;
    }

    void attach(BayeuxServer bayeux) {
        this.bayeux = bayeux;
        hub.attach(bayeux);
    }

    BayeuxServer server() {
        return bayeux;
    }

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

    /** Counts a {@code /meta/connect} as it arrives, before any check. */
    void connectReceived() {
        connectsReceived.increment();
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
}
