package dev.sfstream.pubsub;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.CommitReplayRequest;
import com.salesforce.eventbus.protobuf.CommitReplayResponse;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.ManagedFetchRequest;
import com.salesforce.eventbus.protobuf.ManagedFetchResponse;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import dev.sfstream.ChannelName;
import dev.sfstream.internal.SerialExecutor;
import dev.sfstream.replay.ReplayFrom;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.List;

/**
 * The two streaming calls a {@link TopicSubscription} makes, {@code Subscribe} and {@code ManagedSubscribe}, behind
 * one shape: requests for more events, commits (managed only), cancel; responses as {@link Batch}es. gRPC's callbacks
 * only hand their work to the session's lane, tagged with the generation of the call so that a cancelled call's late
 * callbacks are told apart. {@link Call} methods are called on the lane only.
 */
final class StreamCalls {
    private StreamCalls() {
    }

    /** One response, whichever call it came from. */
    record Batch(List<ConsumerEvent> events, ByteString latest, CommitReplayResponse commit) {
    }

    /** Where a call's responses and end go, on the lane. */
    interface Receiver {
        void batch(int generation, Batch batch);

        /** The call ended: {@code error} null for a normal completion by the server. */
        void ended(int generation, Throwable error);
    }

    /** The call serving a subscription now. */
    interface Call {
        void request(int n);

        void commit(ByteString replayId, String requestId);

        void cancel(String why);
    }

    /** A {@code Subscribe} call from a start: LATEST, EARLIEST, or CUSTOM after a replay ID. */
    static Call subscribe(PubSubGrpc.PubSubStub stub, ChannelName channel, ReplayFrom start, int credit,
            int generation, Receiver receiver, SerialExecutor lane) {
        FetchRequest.Builder first = FetchRequest.newBuilder().setTopicName(channel.value()).setNumRequested(credit);
        if (start.position().isPresent()) {
            first.setReplayPreset(ReplayPreset.CUSTOM).setReplayId(ByteString.copyFrom(start.position().get().bytes()));
        } else {
            first.setReplayPreset(start.equals(ReplayFrom.ALL_EVENTS) ? ReplayPreset.EARLIEST : ReplayPreset.LATEST);
        }
        Subscribe call = new Subscribe(generation, receiver, lane);
        stub.subscribe(call);
        call.requests.onNext(first.build());
        return call;
    }

    /** A {@code ManagedSubscribe} call: Salesforce decides where it starts. */
    static Call managedSubscribe(PubSubGrpc.PubSubStub stub, ManagedSubscription subscription, int credit,
            int generation, Receiver receiver, SerialExecutor lane) {
        ManagedFetchRequest.Builder first = ManagedFetchRequest.newBuilder().setNumRequested(credit);
        if (subscription.id() != null) {
            first.setSubscriptionId(subscription.id());
        } else {
            first.setDeveloperName(subscription.developerName());
        }
        Managed call = new Managed(generation, receiver, lane);
        stub.managedSubscribe(call);
        call.requests.onNext(first.build());
        return call;
    }

    /** The callbacks every call shares. */
    private abstract static class Base<Q, R> implements ClientResponseObserver<Q, R>, Call {
        final int generation;
        final Receiver receiver;
        final SerialExecutor lane;
        ClientCallStreamObserver<Q> requests;

        Base(int generation, Receiver receiver, SerialExecutor lane) {
            this.generation = generation;
            this.receiver = receiver;
            this.lane = lane;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
            this.requests = requestStream;
        }

        abstract Batch batch(R response);

        @Override
        public void onNext(R response) {
            Batch b = batch(response);
            lane.executeHere(() -> receiver.batch(generation, b));
        }

        @Override
        public void onError(Throwable t) {
            lane.executeHere(() -> receiver.ended(generation, t));
        }

        @Override
        public void onCompleted() {
            lane.executeHere(() -> receiver.ended(generation, null));
        }

        @Override
        public void cancel(String why) {
            requests.cancel(why, null);
        }
    }

    private static final class Subscribe extends Base<FetchRequest, FetchResponse> {
        Subscribe(int generation, Receiver receiver, SerialExecutor lane) {
            super(generation, receiver, lane);
        }

        @Override
        Batch batch(FetchResponse r) {
            return new Batch(r.getEventsList(), r.getLatestReplayId(), null);
        }

        @Override
        public void request(int n) {
            requests.onNext(FetchRequest.newBuilder().setNumRequested(n).build());
        }

        @Override
        public void commit(ByteString replayId, String requestId) {
            throw new UnsupportedOperationException("a Subscribe stream takes no commits");
        }
    }

    private static final class Managed extends Base<ManagedFetchRequest, ManagedFetchResponse> {
        Managed(int generation, Receiver receiver, SerialExecutor lane) {
            super(generation, receiver, lane);
        }

        @Override
        Batch batch(ManagedFetchResponse r) {
            return new Batch(r.getEventsList(), r.getLatestReplayId(), r.hasCommitResponse() ? r.getCommitResponse()
                    : null);
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
    }
}
