package dev.headroom.core.engine;

import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.workload.Workload;
import java.util.List;

/**
 * vLLM: KV pool = total x gpu_memory_utilization - weights - peak activation of a profile run over
 * max_num_batched_tokens - non-torch memory; cut into blocks of block_size tokens. Max concurrency is pool
 * tokens / max_model_len, as vLLM logs it.
 */
public record Vllm(Release release, double gpuMemoryUtilization, int blockSize, Integer maxModelLen,
                   Integer maxNumBatchedTokens, int maxNumSeqs) implements Engine {
    /** Releases whose rules are modelled. */
    public static final List<Release> RELEASES = List.of(
            // V0 profiling: vllm/worker/worker.py determine_num_available_blocks; chunked prefill on above 32k
            // (vllm/engine/arg_utils.py, v0.6.x).
            new Release("0.6", "github:vllm-project/vllm vllm/worker/worker.py@v0.6.4 determine_num_available_blocks"));
    /** vLLM turns on chunked prefill by itself beyond this max_model_len. */
    public static final int CHUNKED_PREFILL_ABOVE = 32_768;
    static final int CHUNKED_PREFILL_TOKENS = 2_048;

    public Vllm {
        Engine.requireFraction("gpu_memory_utilization", gpuMemoryUtilization);
        Engine.requirePositive("block_size", blockSize);
        Engine.requirePositive("max_model_len", maxModelLen);
        Engine.requirePositive("max_num_batched_tokens", maxNumBatchedTokens);
        Engine.requirePositive("max_num_seqs", maxNumSeqs);
    }

    public static Vllm defaults() {
        return at(null);
    }

    public static Vllm at(String version) {
        return new Vllm(Release.resolve("vllm", version, RELEASES), 0.9, 16, null, null, 256);
    }

    @Override
    public String id() {
        return "vllm";
    }

    public Vllm withGpuMemoryUtilization(double f) {
        return new Vllm(release, f, blockSize, maxModelLen, maxNumBatchedTokens, maxNumSeqs);
    }

    public Vllm withBlockSize(int n) {
        return new Vllm(release, gpuMemoryUtilization, n, maxModelLen, maxNumBatchedTokens, maxNumSeqs);
    }

    public Vllm withMaxModelLen(Integer n) {
        return new Vllm(release, gpuMemoryUtilization, blockSize, n, maxNumBatchedTokens, maxNumSeqs);
    }

    public Vllm withMaxNumBatchedTokens(Integer n) {
        return new Vllm(release, gpuMemoryUtilization, blockSize, maxModelLen, n, maxNumSeqs);
    }

    public Vllm withMaxNumSeqs(int n) {
        return new Vllm(release, gpuMemoryUtilization, blockSize, maxModelLen, maxNumBatchedTokens, n);
    }

    @Override
    public Integer maxLength() {
        return maxModelLen;
    }

    @Override
    public Engine withMaxLength(int tokens) {
        return withMaxModelLen(tokens);
    }

    @Override
    public Engine with(String knob, String value) {
        return switch (knob) {
            case "gpu_memory_utilization" -> withGpuMemoryUtilization(Engine.doubleValue(id(), knob, value));
            case "block_size" -> withBlockSize(Engine.intValue(id(), knob, value));
            case "max_model_len" -> withMaxModelLen(Engine.intValue(id(), knob, value));
            case "max_num_batched_tokens" -> withMaxNumBatchedTokens(Engine.intValue(id(), knob, value));
            case "max_num_seqs" -> withMaxNumSeqs(Engine.intValue(id(), knob, value));
            default -> throw Engine.unknownKnob(this, knob);
        };
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                new Setting("gpu_memory_utilization", String.valueOf(gpuMemoryUtilization), "share of the GPU's total memory vLLM may use"),
                new Setting("block_size", String.valueOf(blockSize), "tokens per KV block"),
                new Setting("max_model_len", maxModelLen == null ? "model default" : maxModelLen.toString(), "longest sequence admitted"),
                new Setting("max_num_batched_tokens", maxNumBatchedTokens == null ? "default" : maxNumBatchedTokens.toString(),
                        "tokens in one forward pass (the activation profile run)"),
                new Setting("max_num_seqs", String.valueOf(maxNumSeqs), "sequences running at once"));
    }

    @Override
    public List<Integer> lengthBreakpoints() {
        return maxNumBatchedTokens == null ? List.of(CHUNKED_PREFILL_ABOVE) : List.of();
    }

    @Override
    public boolean buildsRotaryTable() {
        return true;
    }

    /** Tokens of the profile run: the user's, else 2,048 with chunked prefill (above 32k), else max(max_model_len, 2,048). */
    public long profiledTokens(int len) {
        if (maxNumBatchedTokens != null) {
            return maxNumBatchedTokens;
        }
        return len > CHUNKED_PREFILL_ABOVE ? CHUNKED_PREFILL_TOKENS : Math.max(len, 2048);
    }

    @Override
    public int tokensPerStep(ModelSpec model) {
        long tokens = profiledTokens(Engine.maxModelLen(maxModelLen, model, "max_model_len"));
        return (int) Math.min(Integer.MAX_VALUE, tokens);
    }

    @Override
    public KvPool reserve(RankFacts rank, ModelSpec model, Workload workload) {
        int len = Engine.maxModelLen(maxModelLen, model, "max_model_len");
        long batched = profiledTokens(len);
        long activation = rank.activation().peakBytes(batched, Math.min(maxNumSeqs, batched));
        long weights = rank.weightsBytes() + rank.rotaryCacheBytes();
        long budget = (long) Math.floor(rank.visibleMemoryBytes() * gpuMemoryUtilization);
        long free = budget - weights - activation - rank.overheadBytes();
        long blockBytes = (long) blockSize * rank.kvBytesPerToken();
        return KvPool.ofFree(weights, activation, rank.overheadBytes(), budget, free, blockSize, blockBytes, len, maxNumSeqs);
    }

    @Override
    public String describe() {
        String base = Engine.super.describe();
        if (maxNumBatchedTokens == null) {
            base += maxModelLen != null && maxModelLen > CHUNKED_PREFILL_ABOVE
                    ? "; chunked prefill is on by default above max_model_len " + CHUNKED_PREFILL_ABOVE + " (max_num_batched_tokens=" + CHUNKED_PREFILL_TOKENS + ")"
                    : "; max_num_batched_tokens = max(max_model_len, 2048) without chunked prefill";
        }
        return base;
    }
}
