package dev.headroom.dsl;

import dev.headroom.core.DeploymentProfile;
import dev.headroom.core.Estimate;
import dev.headroom.core.Estimator;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import tech.tablesaw.api.Table;

/**
 * One sizing question, built step by step in any order. Every step returns a new Scenario, so a half-built one
 * can be kept in a variable and branched from: {@code var base = model("llama-3.1-8b").on("h100-sxm");}
 *
 * <p>Steps that set the same thing override each other, the later one winning: {@code .gpus(4).gpus(1)} is one GPU,
 * {@code .tp(4).gpus(2)} is two GPUs at tp 2, {@code .context(8192).input(1000)} is a 1,000-token prompt. Nothing
 * is estimated until a question is asked ({@link #memory()}, {@link #estimate()}, {@link #sweep()}...).
 *
 * @param gpus      null: tp x pp (one copy of the model)
 * @param tp        null: all GPUs serve one copy (gpus / pp)
 * @param engine    the engine with its defaults; {@code knobs} and {@code maxLength} are applied over it when asked
 * @param knobs     the engine settings given with {@link #set}
 * @param maxLength null: the engine's default (the model's longest context)
 * @param context   null: the prompt is {@code requests.inputTokens()}; else prompt + answer fill this many tokens
 * @param requests  prompt and answer lengths and the load, as given
 */
