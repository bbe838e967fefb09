package dev.headroom.core;

import dev.headroom.core.cost.ApiPrice;
import dev.headroom.core.cost.CostModel;
import dev.headroom.core.cost.CostOptions;
import dev.headroom.core.cost.GpuPrice;
import dev.headroom.core.cost.PriceBook;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.memory.MemoryEstimate;
import dev.headroom.core.memory.MemoryModel;
import dev.headroom.core.memory.MemoryProfile;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.perf.Calibration;
import dev.headroom.core.perf.Efficiency;
import dev.headroom.core.perf.Intervals;
import dev.headroom.core.perf.PerfEstimate;
import dev.headroom.core.perf.PerfModel;
import dev.headroom.core.perf.StepModel;
import dev.headroom.core.precision.ComputeType;
import dev.headroom.core.workload.Workload;
import java.util.OptionalDouble;
import java.util.function.UnaryOperator;

/**
 * One deployment compiled once: its memory profile (weights per stage, the engine's pools), its step model
 * (speed constants) and its resolved prices. {@link #estimate} is arithmetic over these, so a sweep over
 * batches, prompts and outputs costs nanoseconds a row.
 */
public final class DeploymentProfile {
    private final MemoryProfile memory;
    private final StepModel steps;
    private final CostOptions costs;
    private final GpuPrice price;
    private final ApiPrice api;
    private final Intervals intervals;

    private DeploymentProfile(MemoryProfile memory, StepModel steps, CostOptions costs, GpuPrice price, ApiPrice api,
                              Intervals intervals) {
        this.memory = memory;
        this.steps = steps;
        this.intervals = intervals;
        this.costs = costs;
        this.price = price;
        this.api = api;
    }

    /**
     * @param tune adjusts the calibrated efficiencies, e.g. {@code e -> e.withMfuMax(0.45)}
     */
    public static DeploymentProfile compile(ModelProfile model, Deployment d, Calibration calibration,
                                            UnaryOperator<Efficiency> tune, CostOptions costs, PriceBook prices) {
        MemoryProfile memory = MemoryModel.compile(model.requireTokenCache(), d);
        GpuPrice price = CostModel.price(d.gpu().id(), costs, prices).orElse(null);
        ApiPrice api = CostModel.api(model.id(), costs, prices).orElse(null);
        return new DeploymentProfile(memory, steps(memory, calibration, tune), costs, price, api,
                Intervals.of(calibration, d.engine(), d.gpu()));
    }

    /** The step model under a calibration; null when the GPU lists no FLOP/s for the weights' compute path. */
    private static StepModel steps(MemoryProfile memory, Calibration calibration, UnaryOperator<Efficiency> tune) {
        Deployment d = memory.deployment();
        if (!hasTensorPath(d, memory)) {
            return null;
        }
        ComputeType compute = d.engine().computePath(d.gpu(), memory.weights());
        Efficiency eff = tune.apply(Efficiency.of(calibration, d.gpu(), d.engine(), memory.weights(), compute));
        return new StepModel(memory, eff, calibration.global(dev.headroom.core.perf.Parameter.GEMV_EFFICIENCY));
    }

    /** The same deployment under another calibration: memory is not recompiled (the calibrate command's inner loop). */
    public DeploymentProfile recalibrated(Calibration calibration) {
        return new DeploymentProfile(memory, steps(memory, calibration, UnaryOperator.identity()), costs, price, api,
                Intervals.of(calibration, memory.deployment().engine(), memory.deployment().gpu()));
    }

    private static boolean hasTensorPath(Deployment d, MemoryProfile memory) {
        for (ComputeType c : memory.weights().compute().fallbacks()) {
            OptionalDouble peak = d.gpu().peakFlops(c);
            if (peak.isPresent()) {
                return true;
            }
        }
        return false;
    }

    public MemoryProfile memoryProfile() {
        return memory;
    }

    public Deployment deployment() {
        return memory.deployment();
    }

    public ModelProfile model() {
        return memory.model();
    }

    /** The step model; null when the GPU lists no FLOP/s for the weights' compute path (speed unavailable). */
    public StepModel steps() {
        return steps;
    }

    public CostOptions costs() {
        return costs;
    }

    /** The price in effect; null when neither the user nor the catalog gives one. */
    public GpuPrice price() {
        return price;
    }

    public MemoryEstimate memory(Workload w) {
        return MemoryModel.estimate(memory, w);
    }

    /** Memory, then speed (when it fits and the GPU lists FLOP/s), then cost (when a price is known). */
    public Estimate estimate(Workload w) {
        MemoryEstimate m = MemoryModel.estimate(memory, w);
        if (!m.fits()) {
            return new Estimate(m, null, null, Estimate.Unavailable.DOES_NOT_FIT);
        }
        if (steps == null) {
            return new Estimate(m, null, null, Estimate.Unavailable.NO_FLOPS);
        }
        PerfEstimate perf = PerfModel.estimate(m, steps, intervals);
        if (price == null) {
            return new Estimate(m, perf, null, costs.spot() ? Estimate.Unavailable.NO_SPOT_PRICE : Estimate.Unavailable.NO_PRICE);
        }
        return new Estimate(m, perf, CostModel.estimate(m, perf, costs, price, api), Estimate.Unavailable.NONE);
    }
}
