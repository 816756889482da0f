package dev.sfstream.emulator.internal;

import com.salesforce.eventbus.protobuf.PublishRequest;
import com.salesforce.eventbus.protobuf.PublishResponse;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code PublishStream} call: one {@code PublishResponse} per request, in order; the first request names the topic
 * and later ones may omit it but not name another; the server closes the stream when no request came for the
 * PublishStream idle timeout (Salesforce: "A client must send a valid publish request with one or more events every
 * 70 seconds to hold on to the stream"). Thread-safe.
 */
final class PublishStreamCall implements StreamObserver<PublishRequest>, PubSubStreams.Open {
    private final PubSubAuth.Caller caller;
    private final ServerCallStreamObserver<PublishResponse> responses;
    private final PubSubPublisher publisher;
    private final PubSubStreams streams;
    private final long idleNanos;
    private final Instant openedAt = Instant.now();
    private volatile String topic = ""; // written under this lock; read without it, when events are appended
    private long lastRequest = System.nanoTime(); // guarded by this
    private long published; // guarded by this
    private boolean closed; // guarded by this

    PublishStreamCall(PubSubAuth.Caller caller, ServerCallStreamObserver<PublishResponse> responses,
            PubSubPublisher publisher, PubSubStreams streams) {
        this.caller = caller;
        this.responses = responses;
        this.publisher = publisher;
        this.streams = streams;
        this.idleNanos = streams.settings().publishStreamIdleTimeout().toNanos();
        responses.setOnCancelHandler(this::cancelled);
        streams.add(this);
    }

    @Override
    public synchronized void onNext(PublishRequest request) {
        if (closed) {
            return;
        }
        lastRequest = System.nanoTime();
        try {
            if (topic.isEmpty()) {
                topic = request.getTopicName();
            } else if (!request.getTopicName().isEmpty() && !request.getTopicName().equals(topic)) {
                throw PubSubErrors.topicMismatch(caller.rpcId(), caller.method(), topic, request.getTopicName());
            }
            PublishResponse response = publisher.publish(request, topic, caller);
            published += request.getEventsCount();
            responses.onNext(response);
        } catch (StatusRuntimeException e) {
            end(e);
        } catch (RuntimeException callGone) {
            cancelled();
        }
    }

    @Override
    public void onError(Throwable t) {
        cancelled();
    }

    @Override
    public synchronized void onCompleted() {
        if (!closed) {
            closed = true;
            streams.remove(this);
            responses.onCompleted();
        }
    }

    private synchronized void cancelled() {
        closed = true;
        streams.remove(this);
    }

    @Override
    public PubSubAuth.Caller caller() {
        return caller;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public synchronized void tick(long now) {
        if (!closed && !streams.stalled() && now - lastRequest >= idleNanos) {
            closed = true;
            streams.remove(this);
            try {
                responses.onCompleted();
            } catch (RuntimeException callGone) {
                // the client went away meanwhile
            }
        }
    }

    @Override
    public void drainSoon() {
        // nothing to deliver on a publish stream
    }

    @Override
    public synchronized void end(StatusRuntimeException error) {
        if (!closed) {
            closed = true;
            streams.remove(this);
            try {
                responses.onError(error);
            } catch (RuntimeException callGone) {
                // the client went away meanwhile
            }
        }
    }

    @Override
    public synchronized Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rpcId", caller.rpcId());
        m.put("method", caller.method());
        m.put("topic", topic);
        m.put("published", published);
        m.put("openedAt", openedAt.toString());
        return m;
    }
}
