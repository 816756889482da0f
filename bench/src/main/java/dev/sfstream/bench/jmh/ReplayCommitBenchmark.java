package dev.sfstream.bench.jmh;

import dev.sfstream.replay.FileReplayStore;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayStore;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** A replay commit (a put) on the file store with group commit and on the in-memory store. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReplayCommitBenchmark {
    private ReplayStore file;
    private ReplayStore memory;
    private final Instant created = Instant.now();
    private long id;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        file = FileReplayStore.builder(Files.createTempDirectory("jmh").resolve("replay.json")).build();
        memory = ReplayStore.inMemory();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        file.close();
    }

    @Benchmark
    public boolean fileStore() {
        return file.put("ns", "/topic/A", new ReplayMarker(++id, created));
    }

    @Benchmark
    public boolean inMemory() {
        return memory.put("ns", "/topic/A", new ReplayMarker(++id, created));
    }
}
