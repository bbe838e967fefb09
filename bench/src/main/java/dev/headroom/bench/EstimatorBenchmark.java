package dev.headroom.bench;

import dev.headroom.core.Estimator;
import dev.headroom.core.DeploymentProfile;
import dev.headroom.core.Estimate;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.memory.MemoryEstimate;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.perf.Calibration;
import dev.headroom.core.workload.Workload;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Estimates per second on one core: Llama-3.1-70B on 4 x H100 under vLLM, compiled once, then a memory estimate
 * and a full estimate (memory, speed, cost) per call, a static batch of 32 at 2048 + 512 tokens. Run under the
 * notebook kernel's heap (-Xmx2g) with enough warm-up to settle on 2 cores.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Threads(1)
@State(Scope.Benchmark)
public class EstimatorBenchmark {
    private DeploymentProfile llama70bOn4H100;
    private Workload chat;
    private Workload[] workloads;
    private int next;

    @Setup
    public void setup() {
        ModelProfile llama = Catalog.profile("llama-3.1-70b");
        Deployment d = Deployment.on(Catalog.gpu("h100-sxm")).withGpus(4).withTp(4);
        llama70bOn4H100 = new Estimator(Calibration.DEFAULT, null, null, Catalog.prices()).compile(llama, d);
        chat = Workload.of(32, 2048, 512);
        // Varying workloads so the JIT cannot fold the arithmetic away.
        workloads = new Workload[64];
        for (int i = 0; i < workloads.length; i++) {
            workloads[i] = Workload.of(1 + i % 32, 1024 + 16 * i, 128 + 4 * i);
        }
    }

    private Workload nextWorkload() {
        next = (next + 1) & 63;
        return workloads[next];
    }

    @Benchmark
    public MemoryEstimate memoryEstimate() {
        return llama70bOn4H100.memory(nextWorkload());
    }

    @Benchmark
    public Estimate fullEstimate() {
        return llama70bOn4H100.estimate(nextWorkload());
    }

    @Benchmark
    public Estimate fullEstimateChat() {
        return llama70bOn4H100.estimate(chat);
    }
}
