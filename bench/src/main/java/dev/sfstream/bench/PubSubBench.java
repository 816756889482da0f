package dev.sfstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.emulator.PubSubSettings;
import dev.sfstream.internal.Json;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * The emulator's Pub/Sub API under load, with a client written on grpc-java's plain stubs: scenario 6 fans one
 * platform event out to many concurrent {@code Subscribe} streams on one emulator (own JVM, 1 GiB), next to the same
 * fan-out to as many CometD long-polling clients; scenario 7 drains retained change events over one stream, decoding
 * each payload with its Avro schema, with the credit kept at 100.
 */
final class PubSubBench {
    private static final String TOPIC = "/event/Fanout__e";
    /** Salesforce's documented bound of concurrent streams on one HTTP/2 connection: one channel per 100 streams. */
    private static final int STREAMS_PER_CHANNEL = 100;

    private PubSubBench() {
    }

    private static Metadata headers(String token, String url, String orgId) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER), token);
        headers.put(Metadata.Key.of("instanceurl", Metadata.ASCII_STRING_MARSHALLER), url);
        headers.put(Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER), orgId);
        return headers;
    }

    /** A plaintext channel; callbacks on Netty's threads when {@code direct} (they must then never block). */
    private static ManagedChannel channel(String endpoint, boolean direct) {
        var builder = Grpc.newChannelBuilder(endpoint, InsecureChannelCredentials.create())
                .maxInboundMessageSize(16 << 20);
        return (direct ? builder.directExecutor() : builder).build();
    }

    /** Scenario 6: the delivery delays (ms) of each repetition, the first being a warm-up. */
    static List<List<Double>> fanout(ChildEmulator emulator, String token, int streams, int repetitions)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String orgId = token.substring(0, 15);
        Metadata headers = headers(token, emulator.url(), orgId);
        // The topic exists once an event was published to it.
        publish(http, emulator.url(), token);
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < (streams + STREAMS_PER_CHANNEL - 1) / STREAMS_PER_CHANNEL; i++) {
            channels.add(channel(emulator.pubSubEndpoint(), true));
        }
        List<List<Double>> runs = new ArrayList<>();
        List<StreamObserver<FetchRequest>> requests = new ArrayList<>();
        try {
            List<Double> delays = Collections.synchronizedList(new ArrayList<>());
            long[] publishedAt = new long[1];
            CountDownLatch[] arrived = {new CountDownLatch(streams)};
            for (int i = 0; i < streams; i++) {
                PubSubGrpc.PubSubStub stub = PubSubGrpc.newStub(channels.get(i / STREAMS_PER_CHANNEL))
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
                StreamObserver<FetchRequest> r = stub.subscribe(new StreamObserver<>() {
                    @Override
                    public void onNext(FetchResponse response) {
                        if (response.getEventsCount() > 0) {
                            delays.add((System.nanoTime() - publishedAt[0]) / 1e6);
                            arrived[0].countDown();
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        if (io.grpc.Status.fromThrowable(t).getCode() != io.grpc.Status.Code.CANCELLED) {
                            System.err.println("    a stream ended: " + t); // the bench's own cancel is expected
                        }
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
                r.onNext(FetchRequest.newBuilder().setTopicName(TOPIC).setReplayPreset(ReplayPreset.LATEST)
                        .setNumRequested(repetitions + 1).build());
                requests.add(r);
            }
            waitForStreams(http, emulator.url(), streams);
            for (int rep = 0; rep < repetitions; rep++) {
                delays.clear();
                arrived[0] = new CountDownLatch(streams);
                publishedAt[0] = System.nanoTime();
                publish(http, emulator.url(), token);
                if (!arrived[0].await(2, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("only " + (streams - arrived[0].getCount()) + " of " + streams
                            + " streams got the event");
                }
                runs.add(new ArrayList<>(delays));
            }
        } finally {
            requests.forEach(r -> r.onError(io.grpc.Status.CANCELLED.asRuntimeException()));
            channels.forEach(ManagedChannel::shutdownNow);
        }
        return runs;
    }

    private static void waitForStreams(HttpClient http, String url, int streams) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/emulator/status")).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode status = Json.MAPPER.readTree(r.body());
            if (status.path("pubSubStreams").size() >= streams) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the emulator opened " + status.path("pubSubStreams").size() + " of "
                        + streams + " streams");
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    private static void publish(HttpClient http, String url, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/services/data/v64.0/sobjects/Fanout__e"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"T__c\":" + System.currentTimeMillis() + "}")).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("publishing the fan-out event failed: " + r.body());
        }
    }

    /** An in-process emulator holding {@code events} retained change events of Account, and its access token. */
    static Emulator drainOrg(int events) {
        Emulator emulator = Emulator.builder().quiet(true).changeDataCapture("Account")
                .retainedEventsPerChannel(events + 10).retainedEventBytes(1L << 30)
                .pubSub(PubSubSettings.defaults().plaintext(true)).build().start();
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
            emulator.create("Account", Map.of("Name", "Account " + i, "Industry", "Energy", "BillingCity", "Oslo",
                    "NumberOfEmployees", i));
        }
        System.out.printf("    %,d accounts created (each a change event on two channels) in %.1f s%n", events,
                (System.nanoTime() - start) / 1e9);
        return emulator;
    }

    /** Scenario 7: drains every retained event of the topic over one stream; events per second. */
    static double drain(Emulator emulator, String token, int events) throws Exception {
        ManagedChannel channel = channel(emulator.pubSubEndpoint(), false); // a callback may fetch a schema
        try {
            Metadata headers = headers(token, emulator.url(), emulator.orgId());
            PubSubGrpc.PubSubStub stub = PubSubGrpc.newStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            PubSubGrpc.PubSubBlockingStub schemas = PubSubGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            Map<String, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();
            CountDownLatch done = new CountDownLatch(1);
            long[] received = new long[1];
            Throwable[] failed = new Throwable[1];
            @SuppressWarnings("unchecked")
            StreamObserver<FetchRequest>[] requests = new StreamObserver[1];
            long start = System.nanoTime();
            requests[0] = stub.subscribe(new StreamObserver<>() {
                private BinaryDecoder decoder;

                @Override
                public void onNext(FetchResponse response) {
                    for (ConsumerEvent e : response.getEventsList()) {
                        // A real client's work: the schema by ID, fetched once, then each payload decoded.
                        GenericDatumReader<GenericRecord> reader = readers.computeIfAbsent(e.getEvent().getSchemaId(),
                                id -> new GenericDatumReader<>(new Schema.Parser().parse(schemas.getSchema(
                                        SchemaRequest.newBuilder().setSchemaId(id).build()).getSchemaJson())));
                        try {
                            decoder = DecoderFactory.get().binaryDecoder(e.getEvent().getPayload().toByteArray(),
                                    decoder);
                            reader.read(null, decoder);
                        } catch (IOException x) {
                            throw new UncheckedIOException(x);
                        }
                    }
                    received[0] += response.getEventsCount();
                    if (received[0] >= events) {
                        done.countDown();
                    } else if (response.getEventsCount() > 0) {
                        requests[0].onNext(FetchRequest.newBuilder().setNumRequested(response.getEventsCount())
                                .build()); // keep 100 pending
                    }
                }

                @Override
                public void onError(Throwable t) {
                    failed[0] = t;
                    done.countDown();
                }

                @Override
                public void onCompleted() {
                    done.countDown();
                }
            });
            requests[0].onNext(FetchRequest.newBuilder().setTopicName("/data/AccountChangeEvent")
                    .setReplayPreset(ReplayPreset.EARLIEST).setNumRequested(100).build());
            if (!done.await(10, TimeUnit.MINUTES) || failed[0] != null || received[0] < events) {
                throw new IllegalStateException("the drain stopped at " + received[0] + " events", failed[0]);
            }
            double perSecond = events / ((System.nanoTime() - start) / 1e9);
            requests[0].onError(io.grpc.Status.CANCELLED.asRuntimeException());
            return perSecond;
        } finally {
            channel.shutdownNow();
            channel.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
