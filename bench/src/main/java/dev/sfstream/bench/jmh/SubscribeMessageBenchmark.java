package dev.sfstream.bench.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.ChannelName;
import dev.sfstream.internal.Json;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Building and writing a subscribe message with its replay map, as the session does for each (re)subscription. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SubscribeMessageBenchmark {
    private long id;

    @Benchmark
    public byte[] subscribe() throws IOException {
        ChannelName channel = ChannelName.of("/topic/LeadCreation?Company='Acme'");
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("channel", "/meta/subscribe");
        m.put("id", Long.toString(++id));
        m.put("clientId", "1cyu4thyxh3fgv1nqwcvebt3o9x");
        m.put("subscription", channel.value());
        m.putObject("ext").putObject("replay").put(channel.base(), 4817264L);
        return Json.MAPPER.writeValueAsBytes(Json.MAPPER.createArrayNode().add(m));
    }
}
