package dev.sfstream.bench.jmh;

import dev.sfstream.soql.CompiledQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

/**
 * A compiled three-condition WHERE evaluated over records, as the emulator does for every record change and every
 * active PushTopic. Target: 1M records/s or more on one core. Records are case-insensitive maps, as stored.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SoqlMatchBenchmark {
    private static final int RECORDS = 1024;
    private CompiledQuery query;
    private final List<Map<String, Object>> records = new ArrayList<>();

    @Setup
    public void setUp() {
        query = CompiledQuery.compile("SELECT Id, Name FROM Account WHERE Industry = 'Energy' AND "
                + "NumberOfEmployees > 100 AND BillingCity IN ('Paris', 'Berlin', 'Lisbon')");
        String[] industries = {"Energy", "Banking", "Retail"};
        String[] cities = {"Paris", "Berlin", "Rome", "Lisbon"};
        for (int i = 0; i < RECORDS; i++) {
            Map<String, Object> r = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            r.put("Id", "001000000000" + String.format("%03d", i) + "AAA");
            r.put("Name", "Account " + i);
            r.put("Industry", industries[i % 3]);
            r.put("NumberOfEmployees", (i * 37) % 500);
            r.put("BillingCity", cities[i % 4]);
            records.add(r);
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void match(Blackhole bh) {
        for (Map<String, Object> r : records) {
            bh.consume(query.matches(r));
        }
    }
}
