package dev.headroom.dsl;

import dev.headroom.core.CapacityPlanner;
import dev.headroom.core.Catalog;
import dev.headroom.core.CostOptions;
import dev.headroom.core.Efficiency;
import dev.headroom.core.Estimate;
import dev.headroom.core.Load;
import dev.headroom.core.Deployment;
import dev.headroom.core.Engine;
import dev.headroom.core.Gpu;
import dev.headroom.core.InvalidInputException;
import dev.headroom.core.MemoryEstimate;
import dev.headroom.core.MemoryModel;
import dev.headroom.core.MemorySolver;
import dev.headroom.core.ModelSpec;
import dev.headroom.core.Precision;
import dev.headroom.core.Target;
import dev.headroom.core.Workload;
import java.util.List;
import java.util.function.UnaryOperator;
import tech.tablesaw.api.Table;

/**
 * One sizing question, built step by step. Every step returns a new Scenario, so a half-built one can be
 * kept in a variable and branched from: {@code var base = model("llama-3.1-8b").on("h100-sxm");}
 */
public record Scenario(ModelSpec model, Deployment deployment, Workload workload, Load load, CostOptions costs,
                       UnaryOperator<Efficiency> tune) {
    static Scenario of(ModelSpec model) {
        return new Scenario(model, null, Workload.of(1, 1024, 1024), null, CostOptions.defaults(), UnaryOperator.identity());
    }

    public Scenario on(String gpu) {
        return on(Catalog.gpu(gpu));
    }

    public Scenario on(Gpu gpu) {
        return new Scenario(model, deployment == null ? Deployment.on(gpu) : deployment.withGpu(gpu), workload, load, costs, tune);
    }

    /** GPUs in total; with {@link #tp} unset they all serve one copy of the model (tp = gpus). */
    public Scenario gpus(int n) {
        Deployment d = requireGpu();
        boolean tpSpansAll = d.tp() * d.pp() == d.gpus();
        Deployment next = d.withGpus(n);
        return with(tpSpansAll && d.pp() == 1 ? next.withTp(n) : next);
    }

    /** Tensor-parallel degree; the number of replicas stays, so GPUs follow (tp x pp x replicas). */
    public Scenario tp(int n) {
        Deployment d = requireGpu();
        return with(d.withSplit(n, d.pp()));
    }

    /** Pipeline stages; the number of replicas stays, so GPUs follow. */
    public Scenario pp(int n) {
        Deployment d = requireGpu();
        return with(d.withSplit(d.tp(), n));
    }

    public Scenario ep(int n) {
        return with(requireGpu().withEp(n));
    }

    public Scenario weights(String precision) {
        return with(requireGpu().withWeights(Precision.parse(precision, "weight precision")));
    }

    public Scenario kv(String precision) {
        return with(requireGpu().withKv(Precision.parse(precision, "KV cache precision")));
    }

    public Scenario engine(String name) {
        return engine(Engine.named(name));
    }

    public Scenario engine(Engine e) {
        return with(requireGpu().withEngine(e));
    }

    /** A static batch: this many sequences start together (also the batch whose KV the memory view shows). */
    /** The engine's longest admitted sequence (vLLM max_model_len, SGLang context_length, ...). */
    public Scenario maxLength(int tokens) {
        Deployment d = requireGpu();
        return with(d.withEngine(d.engine().withMaxLength(tokens)));
    }

    public Scenario batch(int n) {
        return new Scenario(model, deployment, workload.withBatch(n), load, costs, tune);
    }

    public Scenario input(int tokens) {
        return new Scenario(model, deployment, workload.withInputTokens(tokens), load, costs, tune);
    }

    public Scenario output(int tokens) {
        return new Scenario(model, deployment, workload.withOutputTokens(tokens), load, costs, tune);
    }

    /** {@code n} requests in flight in a closed loop (continuous batching). */
    public Scenario concurrency(int n) {
        return new Scenario(model, deployment, workload, Load.concurrency(n), costs, tune);
    }

    /** The saturating throughput: as many requests as the KV pool and the engine admit. */
    public Scenario maxThroughput() {
        return new Scenario(model, deployment, workload, Load.max(), costs, tune);
    }

    /** Poisson arrivals at this many requests per second. */
    public Scenario rate(double requestsPerSecond) {
        return new Scenario(model, deployment, workload, Load.rate(requestsPerSecond), costs, tune);
    }

    public Scenario pricePerGpuHour(double usd) {
        return new Scenario(model, deployment, workload, load, costs.withPrice(usd), tune);
    }

    public Scenario utilization(double share) {
        return new Scenario(model, deployment, workload, load, costs.withUtilization(share), tune);
    }

    /** Adjusts the calibrated efficiencies, e.g. {@code .efficiency(e -> e.withMfuMax(0.45))}; steps compose. */
    public Scenario efficiency(UnaryOperator<Efficiency> adjust) {
        UnaryOperator<Efficiency> before = tune;
        return new Scenario(model, deployment, workload, load, costs, e -> adjust.apply(before.apply(e)));
    }

    public MemoryEstimate memory() {
        return MemoryModel.estimate(model, requireGpu(), workload);
    }

    /** Memory, speed under the load (a static batch unless one is set) and cost. */
    public Estimate estimate() {
        return Estimate.of(model, requireGpu(), workload, load != null ? load : Load.staticBatch(workload.batch()), tune, costs);
    }

    /** The largest batch of this workload's sequences that fits, with the engine sized for their length; 0 if none. */
    public int largestBatch() {
        return MemorySolver.largestBatch(model, requireGpu(), workload.inputTokens(), workload.outputTokens()).orElse(0);
    }

    /** The longest context (tokens per sequence) that fits at this batch, up to the model's maximum; 0 if none. */
    public int longestContext() {
        return MemorySolver.longestContext(model, requireGpu(), workload.batch()).orElse(0);
    }

    /** This scenario on the fewest GPUs of its type that hold the batch at full context. */
    public Scenario fewestGpus() {
        Deployment d = requireGpu();
        return MemorySolver.fewestGpus(model, d, workload)
                .map(f -> with(f.deployment()))
                .orElseThrow(() -> new InvalidInputException(model.id() + " with batch " + workload.batch() + " x "
                        + workload.contextTokens() + " tokens does not fit on up to 64 x " + d.gpu().id()));
    }

    /** For every catalog GPU, the fewest that hold this batch at full context; cheapest per hour first. */
    public Table cheapestGpus() {
        return Tables.fits(MemorySolver.cheapestGpus(model, requireGpu(), workload));
    }

    /**
     * GPUs needed for {@code users} concurrent users who each expect this workload's answer within
     * {@code latencySeconds}: every catalog GPU at TP 1-8, fewest GPUs each, cheapest first.
     */
    public Table planForUsers(int users, double latencySeconds) {
        return plan(Target.users(users, latencySeconds));
    }

    /** GPUs needed for a request rate within TTFT and TPOT limits (milliseconds). */
    public Table planForRate(double requestsPerSecond, double ttftMs, double tpotMs) {
        return plan(Target.rate(requestsPerSecond, ttftMs / 1e3, tpotMs / 1e3));
    }

    private Table plan(Target target) {
        Deployment d = requireGpu();
        int context = workload.contextTokens();
        return Tables.plan(CapacityPlanner.plan(model, List.copyOf(Catalog.gpus()), d, workload, target,
                e -> e.withMaxLength(context)), target);
    }

    /** Starts a sweep over this scenario; add axes with {@code batch(...)}, {@code gpu(...)}, and so on. */
    public Sweep sweep() {
        return Sweep.over(this);
    }

    Scenario with(Deployment d) {
        return new Scenario(model, d, workload, load, costs, tune);
    }

    Scenario withModel(ModelSpec m) {
        return new Scenario(m, deployment, workload, load, costs, tune);
    }

    Deployment requireGpu() {
        if (deployment == null) {
            throw new InvalidInputException("no GPU chosen for " + model.id() + ": add .on(\"<gpu>\") — known: "
                    + String.join(", ", Sizing.gpus()));
        }
        return deployment;
    }

    @Override
    public String toString() {
        return deployment == null ? model.id() + " (no GPU chosen)" : estimate().toString();
    }
}
