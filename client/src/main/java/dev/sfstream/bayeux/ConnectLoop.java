package dev.sfstream.bayeux;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.ConnectionState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /meta/connect} loop of a {@link BayeuxSession}: the long poll that brings events, the advice it
 * answers with, and what each refusal leads to. Confined to the session's lane, as the rest of its state.
 *
 * <p>Pipelining: in the steady state (connected, the server advising {@code retry} with no interval, the consumer
 * having room), the next {@code /meta/connect} goes out as soon as the answer to the last one is in, before that
 * answer is parsed and its events handed over. The server then gathers the next batch while this one is parsed:
 * catching up on a backlog takes the longer of the two instead of their sum, and live events published meanwhile
 * find a connect waiting. At most one connect is held by the server at a time, as Bayeux requires: the next goes
 * out only once the last is answered. Answers are parsed on the lane, one after the other, so events stay in
 * order. Whatever the parsed answer turns out to be, the connect already sent stays the one in flight: its answer
 * may hold events the server will not send again, so it is abandoned only by a new handshake, which resubscribes
 * from the last event handed over.
 */
final class ConnectLoop {
    /** Responses with at most this many messages are handed over before the next long poll goes out. */
    private static final int LIVE_BATCH = 16;
    /** How much longer than the advised long-poll timeout a connect may take before it counts as lost. */
    private static final Duration CONNECT_MARGIN = Duration.ofSeconds(15);
    private static final Logger LOG = LoggerFactory.getLogger(ConnectLoop.class);

    private final BayeuxSession session;
    private volatile long connects;
    private boolean connectInFlight;
    private boolean firstConnect;
    private boolean paused;
    private CompletableFuture<LongPollingTransport.Response> inFlightConnect;
    /** The connect sent ahead while the answer to {@link #inFlightConnect} is parsed; see the class comment. */
    private CompletableFuture<LongPollingTransport.Response> nextConnect;

    ConnectLoop(BayeuxSession session) {
        this.session = session;
    }

    /** Successful connects so far. */
    long connects() {
        return connects;
    }

    /** After a handshake: the first connect (answered at once, {@code timeout: 0}) and the loop. */
    void start() {
        firstConnect = true;
        connect();
    }

    /** Sends the next connect if the loop was paused for back-pressure. */
    void resume() {
        if (paused) {
            connect();
        }
    }

    /** Aborts the connects in flight (a new handshake or the end of the session). */
    void cancel() {
        if (inFlightConnect != null) {
            inFlightConnect.cancel(true);
            inFlightConnect = null;
        }
        if (nextConnect != null) {
            nextConnect.cancel(true);
            nextConnect = null;
        }
        connectInFlight = false;
    }

    void connect() {
        if (session.clientId == null || session.isClosed() || connectInFlight) {
            return;
        }
        if (!session.listener.hasRoom()) {
            paused = true;
            return;
        }
        paused = false;
        connectInFlight = true;
        inFlightConnect = send();
    }

    /** Sends a {@code /meta/connect} whose answer is parsed and handled on the lane. */
    private CompletableFuture<LongPollingTransport.Response> send() {
        ObjectNode m = session.message(MetaChannel.CONNECT);
        m.put("clientId", session.clientId);
        m.put("connectionType", "long-polling");
        if (firstConnect) {
            m.putObject("advice").put("timeout", 0);
            firstConnect = false;
        }
        int gen = session.generation;
        // A connect is held for the advised timeout; a margin on top tells a lost response from a held one.
        CompletableFuture<LongPollingTransport.Response> request = session.post(m,
                session.advice.timeout().plus(CONNECT_MARGIN), session.lane,
                () -> session.lane.execute(() -> sendNext(gen)));
        request.whenComplete((response, err) -> session.lane.executeHere(
                () -> onConnect(gen, response == null ? null : response.messages(), err)));
        return request;
    }

