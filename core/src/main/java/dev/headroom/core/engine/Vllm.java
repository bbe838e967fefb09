package dev.headroom.core;

import java.util.ArrayList;
import java.util.List;

/**
 * vLLM (V0 engine, 0.6.x profiling): KV pool = total x gpu_memory_utilization - weights - peak activation
 * of a profile run over max_num_batched_tokens - non-torch memory; cut into blocks of block_size tokens.
 * Max concurrency is pool tokens / max_model_len, as vLLM logs it.
 */
public record Vllm(double gpuMemoryUtilization, int blockSize, Integer maxModelLen, Integer maxNumBatchedTokens,
                   int maxNumSeqs) implements Engine {
    /** vLLM turns on chunked prefill by itself beyond this max_model_len. */
    static final int CHUNKED_PREFILL_ABOVE = 32_768;
    static final int CHUNKED_PREFILL_TOKENS = 2_048;

    public Vllm {
        Engine.requireFraction("gpu_memory_utilization", gpuMemoryUtilization);
        Engine.requirePositive("block_size", blockSize);
        Engine.requirePositive("max_model_len", maxModelLen);
        Engine.requirePositive("max_num_batched_tokens", maxNumBatchedTokens);
        Engine.requirePositive("max_num_seqs", maxNumSeqs);
    }

    public static Vllm defaults() {
        return new Vllm(0.9, 16, null, null, 256);
    }

    @Override
    public String name() {
        return "vllm";
    }

    public Vllm withGpuMemoryUtilization(double f) {
        return new Vllm(f, blockSize, maxModelLen, maxNumBatchedTokens, maxNumSeqs);
    }

    public Vllm withBlockSize(int n) {
        return new Vllm(gpuMemoryUtilization, n, maxModelLen, maxNumBatchedTokens, maxNumSeqs);
    }

    public Vllm withMaxModelLen(Integer n) {
        return new Vllm(gpuMemoryUtilization, blockSize, n, maxNumBatchedTokens, maxNumSeqs);
    }

    public Vllm withMaxNumBatchedTokens(Integer n) {
        return new Vllm(gpuMemoryUtilization, blockSize, maxModelLen, n, maxNumSeqs);
    }

    public Vllm withMaxNumSeqs(int n) {
        return new Vllm(gpuMemoryUtilization, blockSize, maxModelLen, maxNumBatchedTokens, n);
    }

    @Override
    public Engine withMaxLength(int tokens) {
        return withMaxModelLen(tokens);
    }

    @Override
    public KvPool reserve(RankMemory rank, ModelSpec model, Workload workload) {
        int len = Engine.maxModelLen(maxModelLen, model, "max_model_len");
        List<String> notes = new ArrayList<>();
        notes.add("vllm: gpu_memory_utilization=" + gpuMemoryUtilization + ", block_size=" + blockSize
                + ", max_model_len=" + len + (maxModelLen == null ? " (model default)" : "") + ", max_num_seqs=" + maxNumSeqs);
        long batched;
        if (maxNumBatchedTokens != null) {
            batched = maxNumBatchedTokens;
        } else if (len > CHUNKED_PREFILL_ABOVE) {
            batched = CHUNKED_PREFILL_TOKENS;
            notes.add("vllm: chunked prefill is on by default above max_model_len " + CHUNKED_PREFILL_ABOVE
                    + "; max_num_batched_tokens=" + batched);
        } else {
            batched = Math.max(len, 2048);
            notes.add("vllm: max_num_batched_tokens=max(max_model_len, 2048)=" + batched + " (default without chunked prefill)");
        }
        long activation = rank.activation().peakBytes(batched, Math.min(maxNumSeqs, batched));
        long weights = rank.weightsBytes() + rank.rotaryCacheBytes();
        long budget = (long) Math.floor(rank.visibleMemoryBytes() * gpuMemoryUtilization);
        long free = budget - weights - activation - rank.overheadBytes();
        long blockBytes = (long) blockSize * rank.kvBytesPerToken();
        long blocks = Engine.floorDiv(free, blockBytes);
        return new KvPool(weights, activation, rank.overheadBytes(), free < 0 ? free : blocks * blockBytes,
                blocks * blockSize, blocks, blockSize, len, budget, maxNumSeqs, notes);
    }
}
