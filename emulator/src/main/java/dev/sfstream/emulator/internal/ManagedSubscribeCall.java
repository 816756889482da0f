package dev.sfstream.emulator.internal;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.CommitReplayResponse;
import com.salesforce.eventbus.protobuf.Error;
import com.salesforce.eventbus.protobuf.ErrorCode;
import com.salesforce.eventbus.protobuf.ManagedFetchRequest;
import com.salesforce.eventbus.protobuf.ManagedFetchResponse;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * A {@code ManagedSubscribe} call, by Salesforce's ManagedSubscribe RPC page: the first request names the
 * subscription (ID or developer name) and requests events; the stream starts after the committed replay ID, or from
 * the subscription's {@code errorRecoveryReplay} when that ID is no longer retained, or from its
 * {@code defaultReplay} when nothing was committed. Later requests add credit or commit a replay ID
 * ({@code CommitReplayRequest}), each commit answered by a response carrying its {@code CommitReplayResponse}.
 */
final class ManagedSubscribeCall implements StreamObserver<ManagedFetchRequest> {
    /** Where a subscription starts, as {@code Subscribe} decides it. */
    interface Start {
        long start(String channel, ReplayPreset preset, ByteString replayId, PubSubAuth.Caller caller);
    }

    private final PubSubAuth.Caller caller;
    private final EmulatedOrg org;
    private final PubSubTopics topics;
    private final PubSubStreams streams;
    private final ManagedSubscriptions managed;
    private final Start start;
    private final ServerCallStreamObserver<ManagedFetchResponse> responses;
    private volatile TopicStream stream;
    private String subscriptionId;
    private boolean failed;

    ManagedSubscribeCall(PubSubAuth.Caller caller, EmulatedOrg org, PubSubTopics topics, PubSubStreams streams,
            ManagedSubscriptions managed, Start start, ServerCallStreamObserver<ManagedFetchResponse> responses) {
        this.caller = caller;
        this.org = org;
        this.topics = topics;
        this.streams = streams;
        this.managed = managed;
        this.start = start;
        this.responses = responses;
        responses.setOnCancelHandler(() -> {
            TopicStream s = stream;
            if (s != null) {
                s.cancelled();
            }
        });
    }

    @Override
    public void onNext(ManagedFetchRequest request) {
        if (failed) {
            return;
        }
        try {
            if (stream == null) {
                open(request);
            } else {
                if (request.hasCommitReplayIdRequest()) {
                    commit(request);
                }
                if (request.getNumRequested() > 0) {
                    stream.request(request.getNumRequested());
                } else if (request.getNumRequested() < 0 || !request.hasCommitReplayIdRequest()) {
                    throw invalidRequest();
                }
            }
        } catch (StatusRuntimeException e) {
            failed = true;
            if (stream != null) {
                stream.end(e);
            } else {
                responses.onError(e);
            }
        }
    }

    private void open(ManagedFetchRequest request) {
        ManagedSubscriptions.Definition subscription = managed.find(request.getSubscriptionId(),
                request.getDeveloperName(), caller.rpcId());
        if (request.hasCommitReplayIdRequest()) {
            throw PubSubErrors.managed(Status.Code.INVALID_ARGUMENT, "fetch.request.commit.request.restricted",
                    "The first request of a managed subscription can't commit a replay ID.", caller.rpcId());
        }
        if (request.getNumRequested() <= 0) {
            throw invalidRequest();
        }
        String id = subscription.id();
        if (!managed.claim(id)) {
            throw PubSubErrors.alreadyActive(caller.rpcId());
        }
        try {
            String channel = topics.resolve(subscription.topicName(), caller);
            long cursor = cursor(subscription, channel);
            TopicStream[] self = new TopicStream[1];
            TopicStream s = new TopicStream(streams, caller, channel, org.hub(), org.clock(), cursor, sink(),
                    () -> managed.ended(id, self[0]));
            self[0] = s;
            subscriptionId = id;
            managed.activate(id, s);
            streams.add(s);
            stream = s;
        } catch (RuntimeException e) {
            managed.ended(id, null);
            throw e;
        }
        stream.request(request.getNumRequested());
    }

    private long cursor(ManagedSubscriptions.Definition subscription, String channel) {
        Long committed = managed.committed(subscription.id()).orElse(null);
        if (committed != null) {
            try {
                return start.start(channel, ReplayPreset.CUSTOM, ReplayIds.encode(committed), caller);
            } catch (StatusRuntimeException expired) {
                return start.start(channel, preset(subscription.errorRecoveryReplay()), ByteString.EMPTY, caller);
            }
        }
        return start.start(channel, preset(subscription.defaultReplay()), ByteString.EMPTY, caller);
    }

    private static ReplayPreset preset(String name) {
        return name.equals("EARLIEST") ? ReplayPreset.EARLIEST : ReplayPreset.LATEST;
    }

    private void commit(ManagedFetchRequest request) {
        var commit = request.getCommitReplayIdRequest();
        long replayId = ReplayIds.decode(commit.getReplayId());
        CommitReplayResponse.Builder answer = CommitReplayResponse.newBuilder()
                .setCommitRequestId(commit.getCommitRequestId()).setReplayId(commit.getReplayId())
                .setProcessTime(System.currentTimeMillis());
        if (replayId <= 0) {
            answer.setError(Error.newBuilder().setCode(ErrorCode.COMMIT)
                    .setMsg("The replay ID to commit isn't valid: it must be the 8 bytes of an event's replay ID."));
        } else {
            managed.commit(subscriptionId, replayId);
        }
        TopicStream s = stream;
        s.exclusive(() -> responses.onNext(ManagedFetchResponse.newBuilder().setCommitResponse(answer)
                .setRpcId(caller.rpcId()).setPendingNumRequested(s.pending()).build()));
    }

    private StatusRuntimeException invalidRequest() {
        return PubSubErrors.managed(Status.Code.INVALID_ARGUMENT, "fetch.request.events.invalid", "The requested "
                + "number of events in a fetch request must be greater than zero.", caller.rpcId());
    }

    private TopicStream.Sink sink() {
        return TopicStream.Sink.of(responses, (events, latest, pending) -> ManagedFetchResponse.newBuilder()
                .addAllEvents(events).setLatestReplayId(latest).setRpcId(caller.rpcId())
                .setPendingNumRequested(pending).build());
    }

    @Override
    public void onError(Throwable t) {
        TopicStream s = stream;
        if (s != null) {
            s.cancelled();
        }
    }

    @Override
    public void onCompleted() {
        // no more requests: the stream goes on until its credit is spent and it idles out
    }
}
