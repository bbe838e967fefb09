package dev.headroom.core.training;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.base.Require;
import dev.headroom.core.precision.ComputeType;
import java.util.List;

/**
 * One training run's choices, apart from the model and the GPU type. Immutable: every {@code with...} returns a new
 * setup. The GPUs split as tp x pp x cp x dp (data-parallel replicas); ZeRO and FSDP shard over the dp x cp ranks
 * that hold the same weights.
 *
 * @param loraDropout     dropout on each adapter's input (PEFT lora_dropout); above 0 the dropped-out copy of the input
 *                        and its mask are saved for the backward pass
 * @param framework       null: the one the sharding implies ({@link Framework#defaultFor})
 * @param compute         the GEMM path: BF16, or FP8 (Transformer Engine / torchao float8: GEMMs on the FP8 tensor
 *                        path, weights and master copies unchanged)
 * @param compile         torch.compile: fuses pointwise ops (less memory traffic) and rematerializes them in the
 *                        backward pass instead of saving them
 * @param flashAttention  fused attention that never stores the score matrix (FlashAttention, SDPA, cuDNN)
 * @param dropout         dropout after attention and MLP (GPT-style pre-training; Llama-style fine-tuning has none)
 * @param optimizerInBackward the optimizer steps each parameter as soon as its gradient exists, so gradients of
 *                        the whole model never coexist (torchtune optimizer_in_bwd)
 * @param vp              interleaved pipeline stages per GPU (virtual pipeline size; 1 = plain 1F1B)
 * @param gradAccum       micro-batches per optimizer step on each data-parallel replica
 * @param tokens          a training budget in tokens for time and cost; 0 for none
 * @param usdPerGpuHour   a price to use instead of the catalog's cheapest on-demand one; null for the catalog's
 * @param interNodeBytesPerSecond per GPU, per direction, between nodes (400 Gb/s InfiniBand/RoCE per GPU: 50e9)
 */
