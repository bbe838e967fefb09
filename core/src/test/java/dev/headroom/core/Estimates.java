package dev.headroom.core;

import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.cost.CostOptions;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.memory.MemoryEstimate;
import dev.headroom.core.memory.MemoryModel;
import dev.headroom.core.perf.Calibration;
import dev.headroom.core.perf.Efficiency;
import dev.headroom.core.perf.PerfEstimate;
import dev.headroom.core.workload.Load;
import dev.headroom.core.workload.Workload;
import java.util.function.UnaryOperator;

/** Test helper: one estimate of a catalog model, compiled the way the DSL and CLI compile it. */
public final class Estimates {
    private Estimates() {}

    public static MemoryEstimate memory(String model, Deployment d, Workload w) {
        return MemoryModel.estimate(Catalog.profile(model), d, w);
    }

    public static Estimate full(String model, Deployment d, Workload w) {
        return full(model, d, w, UnaryOperator.identity(), CostOptions.defaults());
    }

    public static Estimate full(String model, Deployment d, Workload w, UnaryOperator<Efficiency> tune, CostOptions costs) {
        return new Estimator(Calibration.DEFAULT, tune, costs, Catalog.prices()).compile(Catalog.profile(model), d).estimate(w);
    }

    /** Speed of a memory estimate's deployment and workload under {@code load}; null when that configuration does not fit. */
    public static PerfEstimate perfOrNull(MemoryEstimate memory, Load load, UnaryOperator<Efficiency> tune) {
        return new Estimator(Calibration.DEFAULT, tune, CostOptions.defaults(), Catalog.prices())
                .compile(memory.profile().model(), memory.deployment()).estimate(memory.workload().withLoad(load)).perf();
    }

    /** The same; fails the test when the configuration has no speed. */
    public static PerfEstimate perf(MemoryEstimate memory, Load load, UnaryOperator<Efficiency> tune) {
        PerfEstimate p = perfOrNull(memory, load, tune);
        if (p == null) {
            throw new AssertionError("no speed for " + memory.workload() + ": " + memory.verdict());
        }
        return p;
    }

    public static PerfEstimate perf(MemoryEstimate memory, Load load) {
        return perf(memory, load, UnaryOperator.identity());
    }

    /** Speed of a workload under a load; fails the test when the configuration has none. */
    public static PerfEstimate perf(String model, Deployment d, Workload w, Load load) {
        Estimate e = full(model, d, w.withLoad(load));
        if (e.perf() == null) {
            throw new AssertionError("no speed: " + e.unavailable());
        }
        return e.perf();
    }
}
