package dev.headroom.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Tokens per second and latency of a deployment under a load, on the memory estimate's KV capacity.
 * Continuous batching is modelled as steps that decode every running sequence and mix in the prompts
 * of arriving requests; how many prompts land in one step is Poisson with mean running / output
 * tokens, and the step time is averaged over it (a step with two prompts is slower than two steps
 * with one each, so averaging the count first would under-state latency).
 */
public final class PerfModel {
    private PerfModel() {}

    /**
     * Requests one replica runs at once: its KV pool at average occupancy (prompt + half the output per
     * request), and the engine's own cap on running sequences.
     */
    public static double runningCapacity(MemoryEstimate memory) {
        Workload w = memory.workload();
        double avgContext = w.inputTokens() + Math.max(1, w.outputTokens()) / 2.0;
        return Math.min(Math.floor(memory.kvCacheTokens() / avgContext), memory.engineMaxSequences());
    }

    /** Whether at least one request of the workload's length fits in a replica's KV pool. */
    public static boolean admits(MemoryEstimate memory) {
        return runningCapacity(memory) >= 1;
    }

    /** With the calibrated efficiencies for the GPU, engine and weight format. */
    public static PerfEstimate estimate(MemoryEstimate memory, Load load) {
        return estimate(memory, load, UnaryOperator.identity());
    }

    /** @param tune adjusts the calibrated efficiencies, e.g. {@code e -> e.withMfuMax(0.45)} */
    public static PerfEstimate estimate(MemoryEstimate memory, Load load, UnaryOperator<Efficiency> tune) {
        Deployment d = memory.deployment();
        Workload w = memory.workload();
        String compute = StepModel.computePath(d.gpu(), memory.weights());
        Efficiency eff = tune.apply(Efficiency.defaultsFor(d.gpu(), d.engine(), memory.weights(), compute));
        Context c = new Context(memory, new StepModel(memory.model(), d, memory, eff), eff, compute,
                w.inputTokens(), Math.max(1, w.outputTokens()), new ArrayList<>());
        c.notes.add("efficiency: " + eff);
        c.notes.add(String.format(Locale.ROOT, "compute path: %s at %.1f dense TFLOP/s; matrix-vector products on the vector units",
                compute, d.gpu().peakFlops(compute).orElse(0) / 1e12));
        if (d.pp() > 1) {
            c.notes.add("pipeline: " + d.pp() + " stages with " + d.pp() + " micro-batches in flight; bubbles not modelled");
        }
        return switch (load.kind()) {
            case STATIC -> staticBatch(c, load);
            case CONCURRENCY -> closedLoop(c, load, load.value() / d.replicas());
            case MAX -> closedLoop(c, load, c.capacity());
            case RATE -> atRate(c, load);
        };
    }

    /** What every mode needs: the memory estimate, the step model and the workload's token counts. */
    private record Context(MemoryEstimate memory, StepModel steps, Efficiency eff, String compute, double in, double out,
                           List<String> notes) {
        Deployment d() {
            return memory.deployment();
        }

        double avgContext() {
            return in + out / 2;
        }

        double poolSequences() {
            return Math.floor(memory.kvCacheTokens() / avgContext());
        }

        double capacity() {
            double cap = runningCapacity(memory);
            if (cap < 1) {
                throw new InvalidInputException("no request of " + memory.workload().contextTokens() + " tokens fits: "
                        + memory.verdict());
            }
            return cap;
        }

        /** Expected step time with {@code running} decodes and Poisson(running / out) prompts mixed in. */
        double mixedStep(double running) {
            double mean = running / out;
            if (mean > 40) {
                return steps.step(running, avgContext(), mean * in, in).total();
            }
            double expected = 0;
            double p = Math.exp(-mean);
            double mass = 0;
            for (int k = 0; k <= mean + 8 * Math.sqrt(mean) + 12; k++) {
                expected += p * steps.step(running, avgContext(), k * in, in).total();
                mass += p;
                p *= mean / (k + 1);
            }
            return expected / mass;
        }

        /** Output tokens per second of one replica running {@code n} requests in a closed loop. */
        double replicaRate(double n) {
            if (n <= 0) {
                return 0;
            }
            double step = mixedStep(n);
            return n * out / (firstToken(n, step) + (out - 1) * d().pp() * step);
        }

        /** What one prompt adds to a step of {@code running} decodes. */
        double prefillIncrement(double running) {
            return steps.step(running, avgContext(), in, in).total() - steps.step(running, avgContext(), 0, 0).total();
        }

        /** Arrival: the API server's overhead, half a step to the boundary, then one step lengthened by the prompt. */
        double firstToken(double running, double step) {
            return eff.requestOverheadSeconds() + d().pp() * (step / 2 + step + prefillIncrement(running));
        }

        /** TTFT at a request rate: arrival, the prompt's step, and M/D/1 waiting behind other prompts. */
        double ttftAtRate(double rate, double running, double step) {
            double service = prefillIncrement(running);
            double rho = Math.min(0.99, rate * service);
            return firstToken(running, step) + rho * service / (2 * (1 - rho));
        }

        /** Requests in the system at a rate when {@code running} are in flight: rate x (TTFT + decode time). */
        double inSystem(double rate, double running) {
            double step = mixedStep(running);
            return rate * (ttftAtRate(rate, running, step) + (out - 1) * d().pp() * step);
        }

        String bottleneck(double running) {
            return steps.step(running, avgContext(), running * in / out, in).bottleneck();
        }

        double prefillShare(double running, double step) {
            return 1 - steps.step(running, avgContext(), 0, 0).total() / step;
        }

        PerfEstimate result(Load load, Double ttft, double tpot, double outputRate, double concurrency, String bottleneck,
                            double prefillShare) {
            Double e2e = ttft == null ? null : ttft + (out - 1) * tpot;
            return new PerfEstimate(load, ttft, tpot, e2e, outputRate, outputRate / d().gpus(), outputRate * (1 + in / out),
                    concurrency, bottleneck, compute, Math.max(0, Math.min(1, prefillShare)), eff, notes);
        }
    }

