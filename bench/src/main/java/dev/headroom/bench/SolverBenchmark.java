package dev.headroom.bench;

import dev.headroom.dsl.Scenario;
import dev.headroom.dsl.Sizing;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tech.tablesaw.api.Table;

/** Each solver once per call: largest batch, longest context, fewest GPUs, cheapest GPUs, plans for users and for a rate. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@State(Scope.Benchmark)
public class SolverBenchmark {
    private Scenario llama70b;
    private Scenario llama8b;

    @Setup
    public void setup() {
        llama70b = Sizing.model("llama-3.1-70b").on("h100-sxm").gpus(4).input(2048).output(512).batch(32);
        llama8b = Sizing.model("llama-3.1-8b").on("h100-sxm").input(1024).output(256);
    }

    @Benchmark
    public int largestBatch() {
        return llama70b.largestBatch();
    }

    @Benchmark
    public int longestContext() {
        return llama70b.longestContext();
    }

    @Benchmark
    public Scenario fewestGpus() {
        return llama70b.fewestGpus();
    }

    @Benchmark
    public Table cheapestGpus() {
        return llama70b.cheapestGpus();
    }

    @Benchmark
    public Table planForUsers() {
        return llama8b.planForUsers(200, 20);
    }

    @Benchmark
    public Table planForRate() {
        return llama8b.planForRate(10, 500, 50);
    }
}
