package dev.headroom.bench;

import dev.headroom.core.Catalog;
import dev.headroom.core.Deployment;
import dev.headroom.core.Estimate;
import dev.headroom.core.Load;
import dev.headroom.core.MemoryEstimate;
import dev.headroom.core.MemoryModel;
import dev.headroom.core.ModelSpec;
import dev.headroom.core.CostOptions;
import dev.headroom.core.Workload;
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

/**
 * How long the estimator takes: a single memory estimate (the per-tensor inventory dominates), a full
 * estimate with speed and cost under saturating load, and a notebook-sized 96-point sweep into a table.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class EstimatorBenchmark {
    private ModelSpec llama70b;
    private ModelSpec deepseek;
    private Deployment fourH100;
    private Workload chat;
    private Scenario scenario;

    @Setup
    public void setup() {
        llama70b = Catalog.model("llama-3.1-70b");
        deepseek = Catalog.model("deepseek-v3");
        fourH100 = Deployment.on(Catalog.gpu("h100-sxm")).withGpus(4).withTp(4);
        chat = Workload.of(32, 2048, 512);
        scenario = Sizing.model("llama-3.1-8b").on("h100-sxm").maxLength(8192).input(1024).output(256);
    }

    @Benchmark
    public MemoryEstimate memoryLlama70b() {
        return MemoryModel.estimate(llama70b, fourH100, chat);
    }

    @Benchmark
    public MemoryEstimate memoryDeepSeekV3() {
        return MemoryModel.estimate(deepseek, Deployment.on(Catalog.gpu("h200")).withGpus(8).withTp(8), chat);
    }

    @Benchmark
    public Estimate fullEstimateAtMaxThroughput() {
        return Estimate.of(llama70b, fourH100, chat, Load.max(), java.util.function.UnaryOperator.identity(), CostOptions.defaults());
    }

    @Benchmark
    public Table sweep96Points() {
        return scenario.sweep().gpu("h100-sxm", "h200", "a100-80gb").kv("bf16", "fp8")
                .concurrency(1, 2, 4, 8, 16, 32, 64, 128, 256, 384, 512, 1024).weights("bf16", "fp8").table();
    }
}