    /**
     * One batch prefilled together, then decoded together to the end. Sequences are whole: the busiest
     * replica runs ceil(batch / replicas) of them, and sets the time.
     */
    private static PerfEstimate staticBatch(Context c, Load load) {
        double batch = Math.ceil(load.value() / c.d().replicas());
        StepModel.StepTime prefill = c.steps.step(0, 0, batch * c.in, c.in);
        StepModel.StepTime decode = c.steps.step(batch, c.avgContext(), 0, 0);
        double ttft = c.eff.requestOverheadSeconds() + c.d().pp() * prefill.total();
        double tpot = c.d().pp() * decode.total();
        double e2e = ttft + (c.out - 1) * tpot;
        String bottleneck = batch > c.poolSequences() ? "KV capacity" : decode.bottleneck();
        return c.result(load, ttft, tpot, load.value() * c.out / e2e, load.value(), bottleneck, ttft / e2e);
    }

    /**
     * N requests in a closed loop; beyond capacity the rest wait in the engine's queue. Sequences are
     * whole: some replicas run ceil(N / replicas), the others floor; latency is the busiest one's. Each
     * running request holds its slot for its whole time in the system, so a replica running n delivers
     * n x output tokens per end-to-end latency.
     */
    private static PerfEstimate closedLoop(Context c, Load load, double perReplica) {
        double capacity = c.capacity();
        int replicas = c.d().replicas();
        double total = load.kind() == Load.Kind.MAX ? capacity * replicas : Math.min(load.value(), capacity * replicas);
        double low = Math.floor(total / replicas);
        double high = Math.ceil(total / replicas);
        double busier = Math.round(total - low * replicas); // replicas that run one more
        double running = high;
        double waiting = Math.max(0, Math.ceil(perReplica) - running);
        if (load.kind() == Load.Kind.MAX) {
            c.notes.add(String.format(Locale.ROOT, "saturating concurrency per replica: %.0f (KV pool %,d tokens at %.0f tokens "
                    + "per running request; engine cap %d)", running, c.memory.kvCacheTokens(), c.avgContext(), c.memory.engineMaxSequences()));
        }
        double step = c.mixedStep(running);
        double tpot = c.d().pp() * step;
        double ttftRunning = c.firstToken(running, step);
        // Each waiting request waits for a running one to finish.
        double ttft = ttftRunning + waiting / running * (ttftRunning + (c.out - 1) * tpot);
        String bottleneck = c.bottleneck(running);
        if (waiting > 0 || load.kind() == Load.Kind.MAX) {
            // Admission, not the step, limits: either the KV pool or the engine's own cap on running sequences.
            bottleneck = c.poolSequences() < c.memory.engineMaxSequences() ? "KV capacity" : "engine max sequences";
        }
        double outputRate = busier * c.replicaRate(high) + (replicas - busier) * c.replicaRate(low);
        return c.result(load, ttft, tpot, outputRate, load.kind() == Load.Kind.MAX ? total : load.value(), bottleneck,
                c.prefillShare(running, step));
    }

    /**
     * Poisson arrivals: requests in flight from Little's law (L = rate x time in system, a fixed point),
     * TTFT with M/D/1 queueing for prompts. When even a full replica cannot hold rate x time in system,
     * requests queue for a slot without bound: overloaded.
     */
    private static PerfEstimate atRate(Context c, Load load) {
        double capacity = c.capacity();
        double rate = load.value() / c.d().replicas();
        // The closed loop at full capacity is the most a replica serves (what Load.max reports).
        double fullStep = c.mixedStep(capacity);
        double fullE2e = c.firstToken(capacity, fullStep) + (c.out - 1) * c.d().pp() * fullStep;
        double saturating = capacity / fullE2e;
        if (rate >= saturating || c.inSystem(rate, capacity) > capacity) {
            c.notes.add(String.format(Locale.ROOT, "overloaded: %.2f requests/s per replica exceed the %.2f that %.0f slots "
                    + "serve; the queue grows without bound", rate, saturating, capacity));
            return c.result(load, null, c.d().pp() * fullStep, capacity * c.out / fullE2e * c.d().replicas(),
                    capacity * c.d().replicas(), "overloaded", c.prefillShare(capacity, fullStep));
        }
        // Little's law: the smallest n with n = rate x time in system(n), by bisection (the map need not contract).
        double lo = 0;
        double hi = capacity;
        for (int i = 0; i < 100; i++) {
            double mid = (lo + hi) / 2;
            if (c.inSystem(rate, mid) > mid) lo = mid; else hi = mid;
        }
        double running = hi;
        double step = c.mixedStep(running);
        double ttft = c.ttftAtRate(rate, running, step);
        c.notes.add(String.format(Locale.ROOT, "Little's law: %.1f requests in flight per replica at %.2f requests/s", running, rate));
        return c.result(load, ttft, c.d().pp() * step, rate * c.out * c.d().replicas(), running * c.d().replicas(),
                c.bottleneck(running), c.prefillShare(running, step));
    }
}