public record Scenario(ModelProfile model, Gpu gpu, Integer gpus, Integer tp, int pp, int ep, boolean attentionDp,
                       Precision weights, Precision kv, Engine engine, Map<String, String> knobs, Integer maxLength,
                       Integer context, Workload requests, CostOptions costs, UnaryOperator<Efficiency> tune,
                       Calibration calibration) {

    public Scenario {
        knobs = Map.copyOf(knobs); // free when it already is an immutable copy: steps that leave knobs alone copy nothing
        if (model != null) {
            model.requireTokenCache(); // every step sizes an engine's KV pool, which needs a token cache
        }
    }

    static Scenario of(ModelProfile model) {
        return new Scenario(model, null, null, null, 1, 1, false, null, null, Vllm.defaults(), Map.of(), null, null,
                Workload.of(1, 1024, 1024), CostOptions.defaults(), UnaryOperator.identity(), Calibration.DEFAULT);
    }

    /** The steps' scratch copy: each step changes a few fields of a copy, never this scenario. */
    private static final class Draft {
        ModelProfile model;
        Gpu gpu;
        Integer gpus;
        Integer tp;
        int pp;
        int ep;
        boolean attentionDp;
        Precision weights;
        Precision kv;
        Engine engine;
        Map<String, String> knobs;
        Integer maxLength;
        Integer context;
        Workload requests;
        CostOptions costs;
        UnaryOperator<Efficiency> tune;
        Calibration calibration;

        Draft(Scenario s) {
            model = s.model;
            gpu = s.gpu;
            gpus = s.gpus;
            tp = s.tp;
            pp = s.pp;
            ep = s.ep;
            attentionDp = s.attentionDp;
            weights = s.weights;
            kv = s.kv;
            engine = s.engine;
            knobs = s.knobs;
            maxLength = s.maxLength;
            context = s.context;
            requests = s.requests;
            costs = s.costs;
            tune = s.tune;
            calibration = s.calibration;
        }

        Scenario build() {
            return new Scenario(model, gpu, gpus, tp, pp, ep, attentionDp, weights, kv, engine, knobs, maxLength, context,
                    requests, costs, tune, calibration);
        }
    }

    private Scenario with(Consumer<Draft> change) {
        Draft d = new Draft(this);
        change.accept(d);
        return d.build();
    }

    // ------------------------------------------------------------------ hardware and split

    public Scenario on(String gpu) {
        Gpu g = Catalog.gpu(Args.name("on(...)", gpu));
        return with(d -> d.gpu = g);
    }

    public Scenario on(Gpu g) {
        Args.notNull("on(gpu)", g);
        return with(d -> d.gpu = g);
    }

    /**
     * GPUs in total; with {@link #tp} unset they all serve one copy of the model (tp = gpus / pp). A tp or pp
     * given earlier that does not divide {@code n} gives way: tp then follows the GPUs, pp becomes 1.
     */
    public Scenario gpus(int n) {
        Args.positive("gpus(...)", n);
        return with(d -> {
            d.gpus = n;
            if (n % d.pp != 0) {
                d.pp = 1;
            }
            if (d.tp != null && n % (d.tp * d.pp) != 0) {
                d.tp = null;
            }
        });
    }

    /** Tensor-parallel degree; GPUs given earlier that tp x pp does not divide give way (then GPUs = tp x pp). */
    public Scenario tp(int n) {
        Args.positive("tp(...)", n);
        return with(d -> {
            d.tp = n;
            if (d.gpus != null && d.gpus % ((long) n * d.pp) != 0) {
                d.gpus = null;
            }
        });
    }

    /** Pipeline stages; GPUs given earlier that the split does not divide give way. */
    public Scenario pp(int n) {
        Args.positive("pp(...)", n);
        return with(d -> {
            d.pp = n;
            if (d.gpus != null && d.gpus % ((long) (d.tp == null ? 1 : d.tp) * n) != 0) {
                d.gpus = null;
            }
        });
    }

    /** Expert-parallel degree (MoE models). */
    public Scenario ep(int n) {
        Args.positive("ep(...)", n);
        return with(d -> d.ep = n);
    }

    /**
     * Attention data parallelism (SGLang's --enable-dp-attention, TensorRT-LLM's enable_attention_dp): every rank of
     * a tensor-parallel group holds the whole attention and its own requests' KV; the experts still split.
     */
    public Scenario attentionDp(boolean on) {
        return with(d -> d.attentionDp = on);
    }

    public Scenario weights(String precision) {
        Precision p = Precision.parse(Args.name("weights(...)", precision), "weight precision");
        return with(d -> d.weights = p);
    }

    public Scenario kv(String precision) {
        Precision p = Precision.parse(Args.name("kv(...)", precision), "KV cache precision");
        return with(d -> d.kv = p);
    }

    // ------------------------------------------------------------------ engine

    /** An engine by name, optionally at a version: {@code engine("vllm@0.10")}. Settings given with {@link #set} carry over. */
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
        Args.notNull("engine(engine)", e);
        withKnobs(e, knobs); // a setting the new engine does not have fails here, at the step that asked for it
        return with(d -> d.engine = e);
    }

    /** Sets one of the engine's own knobs by name: {@code set("gpu_memory_utilization", 0.95)}. */
    public Scenario set(String knob, Object value) {
        Args.name("set(...)", knob);
        String text = String.valueOf(Args.notNull("set(" + knob + ", value)", value));
        engine.with(knob, text);
        return with(d -> {
            Map<String, String> next = new LinkedHashMap<>(d.knobs);
            next.put(knob, text);
            d.knobs = next;
        });
    }

    /** The engine's longest admitted sequence (vLLM max_model_len, SGLang context_length, ...). */
    public Scenario maxLength(int tokens) {
        Args.positive("maxLength(...)", tokens);
        requireWithinModel("maxLength(" + tokens + ")", tokens);
        return with(d -> d.maxLength = tokens);
    }

    /**
     * Sequences of {@code tokens} tokens: the engine's max length is set to it, and the prompt fills what the answer
     * leaves. The answer keeps its length ({@link #output}) up to half the context. A later {@link #input} sets the
     * prompt instead.
     */
    public Scenario context(int tokens) {
        Args.positive("context(...)", tokens);
        requireWithinModel("context(" + tokens + ")", tokens);
        if (tokens < 2) {
            throw new InvalidInputException("context(" + tokens + "): a context holds a prompt and an answer, at least 2 tokens");
        }
        return with(d -> {
            d.context = tokens;
            d.maxLength = tokens;
        });
    }

    /** A length beyond the model is refused at the step that sets it, in its words, not later as the engine's knob. */
    private void requireWithinModel(String step, int tokens) {
        if (tokens > model.spec().maxPositions()) {
            throw new InvalidInputException(step + ": " + model.id() + " supports at most " + model.spec().maxPositions()
                    + " tokens (max_position_embeddings)");
        }
    }

    // ------------------------------------------------------------------ requests

    /** A static batch: this many sequences start together and must fit at once. */
    public Scenario batch(int n) {
        Args.positive("batch(...)", n);
        return with(requestsPart().batch(n));
    }

    /** Prompt tokens per request; replaces a {@link #context} given earlier. */
    public Scenario input(int tokens) {
        Args.positive("input(...)", tokens);
        return with(requestsPart().input(tokens));
    }

    /** Answer tokens per request (with a {@link #context}, the prompt shrinks to make room). */
    public Scenario output(int tokens) {
        Args.nonNegative("output(...)", tokens);
        return with(requestsPart().output(tokens));
    }

    /** {@code n} requests in flight in a closed loop (continuous batching). */
    public Scenario concurrency(int n) {
        Args.positive("concurrency(...)", n);
        return with(requestsPart().concurrency(n));
    }

    /** The saturating throughput: as many requests as the KV pool and the engine admit. */
    public Scenario maxThroughput() {
        return with(requestsPart().saturating());
    }

    /** Poisson arrivals at this many requests per second. */
    public Scenario rate(double requestsPerSecond) {
        Args.positive("rate(...)", requestsPerSecond);
        return with(requestsPart().rate(requestsPerSecond));
    }

    /** The requests as the steps gave them, with the context they fill. */
    Requests requestsPart() {
        return new Requests(requests, context);
    }

    private Scenario with(Requests r) {
        return with(d -> {
            d.requests = r.given();
            d.context = r.context();
        });
    }

    // ------------------------------------------------------------------ cost

    public Scenario pricePerGpuHour(double usd) {
        Args.positive("pricePerGpuHour(...)", usd);
        return with(d -> d.costs = d.costs.withPrice(usd));
    }

    public Scenario utilization(double share) {
        Args.fraction("utilization(...)", share);
        return with(d -> d.costs = d.costs.withUtilization(share));
    }

    /** Spot prices, with the share of GPU time lost to interruptions (0.1 = 10%). */
    public Scenario spot(double interruptionRate) {
        if (!(interruptionRate >= 0 && interruptionRate < 1)) {
            throw new InvalidInputException("spot(" + interruptionRate + "): the share of time lost to interruptions must be in [0, 1)");
        }
        return with(d -> d.costs = d.costs.withSpot(interruptionRate));
    }

    /** The API price to break even against (an id of catalog/api-prices); by default the cheapest serving the model. */
    public Scenario compareApi(String id) {
        Args.name("compareApi(...)", id);
        return with(d -> d.costs = d.costs.withApi(id));
    }

    /**
     * Speed constants fitted to your own measurements ({@code ./headroom calibrate --measurements mine.csv --out
     * mine.json}) instead of Headroom's; the error bands become those of that fit.
     */
    public Scenario calibration(String path) {
        Calibration c = Calibration.read(java.nio.file.Path.of(Args.name("calibration(...)", path)));
        return with(d -> d.calibration = c);
    }

    /** Adjusts the calibrated efficiencies, e.g. {@code .efficiency(e -> e.withMfuMax(0.45))}; steps compose. */
    public Scenario efficiency(UnaryOperator<Efficiency> adjust) {
        Args.notNull("efficiency(adjust)", adjust);
        UnaryOperator<Efficiency> before = tune;
        return with(d -> d.tune = e -> {
            Efficiency adjusted = adjust.apply(before.apply(e));
            if (adjusted == null) {
                throw new InvalidInputException("efficiency(adjust) returned null: return the adjusted Efficiency, e.g. e -> e.withMfuMax(0.45)");
            }
            return adjusted;
        });
    }

    Scenario withModel(ModelProfile m) {
        return with(d -> d.model = m);
    }

    Scenario withDeployment(Deployment dep) {
        return with(d -> {
            d.gpu = dep.gpu();
            d.gpus = dep.gpus();
            d.tp = dep.tp();
            d.pp = dep.pp();
            d.ep = dep.ep();
            d.attentionDp = dep.attentionDp();
            d.weights = dep.weights();
            d.kv = dep.kv();
            d.maxLength = dep.engine().maxLength();
        });
    }

    // ------------------------------------------------------------------ what the steps resolve to

    /** Tensor-parallel degree the steps resolve to. */
    int resolvedTp() {
        return tp != null ? tp : gpus != null ? Math.max(1, gpus / pp) : 1;
    }

    /** GPUs the steps resolve to. */
    int resolvedGpus() {
        return gpus != null ? gpus : resolvedTp() * pp;
    }

    /** The requests as estimated: with a context, the answer keeps its length up to half of it and the prompt fills the rest. */
    public Workload workload() {
        return requestsPart().workload();
    }

    /** The engine with the settings and max length the steps gave. */
    public Engine configuredEngine() {
        Engine e = withKnobs(engine, knobs);
        return maxLength == null ? e : e.withMaxLength(maxLength);
    }

    private static Engine withKnobs(Engine e, Map<String, String> knobs) {
        for (Map.Entry<String, String> k : knobs.entrySet()) {
            e = e.with(k.getKey(), k.getValue());
        }
        return e;
    }

    /** The deployment these steps describe. */
    public Deployment deployment() {
        if (gpu == null) {
            throw new InvalidInputException("no GPU chosen for " + model.id() + ": add .on(\"<gpu>\") — known: "
                    + String.join(", ", Sizing.gpus()));
        }
        if (gpus == null && (long) resolvedTp() * pp > Integer.MAX_VALUE) { // one copy needs tp x pp GPUs: a count that must not wrap
            throw new InvalidInputException("tp(" + resolvedTp() + ") x pp(" + pp + ") = " + (long) resolvedTp() * pp
                    + " GPUs is more than any deployment has");
        }
        return new Deployment(gpu, resolvedGpus(), resolvedTp(), pp, ep, attentionDp, weights, kv, configuredEngine());
    }

    Estimator estimator() {
        return new Estimator(calibration, tune, costs, Catalog.prices());
    }

    /** The deployment compiled once: estimate many workloads against it. */
    public DeploymentProfile profile() {
        return namingSizes(this::compile);
    }

    private DeploymentProfile compile() {
        return estimator().compile(model, deployment());
    }

    public MemoryEstimate memory() {
        return namingSizes(() -> compile().memory(workload()));
    }

    /** Memory, speed under the load (a static batch unless one is set) and cost. */
    public Estimate estimate() {
        return namingSizes(() -> compile().estimate(workload()));
    }

    /** A size too large to count names the steps that set the sizes, in the notebook's words. */
    private <T> T namingSizes(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (InvalidInputException e) {
            if (!e.isTooLarge()) {
                throw e;
            }
            Workload workload = workload();
            Load load = workload.load();
            String loadStep = load instanceof Load.Static s ? "batch(" + s.batch() + ")"
                    : load instanceof Load.Closed c ? "concurrency(" + c.concurrency() + ")"
                    : load instanceof Load.Rate r ? "rate(" + r.requestsPerSecond() + ")" : "maxThroughput()";
            throw e.withContext(loadStep + ", input(" + workload.inputTokens() + "), output(" + workload.outputTokens()
                    + ")" + (gpus != null ? ", gpus(" + gpus + ")" : "") + (tp != null ? ", tp(" + tp + ")" : "") + (pp != 1 ? ", pp(" + pp + ")" : ""));
        }
    }

    /** Every setting and modelling choice behind this scenario's estimate, in words. */
    public Assumptions assumptions() {
        return Assumptions.of(this, estimate());
    }

    /**
     * The largest batch of this workload's sequences that fits with the engine as configured; 0 if none. It is the
     * {@code max_concurrency} of this scenario's own estimate (capped by the engine's limit on running sequences), so a
     * table and this answer never disagree; engines whose cache depends on the batch are searched.
     */
    public int largestBatch() {
        Workload w = workload();
        return MemorySolver.largestBatch(profile().memoryProfile(), w.inputTokens(), w.outputTokens()).orElse(0);
    }

    /** The longest context (tokens per sequence) that fits at this batch, up to the model's maximum; 0 if none. */
    public int longestContext() {
        return MemorySolver.longestContext(model, deployment(), workload().sequencesAtOnce()).orElse(0);
    }

    /** This scenario on the fewest GPUs of its type that hold the batch at full context. */
    public Scenario fewestGpus() {
        Deployment d = deployment();
        Workload w = workload();
        return MemorySolver.fewestGpus(model, d, w, Catalog.prices())
                .map(f -> withDeployment(f.deployment()))
                .orElseThrow(() -> new InvalidInputException(model.id() + " with batch " + w.sequencesAtOnce() + " x "
                        + w.contextTokens() + " tokens does not fit on up to 64 x " + d.gpu().id()));
    }

    /** For every catalog GPU, the fewest that hold this batch at full context; cheapest per hour first. */
    public Table cheapestGpus() {
        return Tables.fits(MemorySolver.cheapestGpus(model, deployment(), workload(), Catalog.gpus(), Catalog.prices()));
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
        Workload w = workload();
        int length = w.contextTokens();
        List<Gpu> gpus = Catalog.gpus();
        return Tables.plan(CapacityPlanner.plan(model, gpus, d, w, target,
                e -> e.maxLength() != null ? e : e.withMaxLength(length), estimator()), target);
    }

    /**
     * This scenario for each of several GPUs or several models, one row each: {@code compare("h100-sxm", "h200")} or
     * {@code compare("llama-3.1-8b", "qwen2.5-7b")}.
     */
    public Results compare(String... names) {
        return Comparison.of(this, names).table();
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

    /** What the steps say, in one line; nothing is estimated (a setting that cannot work still prints). */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(model.id());
        if (gpu == null) {
            b.append(" (no GPU chosen: add .on(\"<gpu>\"))");
        } else {
            b.append(" on ").append(resolvedGpus()).append(" x ").append(gpu.id()).append(" (tp=").append(resolvedTp())
                    .append(", pp=").append(pp).append(ep > 1 ? ", ep=" + ep : "").append(attentionDp ? ", attention dp" : "").append(')');
        }
        if (weights != null || kv != null) {
            b.append(", weights ").append(weights == null ? "default" : weights.name()).append(", KV ").append(kv == null ? "default" : kv.name());
        }
        b.append(", ").append(engine.id()).append('@').append(engine.release().version());
        new java.util.TreeMap<>(knobs).forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        if (maxLength != null) {
            b.append(" max length ").append(maxLength);
        }
        Workload w = workload();
        b.append(", ").append(w.inputTokens()).append(" in / ").append(w.outputTokens()).append(" out, ").append(w.load());
        return b.toString();
    }
}