public record TrainingSetup(Method method, int loraRank, int loraAlpha, LoraTargets loraTargets, double loraDropout, Sharding sharding,
                            Offload offload, Optimizer optimizer, Recompute recompute, Framework framework,
                            ComputeType compute, boolean compile, boolean flashAttention, boolean dropout,
                            boolean optimizerInBackward, int gpus, int tp, int pp, int cp, int vp, int microBatch,
                            int seqLen, int gradAccum, long tokens, Double usdPerGpuHour, double interNodeBytesPerSecond) {

    /** One 400 Gb/s NIC per GPU, as the 8-GPU H200 nodes of torchtitan's published benchmark ("400Gb/s per GPU"). */
    public static final double DEFAULT_INTER_NODE_BYTES_PER_SECOND = 400e9 / 8;

    public TrainingSetup {
        Require.notNull("method", method);
        Require.notNull("lora targets", loraTargets);
        Require.notNull("sharding", sharding);
        Require.notNull("offload", offload);
        Require.notNull("optimizer", optimizer);
        Require.notNull("recompute", recompute);
        Require.notNull("precision", compute);
        Require.positive("lora rank", loraRank);
        Require.positive("lora alpha", loraAlpha);
        if (!(loraDropout >= 0 && loraDropout < 1)) {
            throw InvalidInputException.field("lora dropout", loraDropout, "must be a probability in [0, 1)");
        }
        Require.positive("gpus", gpus);
        Require.positive("tp", tp);
        Require.positive("pp", pp);
        Require.positive("cp", cp);
        Require.positive("vp", vp);
        Require.positive("micro batch", microBatch);
        Require.positive("sequence length", seqLen);
        Require.positive("gradient accumulation", gradAccum);
        Require.positive("inter-node bandwidth", interNodeBytesPerSecond);
        if (tokens < 0) {
            throw InvalidInputException.field("tokens", tokens, "must be zero (no budget) or a positive number of tokens");
        }
        if (usdPerGpuHour != null) {
            Require.positive("price per GPU-hour", usdPerGpuHour);
        }
        if (compute != ComputeType.BF16 && compute != ComputeType.FP16 && compute != ComputeType.FP8) {
            throw InvalidInputException.unknown("precision", compute.key(), List.of("bf16", "fp16", "fp8"));
        }
        long parallel = (long) tp * pp * cp;
        if (parallel > gpus || gpus % parallel != 0) {
            throw InvalidInputException.field("gpus", gpus, "must be a multiple of tp x pp x cp = " + parallel);
        }
        if (offload.params() && sharding.stage() < 3) {
            throw InvalidInputException.field("offload", offload.key(),
                    "parameters can be offloaded only when they are sharded: use --zero 3 or --fsdp full|hybrid, or --offload optimizer");
        }
        if (vp > 1 && pp == 1) {
            throw InvalidInputException.field("vp", vp, "interleaved stages need pipeline parallelism (pp > 1)");
        }
        if (seqLen % cp != 0) {
            throw InvalidInputException.field("seq-len", seqLen, "must split evenly over cp = " + cp + " context-parallel ranks");
        }
    }

    /** Full training of a model on one GPU: AdamW, bf16, no recompute, micro-batch 1 of 2048 tokens. */
    public static TrainingSetup defaults() {
        return new TrainingSetup(Method.FULL, 16, 32, LoraTargets.ALL_LINEAR, 0.0, Sharding.DDP, Offload.NONE, Optimizer.ADAMW,
                Recompute.NONE, null, ComputeType.BF16, false, true, false, false, 1, 1, 1, 1, 1, 1, 2048, 1, 0, null,
                DEFAULT_INTER_NODE_BYTES_PER_SECOND);
    }

    /** Data-parallel replicas: GPUs / (tp x pp x cp). */
    public int dp() {
        return gpus / (tp * pp * cp);
    }

    /** Ranks that hold the same weights and so share ZeRO/FSDP shards: dp x cp. */
    public int shardGroup() {
        return dp() * cp;
    }

    /** The framework in effect: the one named, or the one the sharding and model parallelism imply. */
    public Framework effectiveFramework() {
        return framework != null ? framework : Framework.defaultFor(sharding, tp * pp * cp > 1);
    }

    /** Tokens one optimizer step consumes over all replicas. */
    public long tokensPerStep() {
        return (long) microBatch * seqLen * gradAccum * dp();
    }

    public TrainingSetup withMethod(Method m) {
        return new TrainingSetup(m, loraRank, loraAlpha, loraTargets, loraDropout, sharding, offload, optimizer, recompute, framework, compute,
                compile, flashAttention, dropout, optimizerInBackward, gpus, tp, pp, cp, vp, microBatch, seqLen, gradAccum, tokens,
                usdPerGpuHour, interNodeBytesPerSecond);
    }

    public TrainingSetup withLora(int rank, int alpha, LoraTargets targets) {
        return new TrainingSetup(method, rank, alpha, targets, loraDropout, sharding, offload, optimizer, recompute, framework, compute,
                compile, flashAttention, dropout, optimizerInBackward, gpus, tp, pp, cp, vp, microBatch, seqLen, gradAccum, tokens,
                usdPerGpuHour, interNodeBytesPerSecond);
    }

    public TrainingSetup withLoraDropout(double p) {
        return new TrainingSetup(method, loraRank, loraAlpha, loraTargets, p, sharding, offload, optimizer, recompute, framework, compute,
                compile, flashAttention, dropout, optimizerInBackward, gpus, tp, pp, cp, vp, microBatch, seqLen, gradAccum, tokens,
                usdPerGpuHour, interNodeBytesPerSecond);
    }

    public TrainingSetup withSharding(Sharding s) {
        return new TrainingSetup(method, loraRank, loraAlpha, loraTargets, loraDropout, s, offload, optimizer, recompute, framework, compute,
                compile, flashAttention, dropout, optimizerInBackward, gpus, tp, pp, cp, vp, microBatch, seqLen, gradAccum, tokens,
                usdPerGpuHour, interNodeBytesPerSecond);
    }

    public TrainingSetup withOffload(Offload o) {
        return new TrainingSetup(method, loraRank, loraAlpha, loraTargets, loraDropout, sharding, o, optimizer, recompute, framework, compute,
                compile, flashAttention, dropout, optimizerInBackward, gpus, tp, pp, cp, vp, microBatch, seqLen, gradAccum, tokens,
                usdPerGpuHour, interNodeBytesPerSecond);
    }

    public TrainingSetup withOptimizer(Optimizer o) {
        return new TrainingSetup(method, loraRank, loraAlpha, loraTargets, loraDropout, sharding, offload, o, recompute, framework, compute,
                compile, flashAttention, dropout, optimizerInBackward, gpus, tp, pp, cp, vp, microBatch, seqLen, gradAccum, tokens,
                usdPerGpuHour, interNodeBytesPerSecond);
    }

    public TrainingSetup withRecompute(Recompute r) {
        return new TrainingSetup(method, loraRank, loraAlpha, loraTargets, loraDropout, sharding, offload, optimizer, r, framework, compute,
                compile, flashAttention, dropout, optimizerInBackward, gpus, tp, pp, cp, vp, microBatch, seqLen, gradAccum, tokens,
                usdPerGpuHour, interNodeBytesPerSecond);
    }

    public TrainingSetup withFramework(Framework f) {
        return new TrainingSetup(method, loraRank, loraAlpha, loraTargets, loraDropout, sharding, offload, optimizer, recompute, f, compute,
                compile, flashAttention, dropout, optimizerInBackward, gpus, tp, pp, cp, vp, microBatch, seqLen, gradAccum, tokens,
                usdPerGpuHour, interNodeBytesPerSecond);
    }

    public TrainingSetup withCompute(ComputeType c) {
        return new TrainingSetup(method, loraRank, loraAlpha, loraTargets, loraDropout, sharding, offload, optimizer, recompute, framework, c,
                compile, flashAttention, dropout, optimizerInBackward, gpus, tp, pp, cp, vp, microBatch, seqLen, gradAccum, tokens,
                usdPerGpuHour, interNodeBytesPerSecond);
    }

    public TrainingSetup withKernels(boolean compile, boolean flashAttention, boolean dropout, boolean optimizerInBackward) {
        return new TrainingSetup(method, loraRank, loraAlpha, loraTargets, loraDropout, sharding, offload, optimizer, recompute, framework, compute,
                compile, flashAttention, dropout, optimizerInBackward, gpus, tp, pp, cp, vp, microBatch, seqLen, gradAccum, tokens,
                usdPerGpuHour, interNodeBytesPerSecond);
    }

    public TrainingSetup withParallel(int gpus, int tp, int pp, int cp, int vp) {
        return new TrainingSetup(method, loraRank, loraAlpha, loraTargets, loraDropout, sharding, offload, optimizer, recompute, framework, compute,
                compile, flashAttention, dropout, optimizerInBackward, gpus, tp, pp, cp, vp, microBatch, seqLen, gradAccum, tokens,
                usdPerGpuHour, interNodeBytesPerSecond);
    }

    public TrainingSetup withBatch(int microBatch, int seqLen, int gradAccum) {
        return new TrainingSetup(method, loraRank, loraAlpha, loraTargets, loraDropout, sharding, offload, optimizer, recompute, framework, compute,
                compile, flashAttention, dropout, optimizerInBackward, gpus, tp, pp, cp, vp, microBatch, seqLen, gradAccum, tokens,
                usdPerGpuHour, interNodeBytesPerSecond);
    }

    public TrainingSetup withBudget(long tokens, Double usdPerGpuHour) {
        return new TrainingSetup(method, loraRank, loraAlpha, loraTargets, loraDropout, sharding, offload, optimizer, recompute, framework, compute,
                compile, flashAttention, dropout, optimizerInBackward, gpus, tp, pp, cp, vp, microBatch, seqLen, gradAccum, tokens,
                usdPerGpuHour, interNodeBytesPerSecond);
    }

    public TrainingSetup withInterNodeBandwidth(double bytesPerSecond) {
        return new TrainingSetup(method, loraRank, loraAlpha, loraTargets, loraDropout, sharding, offload, optimizer, recompute, framework, compute,
                compile, flashAttention, dropout, optimizerInBackward, gpus, tp, pp, cp, vp, microBatch, seqLen, gradAccum, tokens,
                usdPerGpuHour, bytesPerSecond);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(method.key());
        if (method.adapters()) {
            b.append(" r").append(loraRank).append(" on ").append(loraTargets);
        }
        b.append(", ").append(gpus).append(" GPU").append(gpus > 1 ? "s" : "");
        if (tp * pp * cp > 1) {
            b.append(" (tp ").append(tp).append(", pp ").append(pp).append(vp > 1 ? " x" + vp : "").append(", cp ").append(cp)
                    .append(", dp ").append(dp()).append(')');
        }
        b.append(", ").append(sharding.key()).append(offload != Offload.NONE ? " offload " + offload.key() : "")
                .append(", ").append(optimizer.key()).append(", recompute ").append(recompute.key())
                .append(", ").append(effectiveFramework().key()).append(' ').append(compute.key()).append(compile ? " compiled" : "")
                .append(", micro-batch ").append(microBatch).append(" x ").append(seqLen).append(" tokens")
                .append(gradAccum > 1 ? ", grad-accum " + gradAccum : "");
        return b.toString();
    }
}
