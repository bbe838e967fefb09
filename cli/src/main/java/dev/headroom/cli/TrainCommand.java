package dev.headroom.cli;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.precision.ComputeType;
import dev.headroom.core.training.Framework;
import dev.headroom.core.training.LoraTargets;
import dev.headroom.core.training.Method;
import dev.headroom.core.training.Offload;
import dev.headroom.core.training.Optimizer;
import dev.headroom.core.training.Recompute;
import dev.headroom.core.training.Sharding;
import dev.headroom.core.training.TrainingColumn;
import dev.headroom.core.training.TrainingColumns;
import dev.headroom.core.training.TrainingEfficiency;
import dev.headroom.core.training.TrainingEstimate;
import dev.headroom.core.training.TrainingModel;
import dev.headroom.core.training.TrainingSetup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Exit 0 when the setup fits, 1 when it does not (the memory breakdown says why; no time or cost), 2 on a user mistake. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Training or fine-tuning one model on a GPU type: memory per GPU by term (weights, master copies, gradients, "
                + "optimizer states, activations, logits, buffers), host memory for offload, step time, tokens/s, MFU, and "
                + "GPU-hours and cost for a token budget.",
                "Exits 1 when the setup does not fit (no time or cost is given for it)."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "ID|HF-REPO|PATH", description = "Catalog id, Hugging Face repo id, or a config.json path.")
    String model;

    @Option(names = "--gpu", required = true, paramLabel = "ID|PATH", description = "Catalog GPU id or a GPU file.")
    String gpu;

    @Option(names = "--gpu-memory-gib", paramLabel = "X", description = "Override the memory the GPU reports, in GiB.")
    Double gpuMemoryGib;

    @Option(names = "--gpus", paramLabel = "N", defaultValue = "1", description = "GPUs in total; data-parallel unless tp, pp or cp split them (default: ${DEFAULT-VALUE}).")
    int gpus;

    @Option(names = "--tp", paramLabel = "N", defaultValue = "1", description = "Tensor-parallel degree (with sequence parallelism) (default: ${DEFAULT-VALUE}).")
    int tp;

    @Option(names = "--pp", paramLabel = "N", defaultValue = "1", description = "Pipeline stages, 1F1B (default: ${DEFAULT-VALUE}).")
    int pp;

    @Option(names = "--vp", paramLabel = "N", defaultValue = "1", description = "Interleaved stages per GPU (default: ${DEFAULT-VALUE}).")
    int vp;

    @Option(names = "--cp", paramLabel = "N", defaultValue = "1", description = "Context-parallel degree: the sequence split over N GPUs (default: ${DEFAULT-VALUE}).")
    int cp;

    @Option(names = "--method", paramLabel = "M", defaultValue = "full", description = "full, lora or qlora (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--zero", paramLabel = "STAGE", description = "DeepSpeed ZeRO stage: 0, 1, 2 or 3.")
    Integer zero;

    @Option(names = "--fsdp", paramLabel = "KIND", description = "PyTorch FSDP: full or hybrid (shard within a node, replicate across).")
    String fsdp;

    @Option(names = "--offload", paramLabel = "WHAT", defaultValue = "none", description = "none, optimizer or optimizer+params (default: ${DEFAULT-VALUE}).")
    String offload;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "adamw, adamw-8bit, paged-adamw, paged-adamw-8bit, sgd or adafactor "
            + "(default: adamw; paged-adamw-8bit for qlora).")
    String optimizer;

    @Option(names = "--recompute", paramLabel = "MODE", defaultValue = "none", description = "Activation recomputation: none, selective or full (default: ${DEFAULT-VALUE}).")
    String recompute;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "bf16", description = "GEMM precision: bf16 or fp8 (the FP8 tensor path) (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--framework", paramLabel = "F", description = "Byte layout of model states: deepspeed, megatron, torch-amp or pure-bf16 "
            + "(default: deepspeed with --zero, torch-amp with --fsdp or alone, megatron with tp/pp/cp).")
    String framework;

    @Option(names = "--compile", description = "torch.compile: fused pointwise ops and a fused loss.")
    boolean compile;

    @Option(names = "--eager-attention", description = "Attention that stores the score matrix (no FlashAttention/SDPA).")
    boolean eagerAttention;

    @Option(names = "--optimizer-in-backward", description = "Step each parameter as its gradient is ready (torchtune optimizer_in_bwd).")
    boolean optimizerInBackward;

    @Option(names = "--micro-batch", paramLabel = "N", defaultValue = "1", description = "Sequences per micro-batch per GPU (default: ${DEFAULT-VALUE}).")
    int microBatch;

    @Option(names = "--seq-len", paramLabel = "N", defaultValue = "2048", description = "Tokens per sequence (packed) (default: ${DEFAULT-VALUE}).")
    int seqLen;

    @Option(names = "--grad-accum", paramLabel = "N", defaultValue = "1", description = "Micro-batches per optimizer step (default: ${DEFAULT-VALUE}).")
    int gradAccum;

    @Option(names = "--lora-rank", paramLabel = "R", defaultValue = "16", description = "LoRA rank (default: ${DEFAULT-VALUE}).")
    int loraRank;

    @Option(names = "--lora-alpha", paramLabel = "A", description = "LoRA alpha (default: 2 x rank); scales updates, costs nothing.")
    Integer loraAlpha;

    @Option(names = "--lora-dropout", paramLabel = "P", defaultValue = "0", description = "Dropout on the adapters' inputs (PEFT lora_dropout); "
            + "above 0 each adapted layer keeps a dropped-out copy of its input (default: ${DEFAULT-VALUE}).")
    double loraDropout;

    @Option(names = "--lora-targets", paramLabel = "LIST", defaultValue = "all-linear",
            description = "Adapted matrices: all-linear, or a list of q, k, v, o, gate, up, down, lm_head (default: ${DEFAULT-VALUE}).")
    String loraTargets;

    @Option(names = "--tokens", paramLabel = "N", description = "Training budget in tokens (1000000000, 1e9, 1B, 500M): GPU-hours and cost for it.")
    String tokens;

    @Option(names = "--gpu-price-per-hour", paramLabel = "USD", description = "Price of one GPU-hour (default: the cheapest catalog on-demand listing).")
    Double gpuPricePerHour;

    @Option(names = "--inter-node-gbps", paramLabel = "GBIT", description = "Network per GPU between nodes, Gbit/s per direction (default: 400).")
    Double interNodeGbps;

    @Mixin
    Output output;

    @Override
    public Integer call() {
        TrainingSetup setup = setup();
        Gpu g = Catalog.gpu(gpu);
        if (gpuMemoryGib != null) {
            if (!(gpuMemoryGib > 0) || gpuMemoryGib.isInfinite() || gpuMemoryGib > 1 << 20) {
                throw InvalidInputException.field("--gpu-memory-gib", gpuMemoryGib, "must be a positive number of GiB");
            }
            g = g.withVisibleMemory(Bytes.ofGiB(gpuMemoryGib).value());
        }
        TrainingEstimate e;
        try {
            e = TrainingModel.estimate(Catalog.profile(model), g, setup, TrainingEfficiency.DEFAULT, Catalog.prices());
        } catch (InvalidInputException mistake) {
            throw mistake.renamed(mistake.field() == null ? null : "--" + mistake.field().replace(' ', '-'));
        }
        String text = switch (output.format) {
            case json -> OutputFormat.json(row(e));
            case csv -> OutputFormat.csv(List.of(row(e)));
            case text -> e.toString();
        };
        output.print(text);
        return e.fits() ? 0 : 1;
    }

    /** Every training column, then the constants the time model used. */
    static Map<String, Object> row(TrainingEstimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (TrainingColumn c : TrainingColumns.ALL) {
            m.put(c.name(), c.value(e));
        }
        m.put("efficiency", e.efficiency().toString());
        return m;
    }

    TrainingSetup setup() {
        for (var flag : Map.of("--gpus", gpus, "--tp", tp, "--pp", pp, "--vp", vp, "--cp", cp, "--micro-batch", microBatch,
                "--seq-len", seqLen, "--grad-accum", gradAccum, "--lora-rank", loraRank).entrySet()) {
            if (flag.getValue() <= 0) {
                throw InvalidInputException.field(flag.getKey(), flag.getValue(), "must be a positive whole number");
            }
        }
        if (loraAlpha != null && loraAlpha <= 0) {
            throw InvalidInputException.field("--lora-alpha", loraAlpha, "must be a positive whole number");
        }
        if (!(loraDropout >= 0 && loraDropout < 1)) {
            throw InvalidInputException.field("--lora-dropout", loraDropout, "must be a probability in [0, 1)");
        }
        long parallel = (long) tp * pp * cp;
        if (parallel > gpus || gpus % parallel != 0) {
            throw InvalidInputException.field("--gpus", gpus, "must be a multiple of --tp x --pp x --cp = " + parallel);
        }
        if (vp > 1 && pp == 1) {
            throw InvalidInputException.field("--vp", vp, "interleaved stages need --pp above 1");
        }
        if (seqLen % cp != 0) {
            throw InvalidInputException.field("--seq-len", seqLen, "must split evenly over --cp " + cp);
        }
        if (zero != null && fsdp != null) {
            throw new InvalidInputException("--zero and --fsdp both shard model states: give one of them");
        }
        Method m = Method.parse(method, "--method");
        Sharding sharding = zero != null ? zeroStage(zero) : fsdp != null ? Sharding.fsdp(fsdp, "--fsdp") : Sharding.DDP;
        Offload o = Offload.parse(offload, "--offload");
        if (o.params() && sharding.stage() < 3) {
            throw InvalidInputException.field("--offload", offload, "parameters can be offloaded only when they are sharded: "
                    + "add --zero 3 or --fsdp full|hybrid, or use --offload optimizer");
        }
        Optimizer opt = optimizer != null ? Optimizer.parse(optimizer, "--optimizer") : m == Method.QLORA ? Optimizer.PAGED_ADAMW_8BIT : Optimizer.ADAMW;
        ComputeType compute = switch (precision.trim().toLowerCase(Locale.ROOT)) {
            case "bf16" -> ComputeType.BF16;
            case "fp16" -> ComputeType.FP16;
            case "fp8" -> ComputeType.FP8;
            default -> throw InvalidInputException.unknown("--precision", precision, List.of("bf16", "fp16", "fp8"));
        };
        LoraTargets targets = LoraTargets.parse(loraTargets, "--lora-targets");
        long budget = tokens == null ? 0 : tokens(tokens);
        if (gpuPricePerHour != null && (!(gpuPricePerHour > 0) || gpuPricePerHour.isInfinite())) {
            throw InvalidInputException.field("--gpu-price-per-hour", gpuPricePerHour, "must be a positive number of US dollars");
        }
        double network = TrainingSetup.DEFAULT_INTER_NODE_BYTES_PER_SECOND;
        if (interNodeGbps != null) {
            if (!(interNodeGbps > 0) || interNodeGbps.isInfinite()) {
                throw InvalidInputException.field("--inter-node-gbps", interNodeGbps, "must be a positive number of Gbit/s");
            }
            network = interNodeGbps * 1e9 / 8;
        }
        return TrainingSetup.defaults().withMethod(m).withLora(loraRank, loraAlpha != null ? loraAlpha : 2 * loraRank, targets)
                .withLoraDropout(loraDropout).withSharding(sharding).withOffload(o).withOptimizer(opt).withRecompute(Recompute.parse(recompute, "--recompute"))
                .withFramework(framework == null ? null : Framework.parse(framework, "--framework")).withCompute(compute)
                .withKernels(compile, !eagerAttention, false, optimizerInBackward).withParallel(gpus, tp, pp, cp, vp)
                .withBatch(microBatch, seqLen, gradAccum).withBudget(budget, gpuPricePerHour).withInterNodeBandwidth(network);
    }

    private static Sharding zeroStage(int stage) {
        if (stage < 0 || stage > 3) {
            throw InvalidInputException.field("--zero", stage, "valid ZeRO stages: 0, 1, 2, 3");
        }
        return Sharding.zero(stage);
    }

    private static final Pattern TOKENS = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kKmMbBtT]?|[eE][0-9]+)\\s*");

    /** "1000000000", "1e9", "1B", "500M", "2.5T": a whole number of tokens. */
    static long tokens(String text) {
        Matcher m = TOKENS.matcher(text);
        if (!m.matches()) {
            throw InvalidInputException.field("--tokens", "'" + text + "'", "write a positive number of tokens: 1000000000, 1e9, 1B, 500M, 2.5T");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        double scale = switch (unit) {
            case "" -> 1;
            case "k" -> 1e3;
            case "m" -> 1e6;
            case "b" -> 1e9;
            case "t" -> 1e12;
            default -> Math.pow(10, Integer.parseInt(unit.substring(1)));
        };
        double v = n * scale;
        if (!(v >= 1) || v > 1e18) {
            throw InvalidInputException.field("--tokens", "'" + text + "'", "must be between 1 and 1e18 tokens");
        }
        return Math.round(v);
    }
}
