package dev.sfstream.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.StreamingEvent;
import dev.sfstream.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** Decoding a connect response of 1,000 platform events into StreamingEvents, as the client does. Per event. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecodeBenchmark {
    private static final int EVENTS = 1000;
    private byte[] body;

    @Setup
    public void setUp() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < EVENTS; i++) {
            sb.append("{\"channel\":\"/event/Order__e\",\"data\":{\"schema\":\"dffQ2QLzDNHqwB8_sHMxdA\",\"payload\":{"
                    + "\"CreatedDate\":\"2026-11-23T10:00:00.000Z\",\"CreatedById\":\"005D0000001cSZs\","
                    + "\"Order_Number__c\":\"").append(i).append("\",\"Amount__c\":").append(i * 1.5)
                    .append("},\"event\":{\"EventUuid\":\"2ec0e371-1395-457f-9275-be1b527a72f7\",\"replayId\":")
                    .append(1000 + i).append("}}},");
        }
        sb.append("{\"channel\":\"/meta/connect\",\"clientId\":\"abc\",\"successful\":true}]");
        body = sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void decode(Blackhole bh) throws IOException {
        JsonNode root = Json.MAPPER.readTree(body);
        Instant now = Instant.now();
        for (JsonNode m : root) {
            if (!m.path("channel").asText().startsWith("/meta/")) {
                StreamingEvent e = StreamingEvent.of((ObjectNode) m, now);
                bh.consume(e.replayId());
                bh.consume(e.createdDate());
            }
        }
    }
}
