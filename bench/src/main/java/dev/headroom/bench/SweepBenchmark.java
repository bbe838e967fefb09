package dev.headroom.bench;

import dev.headroom.dsl.Scenario;
import dev.headroom.dsl.Sizing;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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

/**
 * A 1,000,000-row sweep (100 batches x 100 prompts x 100 outputs) into a Tablesaw table, on all cores, under the
 * notebook kernel's heap (-Xmx2g); and a notebook-sized 1,000-row sweep.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10) // single shots: the first few run while the JIT still compiles the estimator on both cores
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@State(Scope.Benchmark)
public class SweepBenchmark {
    private Scenario scenario;
    private int[] batches;
    private int[] prompts;
    private int[] outputs;

    @Setup
    public void setup() {
        scenario = Sizing.model("llama-3.1-70b").on("h100-sxm").gpus(4).maxLength(32768);
        batches = IntStream.rangeClosed(1, 100).toArray();
        prompts = IntStream.rangeClosed(1, 100).map(i -> 128 * i).toArray();
        outputs = IntStream.rangeClosed(1, 100).map(i -> 32 * i).toArray();
    }

    @Benchmark
    public Table sweepMillionRows() {
        return scenario.sweep().batch(batches).input(prompts).output(outputs).table();
    }

    @Benchmark
    public Table sweepThousandRows() {
        return scenario.sweep().batch(IntStream.rangeClosed(1, 10).toArray()).input(1024, 2048, 4096, 8192, 16384)
                .output(128, 256, 512, 1024, 2048, 4096, 8192, 12288, 14336, 16000, 1, 64, 2, 3, 4, 5, 6, 7, 8, 9).table();
    }
}
