package dev.headroom.dsl;

import dev.headroom.core.Estimator;
import dev.headroom.core.DeploymentProfile;
import dev.headroom.core.Estimate;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.cost.CostOptions;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.Engine;
import dev.headroom.core.engine.Engines;
import dev.headroom.core.engine.Vllm;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.memory.MemoryEstimate;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.perf.Calibration;
import dev.headroom.core.perf.Efficiency;
import dev.headroom.core.plan.CapacityPlanner;
import dev.headroom.core.plan.MemorySolver;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Load;
import dev.headroom.core.workload.Target;
import dev.headroom.core.workload.Workload;
import java.util.List;
import java.util.function.UnaryOperator;
import tech.tablesaw.api.Table;

/**
 * One sizing question, built step by step in any order. Every step returns a new Scenario, so a half-built one
 * can be kept in a variable and branched from: {@code var base = model("llama-3.1-8b").on("h100-sxm");}
 *
 * @param gpus null: tp x pp (one copy of the model)
 * @param tp   null: all GPUs serve one copy (gpus / pp)
 */
public record Scenario(ModelProfile model, Gpu gpu, Integer gpus, Integer tp, int pp, int ep, Precision weights,
                       Precision kv, Engine engine, Workload workload, CostOptions costs, UnaryOperator<Efficiency> tune) {

    public Scenario {
        if (model != null) {
            model.requireTokenCache(); // every step sizes an engine's KV pool, which needs a token cache
        }
    }

    static Scenario of(ModelProfile model) {
        return new Scenario(model, null, null, null, 1, 1, null, null, Vllm.defaults(), Workload.of(1, 1024, 1024),
                CostOptions.defaults(), UnaryOperator.identity());
    }

    public Scenario on(String gpu) {
        return on(Catalog.gpu(Args.name("on(...)", gpu)));
    }

    public Scenario on(Gpu g) {
        return new Scenario(model, Args.notNull("on(gpu)", g), gpus, tp, pp, ep, weights, kv, engine, workload, costs, tune);
    }

    /** GPUs in total; with {@link #tp} unset they all serve one copy of the model (tp = gpus / pp). */
    public Scenario gpus(int n) {
        return new Scenario(model, gpu, Args.positive("gpus(...)", n), tp, pp, ep, weights, kv, engine, workload, costs, tune);
    }

    /** Tensor-parallel degree; with {@link #gpus} unset the GPUs follow (tp x pp). */
    public Scenario tp(int n) {
        return new Scenario(model, gpu, gpus, Args.positive("tp(...)", n), pp, ep, weights, kv, engine, workload, costs, tune);
    }

    /** Pipeline stages. */
    public Scenario pp(int n) {
        return new Scenario(model, gpu, gpus, tp, Args.positive("pp(...)", n), ep, weights, kv, engine, workload, costs, tune);
    }

    /** Expert-parallel degree (MoE models). */
    public Scenario ep(int n) {
        return new Scenario(model, gpu, gpus, tp, pp, Args.positive("ep(...)", n), weights, kv, engine, workload, costs, tune);
    }

    public Scenario weights(String precision) {
        return new Scenario(model, gpu, gpus, tp, pp, ep, Precision.parse(Args.name("weights(...)", precision), "weight precision"),
                kv, engine, workload, costs, tune);
    }

    public Scenario kv(String precision) {
        return new Scenario(model, gpu, gpus, tp, pp, ep, weights,
                Precision.parse(Args.name("kv(...)", precision), "KV cache precision"), engine, workload, costs, tune);
    }

    /** An engine by name, optionally at a version: {@code engine("vllm@0.10")}. */
    public Scenario engine(String name) {
        return engine(Engines.named(Args.name("engine(...)", name)));
    }

    public Scenario engine(String name, String version) {
        Args.name("engine(...)", name);
        if (version == null || version.isBlank()) {
            throw new InvalidInputException("engine(\"" + name + "\", version) needs a version, not "
                    + (version == null ? "null" : "an empty text") + "; engine(\"" + name + "\") takes the latest");
        }
        return engine(Engines.named(name, version));
    }

    public Scenario engine(Engine e) {
        return new Scenario(model, gpu, gpus, tp, pp, ep, weights, kv, Args.notNull("engine(engine)", e), workload, costs, tune);
    }

    /** Sets one of the engine's own knobs by name: {@code set("gpu_memory_utilization", 0.95)}. */
    public Scenario set(String knob, Object value) {
        return engine(engine.with(Args.name("set(...)", knob), String.valueOf(Args.notNull("set(" + knob + ", value)", value))));
    }

    /** The engine's longest admitted sequence (vLLM max_model_len, SGLang context_length, ...). */
    public Scenario maxLength(int tokens) {
        Args.positive("maxLength(...)", tokens);
        if (tokens > model.spec().maxPositions()) { // said here, in the step's words, not later as the engine's knob
            throw new InvalidInputException("maxLength(" + tokens + "): " + model.id() + " supports at most "
                    + model.spec().maxPositions() + " tokens (max_position_embeddings)");
        }
        return engine(engine.withMaxLength(tokens));
    }

    /** A static batch: this many sequences start together and must fit at once. */
    public Scenario batch(int n) {
        return withWorkload(workload.withLoad(Load.batch(Args.positive("batch(...)", n))));
    }

    public Scenario input(int tokens) {
        return withWorkload(workload.withInputTokens(Args.positive("input(...)", tokens)));
    }

    public Scenario output(int tokens) {
        return withWorkload(workload.withOutputTokens(Args.nonNegative("output(...)", tokens)));
    }

    /** {@code n} requests in flight in a closed loop (continuous batching). */
    public Scenario concurrency(int n) {
        return withWorkload(workload.withLoad(Load.concurrency(Args.positive("concurrency(...)", n))));
    }

    /** The saturating throughput: as many requests as the KV pool and the engine admit. */
    public Scenario maxThroughput() {
        return withWorkload(workload.withLoad(Load.saturating()));
    }

    /** Poisson arrivals at this many requests per second. */
    public Scenario rate(double requestsPerSecond) {
        return withWorkload(workload.withLoad(Load.rate(Args.positive("rate(...)", requestsPerSecond))));
    }

    public Scenario pricePerGpuHour(double usd) {
        return withCosts(costs.withPrice(Args.positive("pricePerGpuHour(...)", usd)));
    }

    public Scenario utilization(double share) {
        return withCosts(costs.withUtilization(Args.fraction("utilization(...)", share)));
    }

    /** Adjusts the calibrated efficiencies, e.g. {@code .efficiency(e -> e.withMfuMax(0.45))}; steps compose. */
    public Scenario efficiency(UnaryOperator<Efficiency> adjust) {
        Args.notNull("efficiency(adjust)", adjust);
        UnaryOperator<Efficiency> before = tune;
        return new Scenario(model, gpu, gpus, tp, pp, ep, weights, kv, engine, workload, costs, e -> {
            Efficiency adjusted = adjust.apply(before.apply(e));
            if (adjusted == null) {
                throw new InvalidInputException("efficiency(adjust) returned null: return the adjusted Efficiency, e.g. e -> e.withMfuMax(0.45)");
            }
            return adjusted;
        });
    }

    Scenario withWorkload(Workload w) {
        return new Scenario(model, gpu, gpus, tp, pp, ep, weights, kv, engine, w, costs, tune);
    }

    Scenario withCosts(CostOptions c) {
        return new Scenario(model, gpu, gpus, tp, pp, ep, weights, kv, engine, workload, c, tune);
    }

    Scenario withModel(ModelProfile m) {
        return new Scenario(m, gpu, gpus, tp, pp, ep, weights, kv, engine, workload, costs, tune);
    }

    Scenario withDeployment(Deployment d) {
        return new Scenario(model, d.gpu(), d.gpus(), d.tp(), d.pp(), d.ep(), d.weights(), d.kv(), d.engine(), workload, costs, tune);
    }

    /** The deployment these steps describe. */
    public Deployment deployment() {
        if (gpu == null) {
            throw new InvalidInputException("no GPU chosen for " + model.id() + ": add .on(\"<gpu>\") — known: "
                    + String.join(", ", Sizing.gpus()));
        }
        int t = tp != null ? tp : gpus != null ? Math.max(1, gpus / pp) : 1;
        if (gpus == null && (long) t * pp > Integer.MAX_VALUE) { // one copy needs tp x pp GPUs: a count that must not wrap
            throw new InvalidInputException("tp(" + t + ") x pp(" + pp + ") = " + (long) t * pp + " GPUs is more than any deployment has");
        }
        int n = gpus != null ? gpus : t * pp;
        return new Deployment(gpu, n, t, pp, ep, weights, kv, engine);
    }

    Estimator estimator() {
        return new Estimator(Calibration.DEFAULT, tune, costs, Catalog.prices());
    }

    /** The deployment compiled once: estimate many workloads against it. */
    public DeploymentProfile profile() {
        return namingSizes(this::compile);
    }

    private DeploymentProfile compile() {
        return estimator().compile(model, deployment());
    }

    public MemoryEstimate memory() {
        return namingSizes(() -> compile().memory(workload));
    }

    /** Memory, speed under the load (a static batch unless one is set) and cost. */
    public Estimate estimate() {
        return namingSizes(() -> compile().estimate(workload));
    }

    /** A size too large to count names the steps that set the sizes, in the notebook's words. */
    private <T> T namingSizes(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (InvalidInputException e) {
            if (!e.isTooLarge()) {
                throw e;
            }
            Load load = workload.load();
            String loadStep = load instanceof Load.Static s ? "batch(" + s.batch() + ")"
                    : load instanceof Load.Closed c ? "concurrency(" + c.concurrency() + ")"
                    : load instanceof Load.Rate r ? "rate(" + r.requestsPerSecond() + ")" : "maxThroughput()";
            throw e.withContext(loadStep + ", input(" + workload.inputTokens() + "), output(" + workload.outputTokens()
                    + ")" + (gpus != null ? ", gpus(" + gpus + ")" : "") + (tp != null ? ", tp(" + tp + ")" : "") + (pp != 1 ? ", pp(" + pp + ")" : ""));
        }
    }

    /** The largest batch of this workload's sequences that fits, with the engine sized for their length; 0 if none. */
    public int largestBatch() {
        return MemorySolver.largestBatch(model, deployment(), workload.inputTokens(), workload.outputTokens()).orElse(0);
    }

    /** The longest context (tokens per sequence) that fits at this batch, up to the model's maximum; 0 if none. */
    public int longestContext() {
        return MemorySolver.longestContext(model, deployment(), workload.sequencesAtOnce()).orElse(0);
    }

    /** This scenario on the fewest GPUs of its type that hold the batch at full context. */
    public Scenario fewestGpus() {
        Deployment d = deployment();
        return MemorySolver.fewestGpus(model, d, workload, Catalog.prices())
                .map(f -> withDeployment(f.deployment()))
                .orElseThrow(() -> new InvalidInputException(model.id() + " with batch " + workload.sequencesAtOnce() + " x "
                        + workload.contextTokens() + " tokens does not fit on up to 64 x " + d.gpu().id()));
    }

    /** For every catalog GPU, the fewest that hold this batch at full context; cheapest per hour first. */
    public Table cheapestGpus() {
        return Tables.fits(MemorySolver.cheapestGpus(model, deployment(), workload, Catalog.gpus(), Catalog.prices()));
    }

    /**
     * GPUs needed for {@code users} concurrent users who each expect this workload's answer within
     * {@code latencySeconds}: every catalog GPU at TP 1-8, fewest GPUs each, cheapest first.
     */
    public Table planForUsers(int users, double latencySeconds) {
        return plan(new Target.Users(Args.positive("planForUsers(...)", users), Args.positive("planForUsers(users, ...)", latencySeconds)));
    }

    /** GPUs needed for a request rate within TTFT and TPOT limits (milliseconds). */
    public Table planForRate(double requestsPerSecond, double ttftMs, double tpotMs) {
        return plan(new Target.Rate(Args.positive("planForRate(...)", requestsPerSecond),
                Args.positive("planForRate(rate, ..., tpotMs)", ttftMs) / 1e3, Args.positive("planForRate(rate, ttftMs, ...)", tpotMs) / 1e3));
    }

    private Table plan(Target target) {
        Deployment d = deployment();
        int context = workload.contextTokens();
        List<Gpu> gpus = Catalog.gpus();
        return Tables.plan(CapacityPlanner.plan(model, gpus, d, workload, target,
                e -> e.maxLength() != null ? e : e.withMaxLength(context), estimator()), target);
    }

    /**
     * Training or fine-tuning this model on this GPU: its GPUs are data-parallel unless tp/pp split them.
     * {@code model("llama-3.1-8b").on("h100-sxm").gpus(8).train().zero(3).microBatch(2).seqLen(4096)}
     */
    public TrainingScenario train() {
        return TrainingScenario.from(this);
    }

    /** Starts a sweep over this scenario; add axes with {@code batch(...)}, {@code gpu(...)}, and so on. */
    public Sweep sweep() {
        return Sweep.over(this);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(model.id());
        if (gpu == null) {
            b.append(" (no GPU chosen: add .on(\"<gpu>\"))");
        } else {
            Deployment d = deployment();
            b.append(" on ").append(d.gpus()).append(" x ").append(gpu.id()).append(" (tp=").append(d.tp()).append(", pp=")
                    .append(d.pp()).append(")");
        }
        b.append(", ").append(engine.id()).append('@').append(engine.release().version());
        b.append(", ").append(workload.inputTokens()).append(" in / ").append(workload.outputTokens()).append(" out, ").append(workload.load());
        return b.toString();
    }
}
