package dev.sfstream.pubsub;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ProducerEvent;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.PublishRequest;
import com.salesforce.eventbus.protobuf.PublishResponse;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import com.salesforce.eventbus.protobuf.SchemaInfo;
import com.salesforce.eventbus.protobuf.TopicInfo;
import com.salesforce.eventbus.protobuf.TopicRequest;
import dev.sfstream.AuthenticationException;
import dev.sfstream.ServerErrorException;
import dev.sfstream.StreamingException;
import dev.sfstream.TransportException;
import dev.sfstream.auth.AccessToken;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.bayeux.BayeuxError;
import dev.sfstream.internal.Backoff;
import dev.sfstream.internal.Healing;
import dev.sfstream.internal.SerialExecutor;
import dev.sfstream.internal.Shared;
import dev.sfstream.replay.ReplayPosition;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream side of a {@link PubSubPublisher}: the token, the topic's schema, the {@code PublishStream} call, the
 * events queued and the requests awaiting Salesforce's answer, and what a failure means for each of them. Confined to
 * its lane; {@link #add} and {@link #close} hop onto it.
 */
final class PublishPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(PublishPipeline.class);
    /** Salesforce refuses requests over 4 MB and advises at most 3 MB. */
    private static final int MAX_REQUEST_BYTES = 3 * 1024 * 1024;

    /** An event waiting for its result. */
    record Pending(Object source, String key, CompletableFuture<PublishResult> result) {
    }

    private final PubSubTransport transport;
    private final Authenticator authenticator;
    private final String topic;
    private final int batchSize;
    private final int maxInFlight;
    private final Duration requestTimeout;
    private final SerialExecutor lane = new SerialExecutor(Shared.workers());
    private final Healing healing;
    private final Backoff backoff;

    // Confined to the lane.
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final ArrayDeque<List<Pending>> inFlight = new ArrayDeque<>();
    private ManagedChannel channel;
    private AccessToken token;
    private boolean renewing;
    private boolean tokenUnproven;
    private boolean waiting;
    private boolean closed;
    private EventDecoder.Compiled schema;
    private ClientCallStreamObserver<PublishRequest> stream;
    private boolean streamAnswered;
    private int generation;

    PublishPipeline(PubSubTransport transport, Authenticator authenticator, String topic, int batchSize,
            int maxInFlight, Duration requestTimeout, Duration connectionTimeout, Duration backoffInitial,
            Duration backoffMax) {
        this.transport = transport;
        this.authenticator = authenticator;
        this.topic = topic;
        this.batchSize = batchSize;
        this.maxInFlight = maxInFlight;
        this.requestTimeout = requestTimeout;
        this.healing = new Healing(connectionTimeout);
        this.backoff = new Backoff(backoffInitial, backoffMax);
    }

    /** An event to send. */
    void add(Pending p) {
        lane.execute(() -> {
            if (closed) {
                p.result().completeExceptionally(new IllegalStateException("the publisher of " + topic
                        + " is closed"));
                return;
            }
            queue.add(p);
            pump();
        });
    }

    /** Ends the stream and releases the channel; what still waits fails. */
    CompletableFuture<Void> close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lane.execute(() -> {
            closed = true;
            generation++;
            if (stream != null) {
                stream.onCompleted();
                stream = null;
            }
            failAll(new TransportException("the publisher of " + topic + " was closed before Salesforce answered",
                    null));
            if (channel != null) {
                transport.release(channel);
                channel = null;
            }
            done.complete(null);
        });
        return done;
    }

    private void pump() {
        try {
            pumpOnce();
        } catch (RuntimeException e) {
            // Never out of the lane unanswered: whatever waits learns what went wrong.
            failAll(e instanceof StreamingException se ? se : new TransportException("publishing to " + topic
                    + " failed: " + e, e));
        }
    }

    private void pumpOnce() {
        if (closed || waiting) {
            return;
        }
        if (channel == null) {
            try {
                token = authenticator.token(); // on a worker: the lane is ours, never a gRPC thread
                Tokens.tenantId(token);
            } catch (StreamingException e) {
                failAll(e);
                return;
            }
            channel = transport.acquire();
        }
        if (schema == null) {
            loadSchema();
            return;
        }
        if (stream == null && !queue.isEmpty()) {
            openStream();
        }
        while (stream != null && inFlight.size() < maxInFlight && !queue.isEmpty()) {
            sendBatch();
        }
    }

    private PubSubGrpc.PubSubStub stub() {
        return PubSubGrpc.newStub(channel).withInterceptors(Tokens.headers(token));
    }

    /** The topic's current schema: {@code GetTopic} names it, {@code GetSchema} (cached by the transport) gives it. */
    private void loadSchema() {
        waiting = true;
        AccessToken used = token;
        Unary<TopicInfo> info = Unary.of("GetTopic");
        stub().withDeadlineAfter(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .getTopic(TopicRequest.newBuilder().setTopicName(topic).build(), info);
        info.answer().thenCompose(t -> {
            if (!t.getCanPublish()) {
                throw new CompletionException(new ServerErrorException(topic, BayeuxError.parse(null), "the user may "
                        + "not publish to " + topic + " (the Pub/Sub API's GetTopic says can_publish = false)"));
            }
            return transport.schemas.get(t.getSchemaId(), id -> {
                Unary<SchemaInfo> s = Unary.of("GetSchema");
                stub().withDeadlineAfter(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                        .getSchema(SchemaRequest.newBuilder().setSchemaId(id).build(), s);
                return s.answer().thenApply(SchemaInfo::getSchemaJson);
            });
        }).whenComplete((compiled, error) -> lane.execute(() -> {
            waiting = false;
            if (error == null) {
                schema = compiled;
                succeeded(used);
                pump();
            } else {
                failed(used, error instanceof CompletionException && error.getCause() != null ? error.getCause()
                        : error, false);
            }
        }));
    }

    private void openStream() {
        int gen = ++generation;
        AccessToken used = token;
        streamAnswered = false;
        stub().publishStream(new ClientResponseObserver<PublishRequest, PublishResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<PublishRequest> requests) {
                stream = requests;
            }

            @Override
            public void onNext(PublishResponse response) {
                lane.executeHere(() -> answered(gen, used, response));
            }

            @Override
            public void onError(Throwable t) {
                lane.executeHere(() -> ended(gen, used, t));
            }

            @Override
            public void onCompleted() {
                lane.executeHere(() -> ended(gen, used, null));
            }
        });
    }

    private void sendBatch() {
        List<Pending> batch = new ArrayList<>();
        PublishRequest.Builder request = PublishRequest.newBuilder().setTopicName(topic);
        int bytes = 0;
        while (!queue.isEmpty() && batch.size() < batchSize) {
            Pending p = queue.peek();
            byte[] payload;
            try {
                payload = AvroEncoder.encode(schema.schema, p.source(), token.userId(), topic);
            } catch (RuntimeException e) {
                queue.poll();
                p.result().completeExceptionally(e);
                continue;
            }
            if (!batch.isEmpty() && bytes + payload.length > MAX_REQUEST_BYTES) {
                break;
            }
            queue.poll();
            bytes += payload.length;
            batch.add(p);
            request.addEvents(ProducerEvent.newBuilder().setId(p.key()).setSchemaId(schema.id)
                    .setPayload(ByteString.copyFrom(payload)));
        }
        if (!batch.isEmpty()) {
            inFlight.add(batch);
            stream.onNext(request.build());
        }
    }

    private void answered(int gen, AccessToken used, PublishResponse response) {
        if (gen != generation) {
            return;
        }
        streamAnswered = true;
        succeeded(used);
        if (response.getResultsCount() == 0) {
            return; // an empty answer keeps the stream alive; it answers no request
        }
        List<Pending> batch = inFlight.poll();
        if (batch == null) {
            return;
        }
        Map<String, com.salesforce.eventbus.protobuf.PublishResult> byKey = new java.util.HashMap<>();
        response.getResultsList().forEach(r -> byKey.put(r.getCorrelationKey(), r));
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            var r = i < response.getResultsCount() && response.getResults(i).getCorrelationKey().equals(p.key())
                    ? response.getResults(i) : byKey.get(p.key());
            if (r == null) {
                p.result().completeExceptionally(new TransportException("Salesforce answered the request with event "
                        + p.key() + " on " + topic + " without a result for it", null));
            } else if (r.hasError()) {
                p.result().complete(new PublishResult(topic, p.key(), null, r.getError().getCode() + ": "
                        + r.getError().getMsg()));
            } else {
                p.result().complete(new PublishResult(topic, p.key(), ReplayPosition.ofBytes(
                        r.getReplayId().toByteArray()), null));
            }
        }
        pump();
    }

    private void ended(int gen, AccessToken used, Throwable error) {
        if (gen != generation) {
            return;
        }
        stream = null;
        generation++;
        failed(used, error, true);
    }

    private void succeeded(AccessToken used) {
        if (used == token) {
            tokenUnproven = false;
        }
        healing.succeeded();
        backoff.reset();
    }

    /** A call failed ({@code error} null: the server ended the stream): heal, or fail what waits. */
    private void failed(AccessToken used, Throwable error, boolean streaming) {
        PubSubErrors.Failure f = error == null ? null : PubSubErrors.classify(error);
        // Requests the server refused with the call, or for a refused token, were not published; after any other
        // end, those sent may have been.
        boolean refusedAtStart = streaming && f != null && (f.kind() == PubSubErrors.Kind.AUTH
                || (!streamAnswered && f.kind() == PubSubErrors.Kind.RETRY));
        while (!inFlight.isEmpty()) {
            List<Pending> batch = inFlight.pollLast();
            if (refusedAtStart) {
                for (int i = batch.size() - 1; i >= 0; i--) {
                    queue.addFirst(batch.get(i));
                }
            } else {
                batch.forEach(p -> p.result().completeExceptionally(new TransportException("the stream to " + topic
                        + " ended before Salesforce answered for event " + p.key() + " (it may have been "
                        + "published): " + (f == null ? "the server ended the stream" : f.describe()), error)));
            }
        }
        if (f == null) {
            pump();
            return;
        }
        if (error instanceof StreamingException se) {
            failAll(se);
            return;
        }
        switch (f.kind()) {
            case AUTH -> renew(used, f.describe());
            case RETRY -> retry(f.describe());
            default -> failAll(new ServerErrorException(topic, BayeuxError.parse(f.description()), "Salesforce "
                    + "refused publishing to " + topic + ": " + f.describe()));
        }
    }

    private void retry(String why) {
        healing.failed(topic + ": " + why);
        Optional<Duration> delay = healing.retryAfter(backoff);
        if (delay.isEmpty()) {
            failAll(new TransportException(healing.gaveUp(), null));
            return;
        }
        waiting = true;
        Shared.timer().schedule(() -> lane.execute(() -> {
            waiting = false;
            pump();
        }), delay.get().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void renew(AccessToken used, String why) {
        if (used != token) {
            pump();
            return;
        }
        if (tokenUnproven) {
            failAll(new AuthenticationException(null, null, 401, "publishing to " + topic + ": " + why + ", again "
                    + "with a token just renewed; the user or connected app cannot use the Pub/Sub API"));
            return;
        }
        if (renewing) {
            return;
        }
        renewing = true;
        waiting = true;
        Shared.workers().execute(() -> {
            try {
                AccessToken renewed = authenticator.renew(used);
                Tokens.tenantId(renewed);
                lane.execute(() -> {
                    renewing = false;
                    waiting = false;
                    token = renewed;
                    tokenUnproven = true;
                    pump();
                });
            } catch (RuntimeException e) {
                lane.execute(() -> {
                    renewing = false;
                    waiting = false;
                    if (e instanceof AuthenticationException ae) {
                        failAll(ae);
                    } else {
                        retry("renewing the token failed: " + e.getMessage());
                    }
                });
            }
        });
    }

    private void failAll(StreamingException error) {
        for (List<Pending> batch : inFlight) {
            batch.forEach(p -> p.result().completeExceptionally(error));
        }
        inFlight.clear();
        queue.forEach(p -> p.result().completeExceptionally(error));
        queue.clear();
    }

}
