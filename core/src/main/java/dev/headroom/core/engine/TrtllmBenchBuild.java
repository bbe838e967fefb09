package dev.headroom.core.engine;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.precision.Precision;

/**
 * The engine trtllm-bench builds for a benchmark: it does not use trtllm-build's defaults but sizes max_batch_size and
 * max_num_tokens from the KV cache the GPUs would hold for the dataset's lengths (github:NVIDIA/TensorRT-LLM
 * tensorrt_llm/bench/build/tuning.py, calc_engine_setting and finetune_setting, unchanged from v0.15 to v1.0). NVIDIA's
 * perf-overview tables are measured this way, so their rows are replayed with this build. Its arithmetic mixes units
 * (engine size in 10^9 bytes, device memory and KV in GiB) exactly as the tool does.
 *
 * @param maxBatchSize requests the engine runs at once
 * @param maxNumTokens tokens of one forward pass
 */
public record TrtllmBenchBuild(int maxBatchSize, int maxNumTokens) {
    /** kv_cache_gpu_mem_fraction in calc_engine_setting. */
    static final double KV_SHARE = 0.95;

    /**
     * @param params             the model's parameter count
     * @param weights            the engine's weight format: the tool counts FP8 at one byte, NVFP4 (and other 4-bit
     *                           floats) at half a byte, anything else at two (BYTES_PER_ELEM, v0.20 and later)
     * @param kvBytesPerToken    KV bytes of one token over the whole TP group (KV heads replicated up to tp)
     * @param deviceMemoryBytes  one GPU's total memory
     */
    public static TrtllmBenchBuild tuned(long params, Precision weights, long kvBytesPerToken, long deviceMemoryBytes,
                                         int tp, int pp, int inputLen, int outputLen) {
        double bits = weights.bitsPerValue();
        double engineSize = params / 1e9 * (bits <= 4.5 ? 0.5 : bits <= 8.5 ? 1 : 2);
        double total = (double) deviceMemoryBytes / Bytes.GIB * tp * pp;
        double kvMemory = (total - engineSize) * KV_SHARE;
        double requests = Math.max(1, kvMemory / ((double) kvBytesPerToken / Bytes.GIB) / (inputLen + outputLen));
        double rawBatch = Math.min(requests, 4096) / pp;
        double rawTokens = Math.min(rawBatch * (1 + (double) inputLen / outputLen), 32768);
        int batch = rawBatch < 256 ? Math.max(64, 32 * (int) Math.ceil(rawBatch / 32))
                : rawBatch < 1024 ? 128 * (int) Math.ceil(rawBatch / 128) : 256 * (int) Math.ceil(rawBatch / 256);
        int tokens = rawTokens < 4096 ? Math.max(2048, 256 * (int) Math.ceil(rawTokens / 256))
                : rawTokens < 8192 ? 512 * (int) Math.ceil(rawTokens / 512) : 1024 * (int) Math.ceil(rawTokens / 1024);
        return new TrtllmBenchBuild(batch, tokens);
    }

    /** The engine with this build's limits. */
    public Engine applyTo(Engine trtllm) {
        return trtllm.with("max_batch_size", Integer.toString(maxBatchSize)).with("max_num_tokens", Integer.toString(maxNumTokens));
    }
}
