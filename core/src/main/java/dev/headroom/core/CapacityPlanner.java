package dev.headroom.core;

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

    private CapacityPlanner() {}

    /**
     * @param deployment a template: its precisions and engine are kept; GPU, count and TP are searched.
     *                   Without an explicit max length, the engine is sized for the workload's context.
     */
    public static List<PlanOption> plan(ModelSpec model, List<Gpu> gpus, Deployment deployment, Workload w, Target target,
                                        UnaryOperator<Engine> sizeForContext) {
        List<PlanOption> options = new ArrayList<>();
        for (Gpu gpu : gpus) {
            PlanOption best = null;
            for (int tp : TP_DEGREES) {
                if (tp > 1 && gpu.interconnect() == null) {
                    break; // a single-chip system (Apple silicon) has no GPU-to-GPU link to split over
                }
                Deployment d = new Deployment(gpu, tp, tp, 1, 1, deployment.weights(), deployment.kv(),
                        sizeForContext.apply(deployment.engine()));
                try {
                    d.validateFor(model);
                    MemoryEstimate memory = MemoryModel.estimate(model, d, w.withBatch(1));
                    if (!memory.fits()) {
                        continue;
                    }
                    PlanOption o = target.kind() == Target.Kind.USERS ? forUsers(memory, target) : forRate(memory, target);
                    // A larger TP costs more GPUs per replica but may hold far more KV: keep the fewest GPUs in total.
                    if (o != null && (best == null || o.gpus() < best.gpus())) {
                        best = o;
                    }
                } catch (InvalidInputException notThisWay) {
                    // e.g. tp does not divide the heads: not a candidate
                }
            }
            if (best != null) {
                options.add(best);
            }
        }
        options.sort(Comparator.comparing((PlanOption o) -> o.usdPerHour() == null ? Double.MAX_VALUE : o.usdPerHour())
                .thenComparingInt(PlanOption::gpus));
        return options;
    }

    private static PlanOption forUsers(MemoryEstimate memory, Target t) {
        double out = Math.max(1, memory.workload().outputTokens());
        double tpotLimit = t.latencySeconds() / out;
        int lo = 0;
        // Users beyond what a replica runs at once would queue for a slot: never plan on that.
        int hi = (int) PerfModel.runningCapacity(memory);
        PerfEstimate best = null;
        while (lo < hi) {
            int mid = (lo + hi + 1) / 2;
            PerfEstimate p = PerfModel.estimate(memory, Load.concurrency(mid));
            if (p.e2eLatencySeconds() != null && p.e2eLatencySeconds() <= t.latencySeconds() && p.tpotSeconds() <= tpotLimit) {
                lo = mid;
                best = p;
            } else {
                hi = mid - 1;
            }
        }
        if (lo == 0) {
            return null;
        }
        int replicas = (int) Math.ceil(t.users() / lo);
        return option(memory, replicas, lo, best);
    }

    private static PlanOption forRate(MemoryEstimate memory, Target t) {
        double lo = 0;
        double hi = PerfModel.estimate(memory, Load.max()).outputTokensPerSecond()
                / Math.max(1, memory.workload().outputTokens());
        PerfEstimate best = null;
        for (int i = 0; i < 40; i++) {
            double mid = (lo + hi) / 2;
            PerfEstimate p = PerfModel.estimate(memory, Load.rate(mid));
            if (p.ttftSeconds() != null && p.ttftSeconds() <= t.ttftSeconds() && p.tpotSeconds() <= t.tpotSeconds()) {
                lo = mid;
                best = p;
            } else {
                hi = mid;
            }
        }
        if (best == null) {
            return null;
        }
        int replicas = (int) Math.ceil(t.requestsPerSecond() / lo);
        return option(memory, replicas, lo, best);
    }

    private static PlanOption option(MemoryEstimate memory, int replicas, double perReplica, PerfEstimate p) {
        Deployment d = memory.deployment();
        Double perHour = Prices.cheapestOnDemand(d.gpu().id()).map(price -> price.onDemandUsdPerGpuHour() * d.gpus() * replicas).orElse(null);
        Double perMillion = perHour == null ? null : 1e6 * perHour / (3600 * p.outputTokensPerSecond() * replicas);
        return new PlanOption(d.gpu(), d.tp(), replicas, perReplica, p.tpotSeconds(), p.ttftSeconds(),
                p.outputTokensPerSecond() * replicas, perHour, perMillion);
    }
}
