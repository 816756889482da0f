package dev.sfstream.pubsub;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.CommitReplayRequest;
import com.salesforce.eventbus.protobuf.CommitReplayResponse;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.ManagedFetchRequest;
import com.salesforce.eventbus.protobuf.ManagedFetchResponse;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import com.salesforce.eventbus.protobuf.TopicInfo;
import com.salesforce.eventbus.protobuf.TopicRequest;
import dev.sfstream.ChannelName;
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
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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
 *   <li>Flow control: the stream has at most {@code credit} events (at most 100) requested and not received; more
 *       are requested when half of them arrived, and only while the consumer has room. So credit never runs out while
 *       the consumer takes events (Salesforce closes a stream left without credit for 60 seconds), and a consumer
 *       that falls behind holds the server back. A stream the server closed while the consumer had no room opens
 *       again once it has.</li>
 *   <li>Events are decoded with the schema their own schema ID names, fetched once; a response waits, in order, for
 *       the schemas its events need.</li>
 *   <li>A stream silent for longer than the keepalive interval plus the margin while credit is pending (the server
 *       sends keepalives then) is cancelled and resumed.</li>
 *   <li>The subscription is confirmed at the stream's first response, or, when nothing is due (new events only, and
 *       the keepalive comes after up to 270 seconds), once it has been open for {@link #CONFIRM_AFTER} without being
 *       refused: Salesforce refuses a replay ID or a topic at once.</li>
 * </ul>
 * Confined to the session's lane; {@link #commit} may be called from any thread.
 */
final class TopicSubscription {
    private static final Logger LOG = LoggerFactory.getLogger(TopicSubscription.class);
    /** How long an unanswered new stream must stay unrefused to count as subscribed. */
    static final Duration CONFIRM_AFTER = Duration.ofSeconds(1);

    private final PubSubSession session;
    private final ChannelName channel;
    private final ManagedSubscription managed;
    private final CompletableFuture<Void> confirmed = new CompletableFuture<>();
    private final Healing healing;
    private final Backoff backoff;
    private final ArrayDeque<Batch> waiting = new ArrayDeque<>();
    private final Set<String> unacknowledged = new LinkedHashSet<>();
    private CompletableFuture<Void> acknowledged = CompletableFuture.completedFuture(null);

    // Everything below is confined to the lane.
    private boolean topicChecked;
    private boolean stopped;
    private boolean parked;
    private boolean everOpened;
    private boolean streamConfirmed;
    private boolean fetchingSchema;
    private String recovering;
    private int generation;
    private int pending;
    private Call call;
    private long lastHeard;
    private long lastRequested;
    private ReplayFrom sent = ReplayFrom.NEW_EVENTS;
    private Instant sentAt;
    private ByteString lastSeen;
    private AccessToken tokenUsed;
    private ReplayPosition delivered;
    private ReplayPosition committed;

    /** One response, whichever call it came from. */
    private record Batch(List<ConsumerEvent> events, ByteString latest, CommitReplayResponse commit) {
    }

    /** The call serving the subscription now. */
    private interface Call {
        void request(int n);

        void commit(ByteString replayId, String requestId);

        void cancel(String why);
    }

    TopicSubscription(PubSubSession session, ChannelName channel, ManagedSubscription managed) {
        this.session = session;
        this.channel = channel;
        this.managed = managed;
        this.healing = new Healing(session.context.connectionTimeout());
        this.backoff = new Backoff(session.context.backoffInitial(), session.context.backoffMax());
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
        if (managed != null && !session.transport.managedCommits.isWired(channel.value())) {
            stopped = true;
            session.removed(this);
            confirmed.completeExceptionally(new IllegalStateException(channel + " is consumed through the managed "
                    + "subscription " + managed + ", whose replay ID Salesforce keeps: build the client with "
                    + ".replayStore(transport.serverCommits()) so that its commits reach Salesforce"));
            return;
        }
        if (!topicChecked) {
            checkTopic();
        } else {
            open();
        }
    }

    private void checkTopic() {
        AccessToken used = session.tokens.current();
        int gen = ++generation;
        session.unary(used).getTopic(TopicRequest.newBuilder().setTopicName(channel.value()).build(),
                new StreamObserver<TopicInfo>() {
                    private TopicInfo info;

                    @Override
                    public void onNext(TopicInfo value) {
                        info = value;
                    }

                    @Override
                    public void onError(Throwable t) {
                        session.lane.executeHere(() -> topicChecked(gen, used, null, t));
                    }

                    @Override
                    public void onCompleted() {
                        session.lane.executeHere(() -> topicChecked(gen, used, info, null));
                    }
                });
    }

    private void topicChecked(int gen, AccessToken used, TopicInfo info, Throwable error) {
        if (gen != generation || stopped) {
            return;
        }
        tokenUsed = used;
        if (error != null || info == null) {
            failed(error != null ? error : new IllegalStateException("GetTopic answered nothing"));
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
            } catch (StreamingException e) {
                lose(e);
                return;
            } catch (RuntimeException e) {
                lose(new SubscriptionException(channel.value(), "cannot subscribe to " + channel + ": deciding where "
                        + "it starts failed: " + e, e));
                return;
            }
            if (everOpened) {
                start = afterLastSeen(start);
            }
        }
        int gen = ++generation;
        int credit = session.transport.credit();
        tokenUsed = session.tokens.current();
        pending = credit;
        lastHeard = System.nanoTime();
        lastRequested = lastHeard;
        sent = start;
        sentAt = Instant.now();
        everOpened = true;
        streamConfirmed = false;
        parked = false;
        call = managed == null ? subscribe(gen, start, credit) : managedSubscribe(gen, credit);
        if (managed != null) {
            session.transport.managedCommits.activate(channel.value(), this);
            ReplayPosition waitingCommit = session.transport.managedCommits.takeWaiting(channel.value());
            if (waitingCommit != null) {
                sendCommit(waitingCommit);
            }
        }
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

    private Call subscribe(int gen, ReplayFrom start, int credit) {
        FetchRequest.Builder first = FetchRequest.newBuilder().setTopicName(channel.value()).setNumRequested(credit);
        if (start.position().isPresent()) {
            first.setReplayPreset(ReplayPreset.CUSTOM).setReplayId(ByteString.copyFrom(start.position().get().bytes()));
        } else {
            first.setReplayPreset(start.equals(ReplayFrom.ALL_EVENTS) ? ReplayPreset.EARLIEST : ReplayPreset.LATEST);
        }
        SubscribeCall c = new SubscribeCall(gen);
        session.stub(tokenUsed).subscribe(c);
        c.requests.onNext(first.build());
        return c;
    }

    private Call managedSubscribe(int gen, int credit) {
        ManagedFetchRequest.Builder first = ManagedFetchRequest.newBuilder().setNumRequested(credit);
        if (managed.id() != null) {
            first.setSubscriptionId(managed.id());
        } else {
            first.setDeveloperName(managed.developerName());
        }
        ManagedCall c = new ManagedCall(gen);
        session.stub(tokenUsed).managedSubscribe(c);
        c.requests.onNext(first.build());
        return c;
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

    private void onBatch(int gen, Batch b) {
        if (gen != generation || stopped) {
            return;
        }
        lastHeard = System.nanoTime();
        session.tokens.worked(tokenUsed);
        healing.succeeded();
        backoff.reset();
        if (recovering != null) {
            recovering = null;
            session.updateState(null);
        }
        if (b.commit() != null) {
            acknowledged(b.commit());
        }
        pending = Math.max(0, pending - b.events().size());
        if (!b.events().isEmpty() || !b.latest().isEmpty()) {
            waiting.add(b);
            drain();
        }
        topUp();
    }

    /** Delivers the waiting responses in order, as far as their schemas are loaded. */
    private void drain() {
        while (!waiting.isEmpty() && !stopped) {
            Batch b = waiting.peek();
            for (ConsumerEvent e : b.events()) {
                String id = e.getEvent().getSchemaId();
                if (session.transport.schemas.getNow(id) == null) {
                    loadSchema(id);
                    return;
                }
            }
            waiting.poll();
            deliver(b);
        }
    }

    private void loadSchema(String id) {
        if (fetchingSchema) {
            return;
        }
        fetchingSchema = true;
        int gen = generation;
        session.schema(id).whenComplete((s, e) -> session.lane.execute(() -> {
            fetchingSchema = false;
            if (stopped) {
                return;
            }
            if (e != null && gen == generation) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof StatusRuntimeException) {
                    abort("GetSchema " + id + " failed");
                    failed(cause);
                } else {
                    lose(new SubscriptionException(channel.value(), "cannot decode the events of " + channel + ": "
                            + cause.getMessage(), cause));
                }
                return;
            }
            drain();
        }));
    }

    private void deliver(Batch b) {
        confirm();
        if (!b.events().isEmpty()) {
            List<StreamingEvent> events = new ArrayList<>(b.events().size());
            Instant received = Instant.now();
            for (ConsumerEvent e : b.events()) {
                try {
                    events.add(EventDecoder.decode(channel.value(), e, session.transport.schemas.getNow(
                            e.getEvent().getSchemaId()), received));
                } catch (IOException | RuntimeException failure) {
                    if (!events.isEmpty()) {
                        session.listener.onEvents(events);
                    }
                    lose(new SubscriptionException(channel.value(), "cannot decode the event of " + channel
                            + " with replay ID " + ReplayPosition.ofBytes(e.getReplayId().toByteArray())
                            + " with its schema " + e.getEvent().getSchemaId() + ": " + failure.getMessage()
                            + "; the subscription stops before it", failure));
                    return;
                }
            }
            session.fetched();
            session.listener.onEvents(events);
            delivered = events.get(events.size() - 1).position().orElse(delivered);
        }
        if (!b.latest().isEmpty()) {
            lastSeen = b.latest();
            if (managed != null && b.events().isEmpty() && (delivered == null || (committed != null
                    && !delivered.isAfter(committed)))) {
                // Everything handed out is committed: the keepalive's position moves the server's too, so that a
                // quiet subscription does not restart from a replay ID past the retention window.
                sendCommit(ReplayPosition.ofBytes(b.latest().toByteArray()));
            }
        }
    }

    /** Requests more events when half the credit arrived and the consumer has room. */
    private void topUp() {
        if (call == null || stopped) {
            return;
        }
        int window = session.transport.credit();
        if (pending > window / 2 || !session.listener.hasRoom()) {
            return;
        }
        int n = window - pending;
        call.request(n);
        pending += n;
        lastRequested = System.nanoTime();
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

    private void ended(int gen, Throwable error) {
        if (gen != generation || stopped) {
            return;
        }
        call = null;
        generation++;
        waiting.clear(); // not handed out: the next stream starts before them
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
                lose(new SubscriptionException(channel.value(), "a response on " + channel + " was larger than the "
                        + "transport accepts (maxInboundMessageSize " + session.transport.maxInboundMessageSize()
                        + " bytes): " + f.describe() + "; raise it with PubSubTransport.builder()"
                        + ".maxInboundMessageSize(...)", error));
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
        if (call == null || pending == 0 || stopped) {
            return;
        }
        long quiet = now - Math.max(lastHeard, lastRequested);
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
        Call c = call;
        call = null;
        generation++;
        waiting.clear();
        if (c != null) {
            c.cancel(why);
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
        if (managed != null) {
            session.transport.managedCommits.deactivate(channel.value(), this);
        }
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
        if (call == null || (committed != null && !position.isAfter(committed))) {
            return;
        }
        committed = position;
        String id = UUID.randomUUID().toString();
        if (unacknowledged.isEmpty()) {
            acknowledged = new CompletableFuture<>();
        }
        unacknowledged.add(id);
        call.commit(ByteString.copyFrom(position.bytes()), id);
    }

    private void acknowledged(CommitReplayResponse r) {
        if (r.hasError()) {
            LOG.warn("sfstream: Salesforce refused the commit of replay ID {} on the managed subscription {} of {}: "
                    + "{} {}", ReplayPosition.ofBytes(r.getReplayId().isEmpty() ? new byte[] {0}
                    : r.getReplayId().toByteArray()), managed, channel, r.getError().getCode(), r.getError().getMsg());
        }
        // Salesforce may answer several commits with one response: the one answered and every earlier one are done.
        if (unacknowledged.contains(r.getCommitRequestId())) {
            var it = unacknowledged.iterator();
            while (it.hasNext()) {
                String id = it.next();
                it.remove();
                if (id.equals(r.getCommitRequestId())) {
                    break;
                }
            }
        }
        if (unacknowledged.isEmpty()) {
            acknowledged.complete(null);
        }
    }

    /** Completes once every commit sent is acknowledged (at once when none is waiting). */
    CompletableFuture<Void> commitsAcknowledged() {
        return unacknowledged.isEmpty() || call == null ? CompletableFuture.completedFuture(null) : acknowledged;
    }

    // ---------------------------------------------------------------- the calls

    /** A {@code Subscribe} call: its callbacks hand their work to the lane. */
    private final class SubscribeCall implements ClientResponseObserver<FetchRequest, FetchResponse>, Call {
        private final int gen;
        private ClientCallStreamObserver<FetchRequest> requests;

        SubscribeCall(int gen) {
            this.gen = gen;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<FetchRequest> requestStream) {
            this.requests = requestStream;
        }

        @Override
        public void onNext(FetchResponse r) {
            Batch b = new Batch(r.getEventsList(), r.getLatestReplayId(), null);
            session.lane.executeHere(() -> onBatch(gen, b));
        }

        @Override
        public void onError(Throwable t) {
            session.lane.executeHere(() -> ended(gen, t));
        }

        @Override
        public void onCompleted() {
            session.lane.executeHere(() -> ended(gen, null));
        }

        @Override
        public void request(int n) {
            requests.onNext(FetchRequest.newBuilder().setNumRequested(n).build());
        }

        @Override
        public void commit(ByteString replayId, String requestId) {
            throw new UnsupportedOperationException("a Subscribe stream takes no commits");
        }

        @Override
        public void cancel(String why) {
            requests.cancel(why, null);
        }
    }

    /** A {@code ManagedSubscribe} call: requests, commits, and responses that may answer a commit. */
    private final class ManagedCall implements ClientResponseObserver<ManagedFetchRequest, ManagedFetchResponse>,
            Call {
        private final int gen;
        private ClientCallStreamObserver<ManagedFetchRequest> requests;

        ManagedCall(int gen) {
            this.gen = gen;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<ManagedFetchRequest> requestStream) {
            this.requests = requestStream;
        }

        @Override
        public void onNext(ManagedFetchResponse r) {
            Batch b = new Batch(r.getEventsList(), r.getLatestReplayId(), r.hasCommitResponse()
                    ? r.getCommitResponse() : null);
            session.lane.executeHere(() -> onBatch(gen, b));
        }

        @Override
        public void onError(Throwable t) {
            session.lane.executeHere(() -> ended(gen, t));
        }

        @Override
        public void onCompleted() {
            session.lane.executeHere(() -> ended(gen, null));
        }

        @Override
        public void request(int n) {
            requests.onNext(ManagedFetchRequest.newBuilder().setNumRequested(n).build());
        }

        @Override
        public void commit(ByteString replayId, String requestId) {
            requests.onNext(ManagedFetchRequest.newBuilder().setCommitReplayIdRequest(CommitReplayRequest
                    .newBuilder().setCommitRequestId(requestId).setReplayId(replayId)).build());
        }

        @Override
        public void cancel(String why) {
            requests.cancel(why, null);
        }
    }
}
