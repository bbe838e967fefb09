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
     * Requests one replica runs at once: its KV pool over what the engine's scheduler holds per running request
     * (prompt and half the output where blocks are allocated as tokens arrive; the whole output where the scheduler
     * reserves it), and the engine's own cap on running sequences.
     */
    public static double runningCapacity(MemoryEstimate memory) {
        Workload w = memory.workload();
        double held = memory.deployment().engine().heldTokensPerRequest(w.inputTokens(), Math.max(1, w.outputTokens()));
        int groups = memory.deployment().attentionGroups();
        return Math.min(Math.floor(memory.kvCacheTokens() / held) * groups, (double) memory.engineMaxSequences() * groups);
    }

    /** Speed of a deployment whose memory fits the workload (a configuration that does not fit has no speed). */
    public static PerfEstimate estimate(MemoryEstimate memory, StepModel steps) {
        return estimate(memory, steps, Intervals.NONE);
    }

    /** The same, with the deployment's cross-validated error bands attached. */
    public static PerfEstimate estimate(MemoryEstimate memory, StepModel steps, Intervals intervals) {
        if (!memory.fits()) {
            throw new InvalidInputException("no speed for a configuration that does not fit: " + memory.verdict());
        }
        Workload w = memory.workload();
        Load load = w.load();
        Context c = new Context(memory, steps, steps.efficiency(), w.inputTokens(), Math.max(1, w.outputTokens()), intervals);
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
    private record Context(MemoryEstimate memory, StepModel steps, Efficiency eff, double in, double out, Intervals intervals) {
        Deployment d() {
            return memory.deployment();
        }

        int pp() {
            return memory.deployment().pp();
        }

        /** Micro-batches in flight: one per stage when the engine overlaps stages, else the whole batch walks the stages. */
        double microBatches() {
            return d().engine().overlapsPipelineStages() ? pp() : 1;
        }

        double avgContext() {
            return in + out / 2;
        }

        double poolSequences() {
            return Math.floor(memory.kvCacheTokens() / d().engine().heldTokensPerRequest((int) in, (int) out));
        }

        /**
         * Requests that can keep decoding when every step also carries the prompts arriving behind them: a step holds
         * its decodes plus running/out new prompts of {@code in} tokens within the engine's tokens per step, so at most
         * budget / (1 + in/out) per micro-batch and attention group (the bound trtllm-bench tunes its build to:
         * tensorrt_llm/bench/build/tuning.py, finetune_setting). Beyond it, prompts queue and the rest wait.
         */
        double stepTokenSequences() {
            double perStep = steps.tokensPerStep();
            return Math.max(1, Math.floor(perStep * microBatches() * d().attentionGroups() / (1 + in / out)));
        }

        double capacity() {
            double cap = Math.min(runningCapacity(memory), stepTokenSequences());
            if (cap < 1) {
                throw new InvalidInputException("no request of " + memory.workload().contextTokens() + " tokens fits: "
                        + memory.verdict());
            }
            return cap;
        }

        /** Prompt tokens one step can take beside {@code decodes} decoding sequences: the engine's budget per step. */
        double prefillBudget(double decodes) {
            return Math.max(1, steps.tokensPerStep() - decodes);
        }

        /** Expected time of one stage's step for a micro-batch of {@code running} decodes with Poisson(running / out) prompts mixed in. */
        double mixedStep(double running) {
            double mean = running / out;
            double budget = prefillBudget(running);
            if (mean > 40) {
                return stepWithPrompts(running, mean * in, budget);
            }
            double expected = 0;
            double p = Math.exp(-mean);
            double mass = 0;
            for (int k = 0; k <= mean + 8 * Math.sqrt(mean) + 12; k++) {
                expected += p * stepWithPrompts(running, k * in, budget);
                mass += p;
                p *= mean / (k + 1);
            }
            return expected / mass;
        }

        /**
         * A step of {@code running} decodes that must also take {@code prompt} tokens of prompts: within the budget, one
         * step carries them all; beyond it, the rest run as further budget-sized chunks, each adding what a full chunk
         * adds to a decode step (the decodes advance in those steps too), so no prompt token is lost and the time is
         * continuous in the prompt tokens.
         */
        private double stepWithPrompts(double running, double prompt, double budget) {
            if (prompt <= budget) {
                return steps.seconds(running, avgContext(), prompt, in);
            }
            double full = steps.seconds(running, avgContext(), budget, in);
            return full + (prompt - budget) / budget * (full - steps.seconds(running, avgContext(), 0, in));
        }

        /** A stage's step when the replica runs {@code running} requests, split over the micro-batches in flight. */
        double stageStep(double running) {
            return mixedStep(running / microBatches());
        }

        /** Time between two tokens of one request: it passes every stage. */
        double tpot(double running) {
            return pp() * stageStep(running);
        }

        /** Output tokens per second of one replica running {@code n} requests in a closed loop. */
        double replicaRate(double n) {
            if (n <= 0) {
                return 0;
            }
            double step = stageStep(n);
            return n * out / (closedLoopTtft(n, step) + (out - 1) * pp() * step);
        }

        /** What one prompt adds to a step of a micro-batch of {@code perBatch} decodes. */
        double prefillIncrement(double perBatch) {
            return steps.seconds(perBatch, avgContext(), Math.min(in, prefillBudget(perBatch)), in)
                    - steps.seconds(perBatch, avgContext(), 0, 0);
        }

        /**
         * How long the prefill lane is busy with one prompt: its added compute, or, when the prompt is longer than the
         * step's budget, the steps its chunks take.
         */
        double prefillService(double running, double step) {
            double perBatch = running / microBatches();
            double chunks = in / prefillBudget(perBatch);
            return Math.max(prefillIncrement(perBatch), chunks > 1 ? chunks * step : 0);
        }

        /** Arrival: the API server's overhead, half a step to the boundary, then the prompt's own step(s). */
        double firstToken(double running, double step) {
            return eff.requestOverheadSeconds() + pp() * (step / 2 + step) + pp() * prefillService(running, step);
        }

        /** Waiting behind other prompts for the prefill lane (M/D/1) when prompts arrive at {@code rate} per second. */
        double prefillWait(double rate, double running, double step) {
            double service = prefillService(running, step);
            double rho = Math.min(0.95, rate / microBatches() * service);
            return rho * service / (2 * (1 - rho));
        }

        /** TTFT at a request rate: arrival, the prompt's step, and M/D/1 waiting behind other prompts. */
        double ttftAtRate(double rate, double running, double step) {
            return firstToken(running, step) + prefillWait(rate, running, step);
        }

        /** TTFT in a closed loop of {@code running}: prompts arrive as requests finish and queue for the prefill lane. */
        double closedLoopTtft(double running, double step) {
            double first = firstToken(running, step);
            // How long one prompt holds the prefill lane (one lane per micro-batch), and the rest of a request's cycle.
            double demand = prefillService(running, step) / microBatches();
            double elsewhere = first - demand + (out - 1) * pp() * step;
            return first + ClosedQueue.wait(running, demand, elsewhere);
        }

        /** Requests in the system at a rate when {@code running} are in flight: rate x (TTFT + decode time). */
        double inSystem(double rate, double running) {
            double step = stageStep(running);
            return rate * (ttftAtRate(rate, running, step) + (out - 1) * pp() * step);
        }

        Bottleneck bottleneck(double running) {
            double perBatch = running / microBatches();
            return steps.step(perBatch, avgContext(), Math.min(perBatch * in / out, prefillBudget(perBatch)), in).bottleneck();
        }

        double prefillShare(double running, double step) {
            return 1 - steps.seconds(running / microBatches(), avgContext(), 0, 0) / step;
        }

        /** @param ttft NaN when requests queue without bound */
        PerfEstimate result(Load load, double ttft, double tpot, double outputRate, double concurrency, Bottleneck bottleneck,
                            double prefillShare, Supplier<List<String>> extra) {
            double e2e = ttft + (out - 1) * tpot; // NaN stays NaN: unbounded
            Efficiency e = eff;
            StepModel s = steps;
            return new PerfEstimate(load, ttft, tpot, e2e, outputRate, outputRate / d().gpus(), outputRate * (1 + in / out),
                    concurrency, bottleneck, steps.computeType(), Math.max(0, Math.min(1, prefillShare)), eff,
                    () -> notes(e, s, extra.get()), intervals);
        }

        List<String> notes(Efficiency e, StepModel s, List<String> extra) {
            List<String> all = new ArrayList<>();
            all.add("efficiency: " + e);
            all.add(String.format(Locale.ROOT, "compute path: %s at %.1f dense TFLOP/s; matrix-vector products on the vector units",
                    s.computeType().key(), d().gpu().peakFlops(s.computeType()).orElse(0) / 1e12));
            if (pp() > 1) {
                all.add(microBatches() > 1 ? "pipeline: " + pp() + " stages, one micro-batch per stage in flight"
                        : "pipeline: " + pp() + " stages run each batch in turn (no micro-batches)");
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
        // The batch's prompts run in chunks of the engine's per-step budget.
        double promptTokens = batch * c.in;
        double chunks = Math.ceil(promptTokens / c.prefillBudget(0));
        StepModel.StepTime prefill = c.steps.step(0, 0, promptTokens / chunks, c.in);
        double perBatch = batch / c.microBatches();
        StepModel.StepTime decode = c.steps.step(perBatch, c.avgContext(), 0, 0);
        double ttft = c.eff.requestOverheadSeconds() + c.pp() * chunks * prefill.total();
        double tpot = c.pp() * decode.total();
        double e2e = ttft + (c.out - 1) * tpot;
        Bottleneck bottleneck = batch > c.poolSequences() * c.d().attentionGroups() ? Bottleneck.KV_CAPACITY : decode.bottleneck();
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
                "saturating concurrency per replica: %.0f (KV pool %,d tokens at %.0f tokens per running request; engine cap %d; "
                        + "%.0f keep decoding within the engine's tokens per step)",
                running, c.memory.kvCacheTokens(), c.avgContext(), c.memory.engineMaxSequences(), c.stepTokenSequences()));
        double step = c.stageStep(running);
        double tpot = c.pp() * step;
        double ttftRunning = c.closedLoopTtft(running, step);
        // Each waiting request waits for a running one to finish.
        double ttft = ttftRunning + waiting / running * (ttftRunning + (c.out - 1) * tpot);
        Bottleneck bottleneck = c.bottleneck(running);
        if (waiting > 0 || saturating) {
            // Admission, not the step, limits: either the KV pool or the engine's own cap on running sequences.
            bottleneck = c.stepTokenSequences() < runningCapacity(c.memory) ? Bottleneck.STEP_TOKENS
                    : c.poolSequences() < c.memory.engineMaxSequences() ? Bottleneck.KV_CAPACITY : Bottleneck.ENGINE_MAX_SEQUENCES;
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
        double fullStep = c.stageStep(capacity);
        double fullE2e = c.closedLoopTtft(capacity, fullStep) + (c.out - 1) * c.pp() * fullStep;
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
        double step = c.stageStep(running);
        double ttft = c.ttftAtRate(rate, running, step);
        Supplier<List<String>> note = () -> List.of(String.format(Locale.ROOT,
                "Little's law: %.1f requests in flight per replica at %.2f requests/s", running, rate));
        return c.result(load, ttft, c.pp() * step, rate * c.out * c.d().replicas(), running * c.d().replicas(),
                c.bottleneck(running), c.prefillShare(running, step), note);
    }
}
