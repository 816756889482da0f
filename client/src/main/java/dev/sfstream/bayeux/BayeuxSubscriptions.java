package dev.sfstream.bayeux;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.ChannelName;
import dev.sfstream.StreamingException;
import dev.sfstream.SubscriptionException;
import dev.sfstream.replay.ReplayFrom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriptions of one {@link BayeuxSession}, kept across handshakes: subscribe with the replay map in
 * {@code ext}, the replies (confirmed, refused replay ID, busy, unknown client, refused), unsubscribe, and failing
 * what is pending when the session ends. Confined to the session's lane, except the public entry points, which hop
 * onto it.
 */
final class BayeuxSubscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(BayeuxSubscriptions.class);

    private final BayeuxSession session;
    private final Map<String, Sub> subs = new LinkedHashMap<>();

    /** One subscription the session keeps alive across handshakes. */
    private static final class Sub {
        final ChannelName channel;
        final CompletableFuture<Void> confirmed = new CompletableFuture<>();
        ReplayFrom sent;

        Sub(ChannelName channel) {
            this.channel = channel;
        }
    }

    BayeuxSubscriptions(BayeuxSession session) {
        this.session = session;
    }

    List<String> channels() {
        return new ArrayList<>(subs.keySet());
    }

    /** Subscribes (idempotently); the future completes when Salesforce confirmed it, or fails with the reason. */
    CompletableFuture<Void> subscribe(ChannelName channel) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        session.lane.execute(() -> {
            if (session.isClosed()) {
                result.completeExceptionally(new SubscriptionException(channel.value(), "cannot subscribe to "
                        + channel + ": the client is closed", null));
                return;
            }
            Sub sub = subs.get(channel.value());
            if (sub == null) {
                sub = new Sub(channel);
                subs.put(channel.value(), sub);
                if (session.clientId != null) {
                    send(sub);
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
    CompletableFuture<Void> unsubscribe(String channel) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        session.lane.execute(() -> {
            Sub sub = subs.remove(channel);
            if (sub == null || session.clientId == null) {
                result.complete(null);
                return;
            }
            sendUnsubscribe(channel).whenComplete((v, e) -> result.complete(null));
        });
        return result;
    }

    /** After a handshake: every subscription goes out again, from where the listener says. */
    void sendAll() {
        for (Sub sub : new ArrayList<>(subs.values())) {
            send(sub);
        }
    }

    private CompletableFuture<Void> sendUnsubscribe(String channel) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ObjectNode m = session.message(MetaChannel.UNSUBSCRIBE);
        m.put("clientId", session.clientId);
        m.put("subscription", channel);
        session.post(m, session.requestTimeout()).whenComplete((response, err) -> session.lane.execute(() -> {
            if (response != null) {
                session.deliverEvents(response.messages());
            }
            if (err != null) {
                LOG.warn("sfstream: unsubscribe from {} got no answer: {}", channel, err.getMessage());
            }
            done.complete(null);
        }));
        return done;
    }

    private void send(Sub sub) {
        ReplayFrom start;
        try {
            start = session.listener.replayStart(sub.channel);
        } catch (StreamingException e) {
            lose(sub, e);
            return;
        } catch (RuntimeException e) {
            // Never out of the lane: a subscription the server does not have must not look subscribed.
            lose(sub, new SubscriptionException(sub.channel.value(), "cannot subscribe to " + sub.channel
                    + ": deciding where it starts failed: " + e, e));
            return;
        }
        sub.sent = start;
        int gen = session.generation;
        ObjectNode m = session.message(MetaChannel.SUBSCRIBE);
        m.put("clientId", session.clientId);
        m.put("subscription", sub.channel.value());
        if (session.replaySupported) {
            m.putObject("ext").putObject("replay").put(sub.channel.base(), start.value());
        }
        session.post(m, session.requestTimeout()).whenComplete((response, err) -> session.lane.executeHere(
                () -> onReply(sub, gen, response, err)));
    }

    private void onReply(Sub sub, int gen, LongPollingTransport.Response response, Throwable err) {
        List<Message> msgs = response == null ? null : response.messages();
        if (msgs != null) {
            session.deliverEvents(msgs);
        }
        if (session.isClosed() || gen != session.generation) {
            return; // a newer handshake sends it again
        }
        if (subs.get(sub.channel.value()) != sub) {
            // Given up (unsubscribed) while the request was out: the server must not keep a subscription nobody has.
            Message late = err == null ? BayeuxSession.find(msgs, MetaChannel.SUBSCRIBE) : null;
            if (late != null && late.successful() && !subs.containsKey(sub.channel.value())) {
                sendUnsubscribe(sub.channel.value());
            }
            return;
        }
        if (err != null) {
            session.transportFailed("subscribe to " + sub.channel, err, () -> resend(sub));
            return;
        }
        Message reply = BayeuxSession.find(msgs, MetaChannel.SUBSCRIBE);
        if (reply == null) {
            lose(sub, new SubscriptionException(sub.channel.value(), "no /meta/subscribe reply for " + sub.channel,
                    null));
            return;
        }
        if (reply.successful()) {
            session.listener.onSubscribed(sub.channel, sub.sent, response.serverTime());
            sub.confirmed.complete(null);
            return;
        }
        BayeuxError error = reply.error().orElse(BayeuxError.parse(null));
        BayeuxError reason = reply.failureReason().orElse(error);
        if (error.refusedReplayId().isPresent() && sub.sent.value() > 0) {
            try {
                session.listener.onReplayRefused(sub.channel, sub.sent);
                send(sub);
            } catch (StreamingException e) {
                lose(sub, e);
            }
        } else if (reason.isServerBusy() || error.isServerBusy()) {
            session.healing.failed("subscribe to " + sub.channel + " refused: " + reply.describeFailure());
            session.retryLater(session.connectBackoff, () -> resend(sub));
        } else if (error.isAuthentication()) {
            session.reauthenticate("subscribe refused: " + reply.describeFailure());
        } else if (error.isUnknownClient() || Advice.read(reply.advice(), session.advice).reconnect()
                == Advice.Reconnect.HANDSHAKE) {
            session.handshake("subscribe answered " + error.raw());
        } else {
            lose(sub, new SubscriptionException(sub.channel.value(), "Salesforce refused the subscription to "
                    + sub.channel + ": " + reply.describeFailure(), null));
        }
    }

    private void resend(Sub sub) {
        if (subs.get(sub.channel.value()) == sub && session.clientId != null) {
            send(sub);
        }
    }

    private void lose(Sub sub, StreamingException error) {
        subs.remove(sub.channel.value());
        if (!sub.confirmed.isDone()) {
            sub.confirmed.completeExceptionally(error);
        } else {
            session.listener.onSubscriptionLost(sub.channel, error);
        }
    }

    /**
     * The session ended: every subscription not yet confirmed fails, with {@code error} or, when it is null (closed
     * by the application), with a {@link SubscriptionException} naming its channel.
     */
    void failPending(StreamingException error) {
        for (Sub sub : subs.values()) {
            if (!sub.confirmed.isDone()) {
                sub.confirmed.completeExceptionally(error != null ? error : new SubscriptionException(
                        sub.channel.value(), "the client was closed before Salesforce confirmed the subscription to "
                        + sub.channel, null));
            }
        }
    }
}
