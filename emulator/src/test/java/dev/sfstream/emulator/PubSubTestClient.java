package dev.sfstream.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * A Pub/Sub API client written for the tests with grpc-java's plain stubs (no sfstream client): a channel to the
 * emulator, Salesforce's three metadata headers, and a recorder of one Subscribe stream.
 */
final class PubSubTestClient implements AutoCloseable {
    final ManagedChannel channel;
    final Metadata headers = new Metadata();

    PubSubTestClient(Emulator emulator, String accessToken) {
        this(emulator, accessToken, emulator.orgId());
    }

    PubSubTestClient(Emulator emulator, String accessToken, String tenantId) {
        EmulatorPubSub pubSub = emulator.pubSub();
        var credentials = pubSub.plaintext() ? InsecureChannelCredentials.create() : trusting(pubSub.certificatePem());
        channel = Grpc.newChannelBuilder(emulator.pubSubEndpoint(), credentials)
                .maxInboundMessageSize(16 * 1024 * 1024).build();
        headers.put(key("accesstoken"), accessToken);
        headers.put(key("instanceurl"), emulator.url());
        headers.put(key("tenantid"), tenantId);
    }

    private static io.grpc.ChannelCredentials trusting(String pem) {
        try {
            return TlsChannelCredentials.newBuilder()
                    .trustManager(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client logged in as the default user over the emulator's OAuth endpoint. */
    static PubSubTestClient loggedIn(Emulator emulator) {
        JsonNode login = new RawHttp(emulator.url()).login();
        return new PubSubTestClient(emulator, login.path("access_token").asText());
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Metadata.Key<String> key(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }

    PubSubGrpc.PubSubBlockingStub blocking() {
        return PubSubGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    PubSubGrpc.PubSubStub async() {
        return PubSubGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** The Avro schema of a schema ID, over GetSchema. */
    Schema schema(String schemaId) {
        return new Schema.Parser().parse(blocking().getSchema(SchemaRequest.newBuilder().setSchemaId(schemaId).build())
                .getSchemaJson());
    }

    /** An event's payload read with the schema its schema ID names. */
    GenericRecord decode(com.salesforce.eventbus.protobuf.ConsumerEvent event) throws IOException {
        Schema schema = schema(event.getEvent().getSchemaId());
        return new GenericDatumReader<GenericRecord>(schema).read(null,
                DecoderFactory.get().binaryDecoder(event.getEvent().getPayload().toByteArray(), null));
    }

    static long replayId(ByteString bytes) {
        return bytes.size() == 8 ? bytes.asReadOnlyByteBuffer().getLong() : -1;
    }

    static ByteString replayId(long id) {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array());
    }

    /** Opens a Subscribe stream with its first request. */
    Stream subscribe(String topic, ReplayPreset preset, ByteString replayId, int numRequested) {
        Stream stream = new Stream();
        stream.requests = async().subscribe(stream);
        FetchRequest.Builder first = FetchRequest.newBuilder().setTopicName(topic).setReplayPreset(preset)
                .setNumRequested(numRequested);
        if (replayId != null) {
            first.setReplayId(replayId);
        }
        stream.requests.onNext(first.build());
        return stream;
    }

    Stream subscribe(String topic, ReplayPreset preset, int numRequested) {
        return subscribe(topic, preset, null, numRequested);
    }

    /** What one Subscribe stream received, in order, and how it ended. */
    static final class Stream implements StreamObserver<FetchResponse> {
        final BlockingQueue<FetchResponse> responses = new LinkedBlockingQueue<>();
        final CompletableFuture<Status> ended = new CompletableFuture<>();
        volatile Metadata trailers;
        StreamObserver<FetchRequest> requests;

        @Override
        public void onNext(FetchResponse response) {
            responses.add(response);
        }

        @Override
        public void onError(Throwable t) {
            StatusRuntimeException e = (StatusRuntimeException) t;
            trailers = e.getTrailers();
            ended.complete(e.getStatus());
        }

        @Override
        public void onCompleted() {
            ended.complete(Status.OK);
        }

        void request(int n) {
            requests.onNext(FetchRequest.newBuilder().setNumRequested(n).build());
        }

        /** The next response, failing after {@code atMost}. */
        FetchResponse next(Duration atMost) throws InterruptedException {
            FetchResponse r = responses.poll(atMost.toMillis(), TimeUnit.MILLISECONDS);
            if (r == null) {
                throw new AssertionError("no response within " + atMost + (ended.isDone() ? "; the stream ended with "
                        + ended.getNow(null) : ""));
            }
            return r;
        }

        /** The next response that carries events, skipping keepalives. */
        FetchResponse nextWithEvents(Duration atMost) throws InterruptedException {
            long deadline = System.nanoTime() + atMost.toNanos();
            while (true) {
                FetchResponse r = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (r.getEventsCount() > 0) {
                    return r;
                }
            }
        }

        /** How the stream ended, failing after {@code atMost}. */
        Status end(Duration atMost) throws Exception {
            return ended.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        }

        void cancel() {
            requests.onError(Status.CANCELLED.asRuntimeException());
        }
    }
}
