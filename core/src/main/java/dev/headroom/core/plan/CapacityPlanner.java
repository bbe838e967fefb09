package dev.headroom.core.plan;

import dev.headroom.core.Estimator;
import dev.headroom.core.DeploymentProfile;
import dev.headroom.core.Estimate;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.Engine;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.memory.MemoryEstimate;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.perf.PerfEstimate;
import dev.headroom.core.perf.PerfModel;
import dev.headroom.core.workload.Load;
import dev.headroom.core.workload.Target;
import dev.headroom.core.workload.Workload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Fewest GPUs (then cheapest) that meet a target: for each GPU and tensor-parallel degree whose replica
 * holds the model at the workload's context, find how much one replica sustains within the latency limits
 * (binary search on concurrency or request rate), then how many replicas the target needs.
 */
public final class CapacityPlanner {
    private static final int[] TP_DEGREES = {1, 2, 4, 8};
    /** More GPUs than any deployment has: an answer beyond this is no plan (and would overflow a count). */
    public static final int MAX_GPUS = 1 << 20;

    private CapacityPlanner() {}

    /**
     * @param template a template: its precisions and engine are kept; GPU, count and TP are searched.
     * @param sizeForContext sizes the engine for the workload (its max length) unless the user set one
     */
    public static List<PlanOption> plan(ModelProfile model, List<Gpu> gpus, Deployment template, Workload w, Target target,
                                        UnaryOperator<Engine> sizeForContext, Estimator estimator) {
        Workload one = w.withLoad(Load.batch(1));
        // GPUs are independent candidates: plan them in parallel.
        List<PlanOption> options = new ArrayList<>(gpus.parallelStream()
                .map(gpu -> bestFor(gpu, model, template, w, one, target, sizeForContext, estimator))
                .filter(java.util.Objects::nonNull).toList());
        options.sort(Comparator.comparing((PlanOption o) -> o.usdPerHour() == null ? Double.MAX_VALUE : o.usdPerHour())
                .thenComparingInt(PlanOption::gpus));
        return options;
    }

    /** The fewest GPUs of one type that meet the target, over TP 1-8; null when none does. */
    private static PlanOption bestFor(Gpu gpu, ModelProfile model, Deployment template, Workload w, Workload one, Target target,
                                      UnaryOperator<Engine> sizeForContext, Estimator estimator) {
            PlanOption best = null;
            for (int tp : TP_DEGREES) {
                if (tp > 1 && (!gpu.interconnect().links() || tp > gpu.interconnect().maxGpusPerNode())) {
                    break; // a single-chip system (Apple silicon) has no GPU-to-GPU link to split over
                }
                if (best != null && tp >= best.gpus()) {
                    break; // one replica at this TP already uses as many GPUs as the best answer
                }
                Deployment d = new Deployment(gpu, tp, tp, 1, 1, template.weights(), template.kv(), sizeForContext.apply(template.engine()));
                if (d.problemWith(model.spec()).isPresent() || w.contextTokens() > model.spec().maxPositions()) {
                    continue;
                }
                DeploymentProfile profile = estimator.compile(model, d);
                Estimate probe = profile.estimate(one);
                if (!probe.memory().fits() || profile.steps() == null) {
                    continue;
                }
                PlanOption o = target instanceof Target.Users u ? forUsers(profile, w, u) : forRate(profile, w, (Target.Rate) target);
                // A larger TP costs more GPUs per replica but may hold far more KV: keep the fewest GPUs in total.
                if (o != null && (best == null || o.gpus() < best.gpus())) {
                    best = o;
                }
            }
            return best;
    }

    private static PerfEstimate speed(DeploymentProfile p, Workload w, Load load) {
        Estimate e = p.estimate(w.withLoad(load));
        return e.perf();
    }

    private static PlanOption forUsers(DeploymentProfile profile, Workload w, Target.Users t) {
        double out = Math.max(1, w.outputTokens());
        double tpotLimit = t.latencySeconds() / out;
        MemoryEstimate memory = profile.memory(w.withLoad(Load.concurrency(1)));
        int lo = 0;
        // Users beyond what a replica runs at once would queue for a slot: never plan on that.
        int hi = (int) PerfModel.runningCapacity(memory);
        PerfEstimate best = null;
        while (lo < hi) {
            int mid = (lo + hi + 1) / 2;
            PerfEstimate p = speed(profile, w, Load.concurrency(mid));
            if (p != null && p.e2eLatencySeconds() != null && p.e2eLatencySeconds() <= t.latencySeconds() && p.tpotSeconds() <= tpotLimit) {
                lo = mid;
                best = p;
            } else {
                hi = mid - 1;
            }
        }
        if (lo == 0) {
            return null;
        }
        return option(profile, Math.ceil((double) t.users() / lo), lo, best);
    }

    private static PlanOption forRate(DeploymentProfile profile, Workload w, Target.Rate t) {
        PerfEstimate saturating = speed(profile, w, Load.saturating());
        if (saturating == null) {
            return null;
        }
        double lo = 0;
        double hi = saturating.outputTokensPerSecond() / Math.max(1, w.outputTokens());
        PerfEstimate best = null;
        // to 1/65,536 of the saturating rate: the replica count could change only for a target within that much of
        // a multiple of the per-replica rate
        for (int i = 0; i < 16; i++) {
            double mid = (lo + hi) / 2;
            PerfEstimate p = speed(profile, w, Load.rate(mid));
            if (p != null && p.ttftSeconds() != null && p.ttftSeconds() <= t.ttftSeconds() && p.tpotSeconds() <= t.tpotSeconds()) {
                lo = mid;
                best = p;
            } else {
                hi = mid;
            }
        }
        if (best == null) {
            return null;
        }
        return option(profile, Math.ceil(t.requestsPerSecond() / lo), lo, best);
    }

    /** Null when the replicas needed would exceed {@link #MAX_GPUS} GPUs: no deployment that large exists. */
    private static PlanOption option(DeploymentProfile profile, double replicasNeeded, double perReplica, PerfEstimate p) {
        Deployment d = profile.deployment();
        if (!(replicasNeeded * d.gpus() <= MAX_GPUS)) {
            return null;
        }
        int replicas = (int) replicasNeeded;
        Double perHour = profile.price() == null ? null : profile.price().onDemandUsdPerGpuHour() * d.gpus() * replicas;
        Double perMillion = perHour == null ? null : 1e6 * perHour / (3600 * p.outputTokensPerSecond() * replicas);
        return new PlanOption(d.gpu(), d.tp(), replicas, perReplica, p.tpotSeconds(), p.ttftSeconds(),
                p.outputTokensPerSecond() * replicas, perHour, perMillion);
    }
}
