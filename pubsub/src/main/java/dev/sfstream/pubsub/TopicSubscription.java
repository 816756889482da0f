package dev.sfstream.pubsub;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.TopicInfo;
import com.salesforce.eventbus.protobuf.TopicRequest;
import dev.sfstream.ChannelName;
import dev.sfstream.pubsub.StreamCalls.Batch;
import dev.sfstream.StreamingEvent;
import dev.sfstream.StreamingException;
import dev.sfstream.SubscriptionException;
import dev.sfstream.TransportException;
import dev.sfstream.auth.AccessToken;
import dev.sfstream.internal.Backoff;
import dev.sfstream.internal.Healing;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayPosition;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel of a {@link PubSubSession}, kept alive across the calls that serve it: a {@code GetTopic} check first,
 * then one {@code Subscribe} stream (or {@code ManagedSubscribe} for a managed subscription) after another.
 *
 * <ul>
 *   <li>Every end of a stream, an error, a reset or a normal completion by the server, is followed by a new stream
 *       that starts after the last event this process handed out or committed (the client's answer to
 *       {@code replayStart}), or after the latest replay ID the server reported if that is later: never from the
 *       tip of the stream unless the application asked for new events only and none came yet.</li>
 *   <li>Flow control ({@link FlowControl}): at most {@code credit} events requested ahead of the consumer, topped
 *       up while it has room. A stream the server closed while the consumer had no room opens again once it
 *       has.</li>
 *   <li>Events are decoded with the schema their own schema ID names, fetched once; a response waits, in order, for
 *       the schemas its events need.</li>
 *   <li>A stream silent for longer than the keepalive interval plus the margin while events are pending (the
 *       server sends keepalives then) is cancelled and resumed.</li>
 *   <li>The subscription is confirmed at the stream's first response, or, when nothing is due (new events only, and
 *       the keepalive comes after up to 270 seconds), once it has been open for {@link #CONFIRM_AFTER} without being
 *       refused: Salesforce refuses a replay ID or a topic at once.</li>
 * </ul>
 * Confined to the session's lane; {@link #commit} may be called from any thread.
 */
final class TopicSubscription implements StreamCalls.Receiver, SchemaWait.Target {
    private static final Logger LOG = LoggerFactory.getLogger(TopicSubscription.class);
    /** How long an unanswered new stream must stay unrefused to count as subscribed. */
    static final Duration CONFIRM_AFTER = Duration.ofSeconds(1);

    private final PubSubSession session;
    private final ChannelName channel;
    private final ManagedSubscription managed;
    private final CompletableFuture<Void> confirmed = new CompletableFuture<>();
    private final Healing healing;
    private final Backoff backoff;
    private final SchemaWait waiting;
    private final ManagedCommits commits;
    private final FlowControl flow;

    // Everything below is confined to the lane.
    private boolean topicChecked;
    private boolean stopped;
    private boolean parked;
    private boolean everOpened;
    private boolean streamConfirmed;
    private boolean accepted;
    private String recovering;
    private int generation;
    private StreamCalls.Call call;
    private ReplayFrom sent = ReplayFrom.NEW_EVENTS;
    private Instant sentAt;
    private ByteString lastSeen;
    private AccessToken tokenUsed;

    TopicSubscription(PubSubSession session, ChannelName channel, ManagedSubscription managed) {
        this.session = session;
        this.channel = channel;
        this.managed = managed;
        this.healing = new Healing(session.context.connectionTimeout());
        this.backoff = new Backoff(session.context.backoffInitial(), session.context.backoffMax());
        this.commits = managed == null ? null : new ManagedCommits(managed, channel);
        this.waiting = new SchemaWait(session, this);
        this.flow = new FlowControl(session.transport.credit());
    }

    ChannelName channel() {
        return channel;
    }

    CompletableFuture<Void> confirmed() {
        return confirmed;
    }

    /** Why the subscription is recovering, or null when its stream is fine. */
    String recovering() {
        return recovering;
    }

    // ---------------------------------------------------------------- starting a stream

    /** Checks the topic once, then opens a stream; also the retry after any end. */
    void start() {
        if (stopped || !session.isOpen()) {
            return;
        }
        try {
            if (!topicChecked) {
                checkTopic();
            } else {
                open();
            }
        } catch (RuntimeException e) {
            // Never out of the lane unanswered: a subscription that cannot start says why.
            lose(e instanceof StreamingException se ? se : new SubscriptionException(channel.value(), "cannot "
                    + "subscribe to " + channel + ": " + e, e));
        }
    }

    private void checkTopic() {
        AccessToken used = session.tokens.current();
        int gen = ++generation;
        Unary<TopicInfo> answer = Unary.of("GetTopic");
        session.unary(used).getTopic(TopicRequest.newBuilder().setTopicName(channel.value()).build(), answer);
        answer.answer().whenComplete((info, error) -> session.lane.executeHere(
                () -> topicChecked(gen, used, info, error)));
    }

    private void topicChecked(int gen, AccessToken used, TopicInfo info, Throwable error) {
        if (gen != generation || stopped) {
            return;
        }
        tokenUsed = used;
        if (error != null) {
            failed(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            return;
        }
        session.tokens.worked(used);
        if (!info.getCanSubscribe()) {
            lose(new SubscriptionException(channel.value(), "the user may not subscribe to " + channel + " (the "
                    + "Pub/Sub API's GetTopic says can_subscribe = false)", null));
            return;
        }
        topicChecked = true;
        if (!info.getSchemaId().isEmpty()) {
            session.schema(info.getSchemaId()); // fetched before the first event needs it; a failure shows there
        }
        open();
    }

    private void open() {
        if (everOpened && !session.listener.hasRoom()) {
            parked = true; // resume() opens it once the consumer has room
            return;
        }
        ReplayFrom start = ReplayFrom.NEW_EVENTS;
        if (managed == null) {
            try {
                start = session.listener.replayStart(channel);
            } catch (RuntimeException e) {
                lose(e instanceof StreamingException se ? se : new SubscriptionException(channel.value(), "cannot "
                        + "subscribe to " + channel + ": deciding where it starts failed: " + e, e));
                return;
            }
            if (everOpened) {
                start = afterLastSeen(start);
            }
        }
        int gen = ++generation;
        int credit = flow.window();
        tokenUsed = session.tokens.current();
        flow.opened(System.nanoTime());
        sent = start;
        sentAt = Instant.now();
        everOpened = true;
        streamConfirmed = false;
        parked = false;
        call = managed == null
                ? StreamCalls.subscribe(session.stub(tokenUsed), channel, start, credit, gen, this, session.lane)
                : StreamCalls.managedSubscribe(session.stub(tokenUsed), managed, credit, gen, this, session.lane);
        accepted = false;
        session.schedule(CONFIRM_AFTER, () -> {
            if (gen == generation && call != null) {
                confirm();
            }
        });
    }

    /** A start no earlier than the latest replay ID the server reported on this channel's last stream. */
    private ReplayFrom afterLastSeen(ReplayFrom start) {
        if (lastSeen == null || lastSeen.isEmpty()) {
            return start;
        }
        ReplayPosition seen = ReplayPosition.ofBytes(lastSeen.toByteArray());
        if (seen.replayId() == 0) {
            // The topic had no event yet when the server reported it: everything retained is what came since.
            return start.equals(ReplayFrom.NEW_EVENTS) ? ReplayFrom.ALL_EVENTS : start;
        }
        Optional<ReplayPosition> p = start.position();
        return p.isPresent() && !seen.isAfter(p.get()) ? start : ReplayFrom.after(seen);
    }

    private void confirm() {
        if (streamConfirmed) {
            return;
        }
        streamConfirmed = true;
        session.listener.onSubscribed(channel, sent, managed == null ? sentAt : null);
        confirmed.complete(null);
    }

    // ---------------------------------------------------------------- responses

    @Override
    public void batch(int gen, Batch b) {
        if (gen != generation || stopped) {
            return;
        }
        flow.received(b.events().size(), System.nanoTime());
        session.tokens.worked(tokenUsed);
        healing.succeeded();
        backoff.reset();
        if (recovering != null) {
            recovering = null;
            session.updateState(null);
        }
        if (commits != null && !accepted) {
            // Salesforce took this stream (it refuses a second one of the same subscription at once): from now on
            // commits of the channel, this client's and any left waiting, go over it.
            accepted = true;
            session.transport.managedCommits.activate(channel.value(), this);
            sendCommit(commits.takeResend());
            sendCommit(session.transport.managedCommits.takeWaiting(channel.value()));
        }
        if (b.commit() != null && commits != null) {
            commits.answered(b.commit());
        }
        if (!b.events().isEmpty() || !b.latest().isEmpty()) {
            waiting.add(gen, b);
        }
        topUp(); // after the batch is queued: whether the consumer has room must count these events
    }

    @Override
    public boolean wants(int gen) {
        return gen == generation && !stopped;
    }

    @Override
    public void schemaFailed(int gen, String id, Throwable cause) {
        if (cause instanceof StatusRuntimeException) {
            abort("GetSchema " + id + " failed");
            failed(cause);
        } else {
            lose(new SubscriptionException(channel.value(), "cannot decode the events of " + channel + ": "
                    + cause.getMessage(), cause));
        }
    }

    @Override
    public void ready(Batch b) {
        confirm();
        if (!b.events().isEmpty()) {
            EventDecoder.Decoded d = EventDecoder.decodeAll(channel.value(), b.events(), session.transport.schemas);
            List<StreamingEvent> events = d.events();
            if (d.failure() != null) {
                if (!events.isEmpty()) {
                    session.listener.onEvents(events);
                }
                lose(new SubscriptionException(channel.value(), d.failure() + "; the subscription stops before it",
                        d.cause()));
                return;
            }
            session.fetched();
            session.listener.onEvents(events);
            if (commits != null) {
                commits.delivered(events.get(events.size() - 1).position().orElseThrow());
            }
        }
        if (!b.latest().isEmpty()) {
            lastSeen = b.latest();
            ReplayPosition latest = ReplayPosition.ofBytes(b.latest().toByteArray());
            if (commits != null && b.events().isEmpty() && commits.caughtUp() && latest.replayId() != 0) {
                // Everything handed out is committed: the keepalive's position moves the server's too, so that a
                // quiet subscription does not restart from a replay ID past the retention window.
                sendCommit(latest);
            }
        }
    }

    /** Requests more events when flow control says so. */
    private void topUp() {
        if (call == null || stopped) {
            return;
        }
        int n = flow.topUp(session.listener.hasRoom(), System.nanoTime());
        if (n > 0) {
            call.request(n);
        }
    }

    /** The consumer has room again. */
    void resume() {
        if (stopped) {
            return;
        }
        if (parked) {
            parked = false;
            start();
        } else {
            topUp();
        }
    }

    // ---------------------------------------------------------------- ends and faults

    @Override
    public void ended(int gen, Throwable error) {
        if (gen != generation || stopped) {
            return;
        }
        call = null;
        generation++;
        waiting.clear(); // not handed out: the next stream starts before them
        managedStreamEnded();
        if (error == null) {
            LOG.debug("sfstream: the server ended the stream of {}; resuming", channel);
            if (!session.listener.hasRoom()) {
                parked = true;
                return;
            }
            markRecovering("the server ended the stream of " + channel);
            session.schedule(backoff.next(), this::start);
            return;
        }
        failed(error);
    }

    /** A call of this subscription failed: heal, fall back, or give up, by what Salesforce said. */
    private void failed(Throwable error) {
        PubSubErrors.Failure f = PubSubErrors.classify(error);
        String what = channel + ": " + f.describe();
        switch (f.kind()) {
            case AUTH:
                markRecovering("the token was refused");
                session.tokens.refused(tokenUsed, what, this::start);
                break;
            case REPLAY_REFUSED:
                if (managed != null || sent.position().isEmpty()) {
                    lose(new SubscriptionException(channel.value(), "Salesforce refused the subscription to " + what,
                            error));
                    return;
                }
                try {
                    session.listener.onReplayRefused(channel, sent);
                } catch (StreamingException e) {
                    lose(e);
                    return;
                }
                lastSeen = null;
                open();
                break;
            case RETRY:
                if (f.isAlreadyActive()) {
                    LOG.info("sfstream: the managed subscription {} is still active elsewhere; retrying", managed);
                }
                retry(what);
                break;
            case TOO_LARGE:
                lose(new SubscriptionException(channel.value(), PubSubErrors.tooLarge(channel.value(), f,
                        session.transport.maxInboundMessageSize()), error));
                break;
            default:
                lose(new SubscriptionException(channel.value(), "Salesforce refused the subscription to " + what,
                        error));
        }
    }

    private void retry(String why) {
        healing.failed(why);
        Optional<Duration> delay = healing.retryAfter(backoff);
        if (delay.isEmpty()) {
            session.fatal(new TransportException(healing.gaveUp(), null));
            return;
        }
        LOG.debug("sfstream: {}; resuming in {} ms", why, delay.get().toMillis());
        markRecovering(why);
        session.schedule(delay.get(), this::start);
    }

    private void markRecovering(String why) {
        recovering = why;
        session.updateState(why);
    }

    /** Cancels a stream that was silent too long, and resumes it. */
    void checkLiveness(long now, long limitNanos) {
        if (call == null || stopped) {
            return;
        }
        long quiet = flow.silence(now);
        if (quiet > limitNanos) {
            String why = channel + ": nothing came for " + Duration.ofNanos(quiet).toMillis() + " ms, keepalives "
                    + "included";
            LOG.warn("sfstream: {}; resuming the stream", why);
            abort(why);
            retry(why);
        }
    }

    /** Cancels the current call; its late callbacks are ignored. */
    private void abort(String why) {
        StreamCalls.Call c = call;
        call = null;
        generation++;
        waiting.clear();
        if (c != null) {
            c.cancel(why);
            managedStreamEnded();
        }
    }

    /** Commits made until the next stream is accepted wait for it. */
    private void managedStreamEnded() {
        if (commits != null) {
            commits.streamEnded();
            session.transport.managedCommits.deactivate(channel.value(), this);
        }
    }

    /** The subscription fails for good: a pending subscribe fails with the error, a confirmed one is lost. */
    private void lose(StreamingException error) {
        if (stopped) {
            return;
        }
        stop(error.getMessage());
        session.removed(this);
        if (!confirmed.isDone()) {
            confirmed.completeExceptionally(error);
        } else {
            session.listener.onSubscriptionLost(channel, error);
        }
    }

    /** Stops for good (unsubscribe, close, loss). */
    void stop(String why) {
        stopped = true;
        recovering = null;
        abort(why);
    }

    /** The session ended: a subscription not yet confirmed fails, with {@code error} or as closed. */
    void failPending(StreamingException error) {
        if (!confirmed.isDone()) {
            confirmed.completeExceptionally(error != null ? error : new SubscriptionException(channel.value(),
                    "the client was closed before the subscription to " + channel + " was confirmed", null));
        }
    }

    // ---------------------------------------------------------------- managed commits

    /** Commits a position of a managed subscription to Salesforce (from any thread). */
    void commit(ReplayPosition position) {
        session.lane.execute(() -> {
            if (stopped || call == null) {
                session.transport.managedCommits.keep(channel.value(), position);
            } else {
                sendCommit(position);
            }
        });
    }

    private void sendCommit(ReplayPosition position) {
        if (call == null || position == null) {
            return;
        }
        String id = commits.send(position);
        if (id != null) {
            call.commit(ByteString.copyFrom(position.bytes()), id);
        }
    }

    /** Completes once every commit sent is acknowledged (at once when none is waiting). */
    CompletableFuture<Void> commitsAcknowledged() {
        return commits == null || call == null ? CompletableFuture.completedFuture(null) : commits.allAnswered();
    }
}
