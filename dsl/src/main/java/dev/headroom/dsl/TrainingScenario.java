package dev.headroom.dsl;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.precision.ComputeType;
import dev.headroom.core.training.Framework;
import dev.headroom.core.training.LoraTargets;
import dev.headroom.core.training.Method;
import dev.headroom.core.training.Offload;
import dev.headroom.core.training.Optimizer;
import dev.headroom.core.training.Recompute;
import dev.headroom.core.training.Sharding;
import dev.headroom.core.training.TrainingEfficiency;
import dev.headroom.core.training.TrainingEstimate;
import dev.headroom.core.training.TrainingMemory;
import dev.headroom.core.training.TrainingModel;
import dev.headroom.core.training.TrainingSetup;
import dev.headroom.core.training.TrainingSolver;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import tech.tablesaw.api.Table;

/**
 * One training question, built step by step from a scenario: {@code model("llama-3.1-8b").on("h100-sxm").gpus(8).train()}.
 * GPUs given to the scenario are data-parallel unless {@code tp}, {@code pp} or {@code cp} split them. Every step
 * returns a new value, so a half-built one can be kept and branched from.
 *
 * @param gpu null until {@link #on} names one (memory and time need it)
 */
public record TrainingScenario(ModelProfile model, Gpu gpu, TrainingSetup setup, TrainingEfficiency efficiency) {

    /** The training scenario of an inference scenario: its model, GPU, GPU count, tp and pp; full training by default. */
    static TrainingScenario from(Scenario s) {
        int tp = s.tp() != null ? s.tp() : 1;
        int gpus = s.gpus() != null ? s.gpus() : tp * s.pp();
        TrainingSetup setup = TrainingSetup.defaults().withParallel(gpus, tp, s.pp(), 1, 1);
        return new TrainingScenario(s.model(), s.gpu(), setup, TrainingEfficiency.DEFAULT);
    }

    private TrainingScenario with(TrainingSetup next) {
        return new TrainingScenario(model, gpu, next, efficiency);
    }

    public TrainingScenario on(String gpuName) {
        return new TrainingScenario(model, Catalog.gpu(Args.name("on(...)", gpuName)), setup, efficiency);
    }

    public TrainingScenario on(Gpu g) {
        return new TrainingScenario(model, Args.notNull("on(gpu)", g), setup, efficiency);
    }

    // ------------------------------------------------------------------ parallelism

    public TrainingScenario gpus(int n) {
        return with(setup.withParallel(Args.positive("gpus(...)", n), setup.tp(), setup.pp(), setup.cp(), setup.vp()));
    }

    public TrainingScenario tp(int n) {
        return with(setup.withParallel(setup.gpus(), Args.positive("tp(...)", n), setup.pp(), setup.cp(), setup.vp()));
    }

    public TrainingScenario pp(int n) {
        return with(setup.withParallel(setup.gpus(), setup.tp(), Args.positive("pp(...)", n), setup.cp(), setup.vp()));
    }

    /** Context parallelism: the sequence split over this many GPUs. */
    public TrainingScenario cp(int n) {
        return with(setup.withParallel(setup.gpus(), setup.tp(), setup.pp(), Args.positive("cp(...)", n), setup.vp()));
    }

    /** Interleaved pipeline stages per GPU (virtual pipeline size). */
    public TrainingScenario vp(int n) {
        return with(setup.withParallel(setup.gpus(), setup.tp(), setup.pp(), setup.cp(), Args.positive("vp(...)", n)));
    }

    // ------------------------------------------------------------------ what is trained

    /** "full", "lora" or "qlora". */
    public TrainingScenario method(String name) {
        return with(setup.withMethod(Method.parse(Args.name("method(...)", name), "method(...)")));
    }

    public TrainingScenario full() {
        return with(setup.withMethod(Method.FULL));
    }

    /** LoRA of this rank (alpha 2 x rank) on the targets set so far (all linear layers unless set). */
    public TrainingScenario lora(int rank) {
        Args.positive("lora(...)", rank);
        return with(setup.withMethod(Method.LORA).withLora(rank, 2 * rank, setup.loraTargets()));
    }

