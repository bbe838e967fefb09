package dev.headroom.core;

import java.util.ArrayList;
import java.util.List;

/**
 * TensorRT-LLM: after weights and the engine's activation workspace (sized for max_num_tokens), the paged
 * KV pool takes free_gpu_memory_fraction of what is free, in blocks of tokens_per_block. A static
 * (non-paged) cache reserves max_batch_size x max_seq_len instead.
 */
public record TensorRtLlm(double freeGpuMemoryFraction, boolean paged, int tokensPerBlock, int maxNumTokens,
                          int maxBatchSize, Integer maxSeqLen) implements Engine {
    public TensorRtLlm {
        Engine.requireFraction("free_gpu_memory_fraction", freeGpuMemoryFraction);
        Engine.requirePositive("tokens_per_block", tokensPerBlock);
        Engine.requirePositive("max_num_tokens", maxNumTokens);
        Engine.requirePositive("max_batch_size", maxBatchSize);
        Engine.requirePositive("max_seq_len", maxSeqLen);
    }

    public static TensorRtLlm defaults() {
        return new TensorRtLlm(0.9, true, 64, 8192, 2048, null);
    }

    @Override
    public String name() {
        return "trtllm";
    }

    public TensorRtLlm withFreeGpuMemoryFraction(double f) {
        return new TensorRtLlm(f, paged, tokensPerBlock, maxNumTokens, maxBatchSize, maxSeqLen);
    }

    public TensorRtLlm withMaxSeqLen(Integer n) {
        return new TensorRtLlm(freeGpuMemoryFraction, paged, tokensPerBlock, maxNumTokens, maxBatchSize, n);
    }

    public TensorRtLlm withPaged(boolean p) {
        return new TensorRtLlm(freeGpuMemoryFraction, p, tokensPerBlock, maxNumTokens, maxBatchSize, maxSeqLen);
    }

    public TensorRtLlm withTokensPerBlock(int n) {
        return new TensorRtLlm(freeGpuMemoryFraction, paged, n, maxNumTokens, maxBatchSize, maxSeqLen);
    }

    public TensorRtLlm withMaxNumTokens(int n) {
        return new TensorRtLlm(freeGpuMemoryFraction, paged, tokensPerBlock, n, maxBatchSize, maxSeqLen);
    }

    @Override
    public Engine withMaxLength(int tokens) {
        return withMaxSeqLen(tokens);
    }

    @Override
    public KvPool reserve(RankMemory rank, ModelSpec model, Workload workload) {
        int len = Engine.maxModelLen(maxSeqLen, model, "max_seq_len");
        List<String> notes = new ArrayList<>();
        notes.add("trtllm: free_gpu_memory_fraction=" + freeGpuMemoryFraction + ", max_num_tokens=" + maxNumTokens
                + ", max_batch_size=" + maxBatchSize + ", max_seq_len=" + len + ", "
                + (paged ? "paged KV, tokens_per_block=" + tokensPerBlock : "static KV (max_batch_size x max_seq_len)"));
        long activation = rank.activation().peakBytes(maxNumTokens, Math.min(maxBatchSize, maxNumTokens));
        long free = rank.visibleMemoryBytes() - rank.weightsBytes() - activation - rank.overheadBytes();
        if (!paged) {
            long kv = (long) maxBatchSize * rank.sequenceKv().bytes(len);
            long tokens = (long) maxBatchSize * len;
            return new KvPool(rank.weightsBytes(), activation, rank.overheadBytes(), kv, tokens, maxBatchSize, len, len,
                    rank.visibleMemoryBytes(), maxBatchSize, notes);
        }
        long blockBytes = (long) tokensPerBlock * rank.kvBytesPerToken();
        long blocks = Engine.floorDiv((long) Math.floor(Math.max(0, free) * freeGpuMemoryFraction), blockBytes);
        return new KvPool(rank.weightsBytes(), activation, rank.overheadBytes(), free < 0 ? free : blocks * blockBytes,
                blocks * tokensPerBlock, blocks, tokensPerBlock, len, rank.visibleMemoryBytes(), maxBatchSize, notes);
    }
}
