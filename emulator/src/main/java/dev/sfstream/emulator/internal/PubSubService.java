package dev.sfstream.emulator.internal;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.ManagedFetchRequest;
import com.salesforce.eventbus.protobuf.ManagedFetchResponse;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.PublishRequest;
import com.salesforce.eventbus.protobuf.PublishResponse;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import com.salesforce.eventbus.protobuf.SchemaInfo;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import com.salesforce.eventbus.protobuf.TopicInfo;
import com.salesforce.eventbus.protobuf.TopicRequest;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * The service {@code eventbus.v1.PubSub}: the unary calls here, the streams in {@link SubscribeCall},
 * {@link ManagedSubscribeCall} and {@link PublishStreamCall}. Every call has passed {@link PubSubAuth}, which put its
 * caller and rpcId in the gRPC context; every response carries that rpcId.
 */
final class PubSubService extends PubSubGrpc.PubSubImplBase {
    private final EmulatedOrg org;
    private final PubSubTopics topics;
    private final PubSubPublisher publisher;
    private final PubSubStreams streams;
    private final ManagedSubscriptions managed;

    PubSubService(EmulatedOrg org, PubSubStreams streams) {
        this.org = org;
        this.topics = new PubSubTopics(org);
        this.publisher = new PubSubPublisher(org, topics);
        this.streams = streams;
        this.managed = new ManagedSubscriptions(org, streams.executor());
    }

    @Override
    public void getTopic(TopicRequest request, StreamObserver<TopicInfo> responses) {
        PubSubAuth.Caller caller = PubSubAuth.CALLER.get();
        try {
            String channel = topics.resolve(request.getTopicName(), caller);
            responses.onNext(TopicInfo.newBuilder().setTopicName(channel).setTenantGuid(org.orgId())
                    .setCanPublish(PubSubTopics.canPublish(channel)).setCanSubscribe(true)
                    .setSchemaId(topics.currentSchema(channel).id()).setRpcId(caller.rpcId()).build());
            responses.onCompleted();
        } catch (StatusRuntimeException e) {
            responses.onError(e);
        }
    }

    @Override
    public void getSchema(SchemaRequest request, StreamObserver<SchemaInfo> responses) {
        PubSubAuth.Caller caller = PubSubAuth.CALLER.get();
        org.hub().avro().schemas().byId(request.getSchemaId()).ifPresentOrElse(schema -> {
            responses.onNext(SchemaInfo.newBuilder().setSchemaId(schema.id()).setSchemaJson(schema.json())
                    .setRpcId(caller.rpcId()).build());
            responses.onCompleted();
        }, () -> responses.onError(PubSubErrors.schemaNotFound(caller.rpcId(), caller.method(),
                request.getSchemaId())));
    }

    @Override
    public void publish(PublishRequest request, StreamObserver<PublishResponse> responses) {
        PubSubAuth.Caller caller = PubSubAuth.CALLER.get();
        try {
            responses.onNext(publisher.publish(request, request.getTopicName(), caller));
            responses.onCompleted();
        } catch (StatusRuntimeException e) {
            responses.onError(e);
        }
    }

    @Override
    public StreamObserver<PublishRequest> publishStream(StreamObserver<PublishResponse> responses) {
        return new PublishStreamCall(PubSubAuth.CALLER.get(), (ServerCallStreamObserver<PublishResponse>) responses,
                publisher, streams);
    }

    @Override
    public StreamObserver<FetchRequest> subscribe(StreamObserver<FetchResponse> responses) {
        return new SubscribeCall(PubSubAuth.CALLER.get(), (ServerCallStreamObserver<FetchResponse>) responses);
    }

    @Override
    public StreamObserver<ManagedFetchRequest> managedSubscribe(StreamObserver<ManagedFetchResponse> responses) {
        return new ManagedSubscribeCall(PubSubAuth.CALLER.get(), org, topics, streams, managed, this::start,
                (ServerCallStreamObserver<ManagedFetchResponse>) responses);
    }

    /**
     * Where a subscription starts: after the log's last event (LATEST, the proto3 default), before its oldest retained
     * event (EARLIEST), or after the given event (CUSTOM), which must be 8 bytes and still retained.
     */
    long start(String channel, ReplayPreset preset, ByteString replayId, PubSubAuth.Caller caller) {
        ChannelLog log = org.hub().log(channel);
        return switch (preset) {
            case EARLIEST -> 0;
            case CUSTOM -> {
                if (replayId.isEmpty()) {
                    throw PubSubErrors.replayIdMissing(caller.rpcId(), caller.method());
                }
                long id = ReplayIds.decode(replayId);
                if (id <= 0 || !log.isRetained(id, org.clock().instant())) {
                    throw PubSubErrors.replayIdCorrupted(caller.rpcId(), caller.method());
                }
                yield id;
            }
            default -> log.lastReplayId();
        };
    }

    /** A {@code Subscribe} call: the topic and replay options of its first request, credit from every request. */
    private final class SubscribeCall implements StreamObserver<FetchRequest> {
        private final PubSubAuth.Caller caller;
        private final ServerCallStreamObserver<FetchResponse> responses;
        private volatile TopicStream stream;
        private String firstTopic;
        private boolean failed;

        SubscribeCall(PubSubAuth.Caller caller, ServerCallStreamObserver<FetchResponse> responses) {
            this.caller = caller;
            this.responses = responses;
            responses.setOnCancelHandler(() -> {
                TopicStream s = stream;
                if (s != null) {
                    s.cancelled();
                }
            });
        }

        @Override
        public void onNext(FetchRequest request) {
            if (failed) {
                return;
            }
            try {
                if (stream == null) {
                    String channel = topics.resolve(request.getTopicName(), caller);
                    requested(request.getNumRequested());
                    long cursor = start(channel, request.getReplayPreset(), request.getReplayId(), caller);
                    firstTopic = request.getTopicName();
                    TopicStream s = new TopicStream(streams, caller, channel, org.hub(), org.clock(), cursor,
                            sink(), () -> { });
                    streams.add(s);
                    stream = s;
                } else {
                    String topic = request.getTopicName();
                    if (!topic.isEmpty() && !topic.equals(firstTopic) && !topic.equals(stream.topic())) {
                        throw PubSubErrors.topicMismatch(caller.rpcId(), caller.method(), firstTopic, topic);
                    }
                    requested(request.getNumRequested());
                }
                stream.request(request.getNumRequested());
            } catch (StatusRuntimeException e) {
                failed = true;
                if (stream != null) {
                    stream.end(e);
                } else {
                    responses.onError(e);
                }
            }
        }

        private void requested(int n) {
            if (n <= 0) {
                throw PubSubErrors.requestedEventsInvalid(caller.rpcId(), caller.method());
            }
        }

        private TopicStream.Sink sink() {
            return TopicStream.Sink.of(responses, (events, latest, pending) -> FetchResponse.newBuilder()
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
            // The client sends no more requests; the stream goes on until its credit is spent and it idles out.
        }
    }
}