    /** LoRA of this rank on the given targets: "q,v", "q,k,v,o", "all-linear". */
    public TrainingScenario lora(int rank, String targets) {
        Args.positive("lora(...)", rank);
        return with(setup.withMethod(Method.LORA).withLora(rank, 2 * rank,
                LoraTargets.parse(Args.name("lora(rank, ...)", targets), "lora(rank, targets)")));
    }

    /** QLoRA: an NF4 base (double quantization) with LoRA adapters, and a paged 8-bit AdamW, as the QLoRA paper trains. */
    public TrainingScenario qlora() {
        return with(setup.withMethod(Method.QLORA).withOptimizer(Optimizer.PAGED_ADAMW_8BIT));
    }

    public TrainingScenario qlora(int rank) {
        Args.positive("qlora(...)", rank);
        return with(setup.withMethod(Method.QLORA).withOptimizer(Optimizer.PAGED_ADAMW_8BIT).withLora(rank, 2 * rank, setup.loraTargets()));
    }

    /** Dropout on each adapter's input (PEFT's lora_dropout): above 0 its output and mask are kept for backward. */
    public TrainingScenario loraDropout(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new InvalidInputException("loraDropout(" + p + "): must be a probability in [0, 1)");
        }
        return with(setup.withLoraDropout(p));
    }

    public TrainingScenario loraTargets(String targets) {
        return with(setup.withLora(setup.loraRank(), setup.loraAlpha(), LoraTargets.parse(Args.name("loraTargets(...)", targets), "loraTargets(...)")));
    }

    // ------------------------------------------------------------------ how

    /** DeepSpeed ZeRO stage 0-3. */
    public TrainingScenario zero(int stage) {
        return with(setup.withSharding(Sharding.zero(stage)));
    }

    /** PyTorch FSDP: "full" or "hybrid". */
    public TrainingScenario fsdp(String kind) {
        return with(setup.withSharding(Sharding.fsdp(Args.name("fsdp(...)", kind), "fsdp(...)")));
    }

    /** "none", "optimizer" or "optimizer+params". */
    public TrainingScenario offload(String what) {
        return with(setup.withOffload(Offload.parse(Args.name("offload(...)", what), "offload(...)")));
    }

    /** "adamw", "adamw-8bit", "paged-adamw", "paged-adamw-8bit", "sgd" or "adafactor". */
    public TrainingScenario optimizer(String name) {
        return with(setup.withOptimizer(Optimizer.parse(Args.name("optimizer(...)", name), "optimizer(...)")));
    }

    /** "none", "selective" or "full". */
    public TrainingScenario recompute(String mode) {
        return with(setup.withRecompute(Recompute.parse(Args.name("recompute(...)", mode), "recompute(...)")));
    }

    /** The GEMM precision: "bf16" or "fp8". */
    public TrainingScenario precision(String name) {
        String n = Args.name("precision(...)", name).trim().toLowerCase(Locale.ROOT);
        ComputeType c = ComputeType.ofKey(n);
        if (c == null || (c != ComputeType.BF16 && c != ComputeType.FP16 && c != ComputeType.FP8)) {
            throw InvalidInputException.unknown("precision(...)", name, List.of("bf16", "fp16", "fp8"));
        }
        return with(setup.withCompute(c));
    }

    /** The framework's byte layout: "deepspeed", "megatron", "torch-amp" or "pure-bf16". */
    public TrainingScenario framework(String name) {
        return with(setup.withFramework(Framework.parse(Args.name("framework(...)", name), "framework(...)")));
    }

    public TrainingScenario compile() {
        return compile(true);
    }

    public TrainingScenario compile(boolean on) {
        return with(setup.withKernels(on, setup.flashAttention(), setup.dropout(), setup.optimizerInBackward()));
    }

    /** Attention that materializes the score matrix (no FlashAttention/SDPA). */
    public TrainingScenario eagerAttention() {
        return with(setup.withKernels(setup.compile(), false, setup.dropout(), setup.optimizerInBackward()));
    }

    public TrainingScenario microBatch(int n) {
        return with(setup.withBatch(Args.positive("microBatch(...)", n), setup.seqLen(), setup.gradAccum()));
    }

    public TrainingScenario seqLen(int tokens) {
        return with(setup.withBatch(setup.microBatch(), Args.positive("seqLen(...)", tokens), setup.gradAccum()));
    }

    public TrainingScenario gradAccum(int n) {
        return with(setup.withBatch(setup.microBatch(), setup.seqLen(), Args.positive("gradAccum(...)", n)));
    }

    /** A training budget in tokens: time and cost are given for it. */
    public TrainingScenario tokens(long n) {
        if (n <= 0) {
            throw new InvalidInputException("tokens(" + n + "): must be a positive number of tokens");
        }
        return with(setup.withBudget(n, setup.usdPerGpuHour()));
    }

    public TrainingScenario pricePerGpuHour(double usd) {
        return with(setup.withBudget(setup.tokens(), Args.positive("pricePerGpuHour(...)", usd)));
    }

    /** Adjusts the fitted time constants, e.g. {@code .efficiency(e -> e.withGemm(0.5))}. */
    public TrainingScenario efficiency(UnaryOperator<TrainingEfficiency> adjust) {
        return new TrainingScenario(model, gpu, setup, Args.notNull("efficiency(adjust)", adjust).apply(efficiency));
    }

    /** This scenario with another setup (sweeps and solvers use it). */
    public TrainingScenario withSetup(TrainingSetup next) {
        return with(Args.notNull("withSetup(setup)", next));
    }

    // ------------------------------------------------------------------ answers

    private Gpu gpuOrThrow() {
        if (gpu == null) {
            throw new InvalidInputException("no GPU chosen for " + model.id() + ": add .on(\"<gpu>\") — known: "
                    + String.join(", ", Sizing.gpus()));
        }
        return gpu;
    }

    public TrainingMemory memory() {
        return TrainingModel.memory(model, gpuOrThrow(), setup);
    }

    /** Memory, time (when it fits) and cost for the token budget (when one is set). */
    public TrainingEstimate estimate() {
        return TrainingModel.estimate(model, gpuOrThrow(), setup, efficiency, Catalog.prices());
    }

    /** The estimate as a one-row table of every training column. */
    public Table table() {
        return TrainingTables.of(List.of(estimate()));
    }

    /** The largest micro-batch that fits; 0 if none does. */
    public int largestMicroBatch() {
        return TrainingSolver.largestMicroBatch(model, gpuOrThrow(), setup).orElse(0);
    }

    /** The longest sequence that fits at this micro-batch, up to the model's context; 0 if none does. */
    public int longestSequence() {
        return TrainingSolver.longestSequence(model, gpuOrThrow(), setup).orElse(0);
    }

    /** This scenario on the fewest GPUs of its type (up to 1024) that hold it. */
    public TrainingScenario fewestGpus() {
        Gpu g = gpuOrThrow();
        return TrainingSolver.fewestGpus(model, g, setup, 1024).map(this::with)
                .orElseThrow(() -> new InvalidInputException(model.id() + " (" + setup + ") does not fit on up to 1024 x " + g.id()));
    }

    /** Full, LoRA and QLoRA with each recomputation mode on this GPU: what fits, how fast, at what cost. */
    public Table methods() {
        return TrainingTables.of(TrainingSolver.methods(model, gpuOrThrow(), setup, efficiency, Catalog.prices()));
    }

    /** For the token budget: the cheapest setup of each catalog GPU type (count, ZeRO stage, recomputation), cheapest first. */
    public Table cheapest() {
        return TrainingTables.of(TrainingSolver.cheapest(model, Catalog.gpus(), setup, efficiency, Catalog.prices(), 512));
    }

    public TrainingSweep sweep() {
        return TrainingSweep.over(this);
    }

    @Override
    public String toString() {
        return model.id() + (gpu == null ? " (no GPU chosen: add .on(\"<gpu>\"))" : " on " + gpu.id()) + ": " + setup;
    }
}
