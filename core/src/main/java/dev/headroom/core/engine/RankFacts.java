package dev.headroom.core.engine;

import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.KvLayout;

/**
 * What one GPU of a deployment holds before the engine sizes its KV pool: the facts an engine budget needs.
 *
 * @param gpu                the GPU (its driver-reported total is what engines budget from)
 * @param weightsBytes       weights on this rank as the engine loads them (kernel padding included)
 * @param kv                 what one sequence caches on this rank (full, windowed and recurrent layers)
 * @param communicationBytes collective-communication buffers on this rank (NCCL, custom all-reduce); 0 on one GPU
 * @param activation         activation memory of one forward pass on this rank
 * @param rotaryCacheBytes   the rotary-embedding cos/sin table PyTorch engines build at load time
 * @param vocabSize          the vocabulary: logits and sampling buffers are rows x vocab
 * @param tp                 tensor-parallel degree (some engine defaults depend on it)
 * @param pp                 pipeline-parallel degree
 * @param lastStage          this rank computes logits and samples (the last pipeline stage)
 * @param weightsFormat      the weights' format (compiled engines keep fp8 activations between fp8 GEMMs)
 */
public record RankFacts(Gpu gpu, long weightsBytes, KvLayout kv, long communicationBytes, Activation activation,
                        long rotaryCacheBytes, int vocabSize, int tp, int pp, boolean lastStage,
                        dev.headroom.core.precision.Precision weightsFormat) {

    /** Activation memory of one forward pass over {@code tokens} tokens on this rank (16-bit, logits excluded). */
    @FunctionalInterface
    public interface Activation {
        long forwardBytes(long tokens);
    }

    /** The total the driver reports: every engine budgets from this. */
    public long visibleMemoryBytes() {
        return gpu.visibleMemoryBytes();
    }

    /** The nominal capacity (what nvidia-smi lists; SGLang picks its defaults from it). */
    public long capacityBytes() {
        return gpu.memoryBytes();
    }

    /** KV bytes of one token on this rank with every layer at full length: what block-based pools divide by. */
    public long kvBytesPerToken() {
        return kv.allBytesPerToken();
    }

    /** fp32 logits of {@code rows} sampled positions (only the last pipeline stage computes them). */
    public long logitsBytes(long rows) {
        return lastStage ? dev.headroom.core.base.Checked.multiply(rows, 4L * vocabSize, "logit bytes") : 0;
    }

    /** Whether the rank exchanges activations with others (tensor or pipeline parallel). */
    public boolean communicates() {
        return communicationBytes > 0;
    }
}
