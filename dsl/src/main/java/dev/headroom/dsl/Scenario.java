package dev.headroom.dsl;

import dev.headroom.core.Catalog;
import dev.headroom.core.Deployment;
import dev.headroom.core.Engine;
import dev.headroom.core.Gpu;
import dev.headroom.core.InvalidInputException;
import dev.headroom.core.MemoryEstimate;
import dev.headroom.core.MemoryModel;
import dev.headroom.core.ModelSpec;
import dev.headroom.core.Precision;
import dev.headroom.core.Workload;

/**
 * One sizing question, built step by step. Every step returns a new Scenario, so a half-built one can be
 * kept in a variable and branched from: {@code var base = model("llama-3.1-8b").on("h100-sxm");}
 */
public record Scenario(ModelSpec model, Deployment deployment, Workload workload) {
    static Scenario of(ModelSpec model) {
        return new Scenario(model, null, Workload.of(1, 1024, 1024));
    }

    public Scenario on(String gpu) {
        return on(Catalog.gpu(gpu));
    }

    public Scenario on(Gpu gpu) {
        return new Scenario(model, deployment == null ? Deployment.on(gpu) : deployment.withGpu(gpu), workload);
    }

    /** GPUs in total; with {@link #tp} unset they all serve one copy of the model (tp = gpus). */
    public Scenario gpus(int n) {
        Deployment d = requireGpu();
        boolean tpSpansAll = d.tp() * d.pp() == d.gpus();
        Deployment next = d.withGpus(n);
        return with(tpSpansAll && d.pp() == 1 ? next.withTp(n) : next);
    }

    public Scenario tp(int n) {
        return with(requireGpu().withTp(n));
    }

    public Scenario pp(int n) {
        return with(requireGpu().withPp(n));
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

    public Scenario batch(int n) {
        return new Scenario(model, deployment, workload.withBatch(n));
    }

    public Scenario input(int tokens) {
        return new Scenario(model, deployment, workload.withInputTokens(tokens));
    }

    public Scenario output(int tokens) {
        return new Scenario(model, deployment, workload.withOutputTokens(tokens));
    }

    public MemoryEstimate memory() {
        return MemoryModel.estimate(model, requireGpu(), workload);
    }

    /** Starts a sweep over this scenario; add axes with {@code batch(...)}, {@code gpu(...)}, and so on. */
    public Sweep sweep() {
        return Sweep.over(this);
    }

    Scenario with(Deployment d) {
        return new Scenario(model, d, workload);
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
        return deployment == null ? model.id() + " (no GPU chosen)" : memory().toString();
    }
}
