package dev.headroom.core.perf;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.memory.MemoryEstimate;
import dev.headroom.core.workload.Load;
import dev.headroom.core.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

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

    /** Speed of a deployment whose memory fits the workload (a configuration that does not fit has no speed). */
    public static PerfEstimate estimate(MemoryEstimate memory, StepModel steps) {
        if (!memory.fits()) {
            throw new InvalidInputException("no speed for a configuration that does not fit: " + memory.verdict());
        }
        Workload w = memory.workload();
        Load load = w.load();
        Context c = new Context(memory, steps, steps.efficiency(), w.inputTokens(), Math.max(1, w.outputTokens()));
        if (load instanceof Load.Static s) {
            return staticBatch(c, s);
        }
        if (load instanceof Load.Closed closed) {
            return closedLoop(c, load, closed.concurrency() / (double) c.d().replicas(), closed.concurrency());
        }
        if (load instanceof Load.Saturating) {
            return closedLoop(c, load, c.capacity(), Double.NaN);
        }
        if (load instanceof Load.Rate r) {
            return atRate(c, r);
        }
        throw new IllegalStateException("unknown load " + load);
    }

    /** What every mode needs: the memory estimate, the step model and the workload's token counts. */
    private record Context(MemoryEstimate memory, StepModel steps, Efficiency eff, double in, double out) {
        Deployment d() {
            return memory.deployment();
        }

        int pp() {
            return memory.deployment().pp();
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
                return steps.seconds(running, avgContext(), mean * in, in);
            }
            double expected = 0;
            double p = Math.exp(-mean);
            double mass = 0;
            for (int k = 0; k <= mean + 8 * Math.sqrt(mean) + 12; k++) {
                expected += p * steps.seconds(running, avgContext(), k * in, in);
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
            return n * out / (firstToken(n, step) + (out - 1) * pp() * step);
        }

        /** What one prompt adds to a step of {@code running} decodes. */
        double prefillIncrement(double running) {
            return steps.seconds(running, avgContext(), in, in) - steps.seconds(running, avgContext(), 0, 0);
        }

        /** Arrival: the API server's overhead, half a step to the boundary, then one step lengthened by the prompt. */
        double firstToken(double running, double step) {
            return eff.requestOverheadSeconds() + pp() * (step / 2 + step + prefillIncrement(running));
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
            return rate * (ttftAtRate(rate, running, step) + (out - 1) * pp() * step);
        }

        Bottleneck bottleneck(double running) {
            return steps.step(running, avgContext(), running * in / out, in).bottleneck();
        }

        double prefillShare(double running, double step) {
            return 1 - steps.seconds(running, avgContext(), 0, 0) / step;
        }

        /** @param ttft NaN when requests queue without bound */
        PerfEstimate result(Load load, double ttft, double tpot, double outputRate, double concurrency, Bottleneck bottleneck,
                            double prefillShare, Supplier<List<String>> extra) {
            double e2e = ttft + (out - 1) * tpot; // NaN stays NaN: unbounded
            Efficiency e = eff;
            StepModel s = steps;
            return new PerfEstimate(load, ttft, tpot, e2e, outputRate, outputRate / d().gpus(), outputRate * (1 + in / out),
                    concurrency, bottleneck, steps.computeType(), Math.max(0, Math.min(1, prefillShare)), eff,
                    () -> notes(e, s, extra.get()));
        }

        List<String> notes(Efficiency e, StepModel s, List<String> extra) {
            List<String> all = new ArrayList<>();
            all.add("efficiency: " + e);
            all.add(String.format(Locale.ROOT, "compute path: %s at %.1f dense TFLOP/s; matrix-vector products on the vector units",
                    s.computeType().key(), d().gpu().peakFlops(s.computeType()).orElse(0) / 1e12));
            if (pp() > 1) {
                all.add("pipeline: " + pp() + " stages with " + pp() + " micro-batches in flight; bubbles not modelled");
            }
            all.addAll(extra);
            return all;
        }
    }

    /**
     * One batch prefilled together, then decoded together to the end. Sequences are whole: the busiest
     * replica runs ceil(batch / replicas) of them, and sets the time.
     */
    private static PerfEstimate staticBatch(Context c, Load.Static load) {
        double batch = Math.ceil((double) load.batch() / c.d().replicas());
        StepModel.StepTime prefill = c.steps.step(0, 0, batch * c.in, c.in);
        StepModel.StepTime decode = c.steps.step(batch, c.avgContext(), 0, 0);
        double ttft = c.eff.requestOverheadSeconds() + c.pp() * prefill.total();
        double tpot = c.pp() * decode.total();
        double e2e = ttft + (c.out - 1) * tpot;
        Bottleneck bottleneck = batch > c.poolSequences() ? Bottleneck.KV_CAPACITY : decode.bottleneck();
        return c.result(load, ttft, tpot, load.batch() * c.out / e2e, load.batch(), bottleneck, ttft / e2e, List::of);
    }

    /**
     * N requests in a closed loop; beyond capacity the rest wait in the engine's queue. Sequences are
     * whole: some replicas run ceil(N / replicas), the others floor; latency is the busiest one's. Each
     * running request holds its slot for its whole time in the system, so a replica running n delivers
     * n x output tokens per end-to-end latency.
     *
     * @param asked the closed loop's concurrency; NaN for the saturating load
     */
    private static PerfEstimate closedLoop(Context c, Load load, double perReplica, double asked) {
        double capacity = c.capacity();
        int replicas = c.d().replicas();
        boolean saturating = Double.isNaN(asked);
        double total = saturating ? capacity * replicas : Math.min(asked, capacity * replicas);
        double low = Math.floor(total / replicas);
        double high = Math.ceil(total / replicas);
        double busier = Math.round(total - low * replicas); // replicas that run one more
        double running = high;
        double waiting = Math.max(0, Math.ceil(perReplica) - running);
        Supplier<List<String>> notes = !saturating ? List::of : () -> List.of(String.format(Locale.ROOT,
                "saturating concurrency per replica: %.0f (KV pool %,d tokens at %.0f tokens per running request; engine cap %d)",
                running, c.memory.kvCacheTokens(), c.avgContext(), c.memory.engineMaxSequences()));
        double step = c.mixedStep(running);
        double tpot = c.pp() * step;
        double ttftRunning = c.firstToken(running, step);
        // Each waiting request waits for a running one to finish.
        double ttft = ttftRunning + waiting / running * (ttftRunning + (c.out - 1) * tpot);
        Bottleneck bottleneck = c.bottleneck(running);
        if (waiting > 0 || saturating) {
            // Admission, not the step, limits: either the KV pool or the engine's own cap on running sequences.
            bottleneck = c.poolSequences() < c.memory.engineMaxSequences() ? Bottleneck.KV_CAPACITY : Bottleneck.ENGINE_MAX_SEQUENCES;
        }
        double outputRate = busier * c.replicaRate(high) + (replicas - busier) * c.replicaRate(low);
        return c.result(load, ttft, tpot, outputRate, saturating ? total : asked, bottleneck, c.prefillShare(running, step), notes);
    }

    /**
     * Poisson arrivals: requests in flight from Little's law (L = rate x time in system, a fixed point),
     * TTFT with M/D/1 queueing for prompts. When even a full replica cannot hold rate x time in system,
     * requests queue for a slot without bound: overloaded.
     */
    private static PerfEstimate atRate(Context c, Load.Rate load) {
        double capacity = c.capacity();
        double rate = load.requestsPerSecond() / c.d().replicas();
        // The closed loop at full capacity is the most a replica serves (what the saturating load reports).
        double fullStep = c.mixedStep(capacity);
        double fullE2e = c.firstToken(capacity, fullStep) + (c.out - 1) * c.pp() * fullStep;
        double saturating = capacity / fullE2e;
        if (rate >= saturating || c.inSystem(rate, capacity) > capacity) {
            Supplier<List<String>> note = () -> List.of(String.format(Locale.ROOT, "overloaded: %.2f requests/s per replica "
                    + "exceed the %.2f that %.0f slots serve; the queue grows without bound", rate, saturating, capacity));
            return c.result(load, Double.NaN, c.pp() * fullStep, capacity * c.out / fullE2e * c.d().replicas(),
                    capacity * c.d().replicas(), Bottleneck.OVERLOADED, c.prefillShare(capacity, fullStep), note);
        }
        // Little's law: the smallest n with n = rate x time in system(n), by bisection (the map need not contract),
        // to a millionth of a request.
        double lo = 0;
        double hi = capacity;
        while (hi - lo > 1e-6 * Math.max(1, hi)) {
            double mid = (lo + hi) / 2;
            if (c.inSystem(rate, mid) > mid) lo = mid; else hi = mid;
        }
        double running = hi;
        double step = c.mixedStep(running);
        double ttft = c.ttftAtRate(rate, running, step);
        Supplier<List<String>> note = () -> List.of(String.format(Locale.ROOT,
                "Little's law: %.1f requests in flight per replica at %.2f requests/s", running, rate));
        return c.result(load, ttft, c.pp() * step, rate * c.out * c.d().replicas(), running * c.d().replicas(),
                c.bottleneck(running), c.prefillShare(running, step), note);
    }
}
