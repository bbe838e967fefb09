package dev.headroom.core.engine;

import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.workload.Workload;
import java.util.List;

/**
 * TensorRT-LLM: after weights and the engine's activation workspace (sized for max_num_tokens), the paged
 * KV pool takes free_gpu_memory_fraction of what is free, in blocks of tokens_per_block. A static
 * (non-paged) cache reserves max_batch_size x max_seq_len instead.
 */
public record TensorRtLlm(Release release, double freeGpuMemoryFraction, boolean paged, int tokensPerBlock,
                          int maxNumTokens, int maxBatchSize, Integer maxSeqLen) implements Engine {
    public static final List<Release> RELEASES = List.of(
            // docs/source/reference/memory.md: KV = free_gpu_memory_fraction x free memory after weights and activations.
            new Release("0.9", "github:NVIDIA/TensorRT-LLM docs/source/reference/memory.md@v0.9.0"));

    public TensorRtLlm {
        Engine.requireFraction("free_gpu_memory_fraction", freeGpuMemoryFraction);
        Engine.requirePositive("tokens_per_block", tokensPerBlock);
        Engine.requirePositive("max_num_tokens", maxNumTokens);
        Engine.requirePositive("max_batch_size", maxBatchSize);
        Engine.requirePositive("max_seq_len", maxSeqLen);
    }

    public static TensorRtLlm defaults() {
        return at(null);
    }

    public static TensorRtLlm at(String version) {
        return new TensorRtLlm(Release.resolve("trtllm", version, RELEASES), 0.9, true, 64, 8192, 2048, null);
    }

    @Override
    public String id() {
        return "trtllm";
    }

    public TensorRtLlm withFreeGpuMemoryFraction(double f) {
        return new TensorRtLlm(release, f, paged, tokensPerBlock, maxNumTokens, maxBatchSize, maxSeqLen);
    }

    public TensorRtLlm withMaxSeqLen(Integer n) {
        return new TensorRtLlm(release, freeGpuMemoryFraction, paged, tokensPerBlock, maxNumTokens, maxBatchSize, n);
    }

    public TensorRtLlm withPaged(boolean p) {
        return new TensorRtLlm(release, freeGpuMemoryFraction, p, tokensPerBlock, maxNumTokens, maxBatchSize, maxSeqLen);
    }

    public TensorRtLlm withTokensPerBlock(int n) {
        return new TensorRtLlm(release, freeGpuMemoryFraction, paged, n, maxNumTokens, maxBatchSize, maxSeqLen);
    }

    public TensorRtLlm withMaxNumTokens(int n) {
        return new TensorRtLlm(release, freeGpuMemoryFraction, paged, tokensPerBlock, n, maxBatchSize, maxSeqLen);
    }

    public TensorRtLlm withMaxBatchSize(int n) {
        return new TensorRtLlm(release, freeGpuMemoryFraction, paged, tokensPerBlock, maxNumTokens, n, maxSeqLen);
    }

    @Override
    public Integer maxLength() {
        return maxSeqLen;
    }

    @Override
    public Engine withMaxLength(int tokens) {
        return withMaxSeqLen(tokens);
    }

    @Override
    public Engine with(String knob, String value) {
        return switch (knob) {
            case "free_gpu_memory_fraction", "kv_cache_free_gpu_mem_fraction" -> withFreeGpuMemoryFraction(Engine.doubleValue(id(), knob, value));
            case "paged_kv_cache" -> withPaged(Engine.boolValue(id(), knob, value));
            case "tokens_per_block" -> withTokensPerBlock(Engine.intValue(id(), knob, value));
            case "max_num_tokens" -> withMaxNumTokens(Engine.intValue(id(), knob, value));
            case "max_batch_size" -> withMaxBatchSize(Engine.intValue(id(), knob, value));
            case "max_seq_len" -> withMaxSeqLen(Engine.intValue(id(), knob, value));
            default -> throw Engine.unknownKnob(this, knob);
        };
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                new Setting("free_gpu_memory_fraction", String.valueOf(freeGpuMemoryFraction), "share of the memory left after weights and activations for the KV pool"),
                new Setting("paged_kv_cache", String.valueOf(paged), "paged KV blocks; false reserves max_batch_size x max_seq_len"),
                new Setting("tokens_per_block", String.valueOf(tokensPerBlock), "tokens per KV block"),
                new Setting("max_num_tokens", String.valueOf(maxNumTokens), "tokens in one forward pass (activation workspace)"),
                new Setting("max_batch_size", String.valueOf(maxBatchSize), "sequences running at once"),
                new Setting("max_seq_len", maxSeqLen == null ? "model default" : maxSeqLen.toString(), "longest sequence admitted"));
    }

    /**
     * The default capacity scheduler, GUARANTEED_NO_EVICT, admits a request only with blocks for its whole prompt
     * and maximum output reserved (docs/source/performance/performance-tuning-guide/useful-runtime-flags.md).
     */
    @Override
    public double heldTokensPerRequest(int input, int output) {
        return (double) input + output;
    }

    @Override
    public int tokensPerStep(ModelSpec model) {
        return maxNumTokens;
    }

    @Override
    public KvPool reserve(RankFacts rank, ModelSpec model, Workload workload) {
        int len = Engine.maxModelLen(maxSeqLen, model, "max_seq_len");
        long activation = rank.activation().peakBytes(maxNumTokens, Math.min(maxBatchSize, maxNumTokens));
        long free = rank.visibleMemoryBytes() - rank.weightsBytes() - activation - rank.overheadBytes();
        if (!paged) {
            long kv = dev.headroom.core.base.Checked.multiply(maxBatchSize, rank.kv().bytes(len), "static KV cache bytes");
            return KvPool.reserved(rank.weightsBytes(), activation, rank.overheadBytes(), rank.visibleMemoryBytes(), kv,
                    (long) maxBatchSize * len, maxBatchSize, len, len, maxBatchSize);
        }
        long blockBytes = (long) tokensPerBlock * rank.kvBytesPerToken();
        long share = free < 0 ? free : (long) Math.floor(free * freeGpuMemoryFraction);
        return KvPool.ofFree(rank.weightsBytes(), activation, rank.overheadBytes(), rank.visibleMemoryBytes(), share,
                tokensPerBlock, blockBytes, len, maxBatchSize);
    }
}