    /** The answer to the connect in flight is in, not yet parsed: in the steady state, the next one goes out now. */
    private void sendNext(int gen) {
        Advice advice = session.advice;
        if (gen != session.generation || session.state() != ConnectionState.CONNECTED || !connectInFlight
                || nextConnect != null || session.clientId == null || advice.reconnect() != Advice.Reconnect.RETRY
                || !advice.interval().isZero() || !session.listener.hasRoom()) {
            return;
        }
        nextConnect = send();
    }

    private void onConnect(int gen, List<Message> msgs, Throwable err) {
        if (session.isClosed()) {
            return;
        }
        if (gen != session.generation) {
            if (msgs != null) {
                session.deliverEvents(msgs); // events of an older session are still events; duplicates are dropped
            }
            return;
        }
        connectInFlight = false;
        inFlightConnect = null;
        if (nextConnect != null) {
            // Sent ahead while this answer was parsed: it is the connect in flight now, whatever this answer says.
            connectInFlight = true;
            inFlightConnect = nextConnect;
            nextConnect = null;
        }
        if (err != null) {
            // The server may have taken events off the session's queue for the response we never got: Bayeux has
            // no acknowledgement, so the only safe recovery is a new session that resubscribes from the last event
            // handed out (duplicates are dropped on the way in).
            session.transportFailed("connect", err,
                    () -> session.handshake("resynchronizing after a lost connect response"));
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
            session.deliverEvents(msgs);
            LOG.info("sfstream: the server disconnected the session; handshaking again");
            session.handshake("the server disconnected the session");
            return;
        }
        if (reply == null) {
            session.deliverEvents(msgs);
            session.transportFailed("connect", new TransportFailure(200, "the connect response had no "
                    + "/meta/connect reply", null), this::connect);
            return;
        }
        if (msgs.size() <= LIVE_BATCH) {
            // Live traffic: the consumer is waiting for these few events, hand them over first.
            session.deliverEvents(msgs);
            reply(reply);
        } else {
            // A backlog: the next long poll goes out first, so the server fills it while this one is consumed.
            reply(reply);
            session.deliverEvents(msgs);
        }
    }

    private void reply(Message reply) {
        Advice advice = Advice.read(reply.advice(), session.advice);
        session.advice = advice;
        if (reply.successful()) {
            connects++;
            session.healing.succeeded();
            session.connectBackoff.reset();
            session.setState(ConnectionState.CONNECTED, "connected");
            if (advice.reconnect() == Advice.Reconnect.HANDSHAKE) {
                session.handshake("the server advised a handshake");
            } else if (advice.interval().isZero()) {
                connect();
            } else {
                session.schedule(advice.interval(), this::connect);
            }
            return;
        }
        BayeuxError error = reply.error().orElse(BayeuxError.parse(null));
        BayeuxError reason = reply.failureReason().orElse(error);
        String described = "connect refused: " + reply.describeFailure();
        session.healing.failed(described);
        if (reason.isServerBusy() || error.isServerBusy()) {
            Runnable next = advice.reconnect() == Advice.Reconnect.RETRY ? this::connect
                    : () -> session.handshake("retrying after a busy server");
            session.retryLater(session.connectBackoff, next);
        } else if (error.isAuthentication() || reason.isAuthentication()) {
            session.reauthenticate(described);
        } else if (error.isUnknownClient() || advice.reconnect() == Advice.Reconnect.HANDSHAKE
                || error.text().contains("BAYEUX_BROWSER")) {
            session.handshake(error.isUnknownClient() ? "the server no longer knows this client (" + error.raw()
                    + ")" : described);
        } else if (advice.reconnect() == Advice.Reconnect.NONE) {
            LOG.warn("sfstream: {}; handshaking again after a pause", described);
            session.retryLater(session.handshakeBackoff, () -> session.handshake(described));
        } else {
            session.retryLater(session.connectBackoff, this::connect);
        }
    }
}
