package dev.headroom.core.engine;

import dev.headroom.core.hardware.Gpu;

import dev.headroom.core.base.Checked;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.workload.Workload;
import java.util.List;
import java.util.Locale;

/**
 * TensorRT-LLM: the paged KV pool takes free_gpu_memory_fraction of what is left after the weights, the engine's
 * activation workspace (fixed at build time by max_num_tokens, or max_batch_size x max_input_len for packed input
 * without a limit) and the runtime's buffers (logits for max_batch_size sequences); the C++ runtime reads what is
 * free after the engine is loaded, the PyTorch backend what is left of the total after profiling dummy requests
 * ({@link TensorRtLlmRelease}). A static (non-paged) cache reserves max_batch_size x max_seq_len instead.
 */
public record TensorRtLlm(Release release, Double freeGpuMemoryFraction, boolean paged, int tokensPerBlock, Integer maxNumTokens,
                          Integer maxBatchSize, Integer maxInputLen, Integer maxSeqLen, Integer maxTokensInPagedKvCache,
                          String backend, int maxBeamWidth) implements Engine {
    public static final List<Release> RELEASES = TensorRtLlmRelease.releases();
    static final List<String> BACKENDS = List.of("cpp", "pytorch");

    public TensorRtLlm {
        if (freeGpuMemoryFraction != null) {
            Engine.requireFraction("free_gpu_memory_fraction", freeGpuMemoryFraction);
        }
        Engine.requirePositive("tokens_per_block", tokensPerBlock);
        Engine.requirePositive("max_num_tokens", maxNumTokens);
        Engine.requirePositive("max_batch_size", maxBatchSize);
        Engine.requirePositive("max_input_len", maxInputLen);
        Engine.requirePositive("max_seq_len", maxSeqLen);
        Engine.requirePositive("max_tokens_in_paged_kv_cache", maxTokensInPagedKvCache);
        Engine.requirePositive("max_beam_width", maxBeamWidth);
        if (backend != null && !BACKENDS.contains(backend)) {
            throw dev.headroom.core.base.InvalidInputException.unknown("backend", backend, BACKENDS);
        }
    }

    public static TensorRtLlm defaults() {
        return at(null);
    }

    public static TensorRtLlm at(String version) {
        return new TensorRtLlm(Release.resolve("trtllm", version, RELEASES), null, true, 64, null, null, null, null, null, null, 1);
    }

    @Override
    public String id() {
        return "trtllm";
    }

    TensorRtLlmRelease rules() {
        return TensorRtLlmRelease.of(release);
    }

    private TensorRtLlm copy(Double fraction, boolean p, int tpb, Integer tokens, Integer batch, Integer input, Integer seq,
                             Integer cap, String b, int beam) {
        return new TensorRtLlm(release, fraction, p, tpb, tokens, batch, input, seq, cap, b, beam);
    }

    public TensorRtLlm withFreeGpuMemoryFraction(double f) {
        return copy(f, paged, tokensPerBlock, maxNumTokens, maxBatchSize, maxInputLen, maxSeqLen, maxTokensInPagedKvCache, backend, maxBeamWidth);
    }

    public TensorRtLlm withMaxSeqLen(Integer n) {
        return copy(freeGpuMemoryFraction, paged, tokensPerBlock, maxNumTokens, maxBatchSize, maxInputLen, n, maxTokensInPagedKvCache, backend, maxBeamWidth);
    }

    public TensorRtLlm withPaged(boolean p) {
        return copy(freeGpuMemoryFraction, p, tokensPerBlock, maxNumTokens, maxBatchSize, maxInputLen, maxSeqLen, maxTokensInPagedKvCache, backend, maxBeamWidth);
    }

    public TensorRtLlm withTokensPerBlock(int n) {
        return copy(freeGpuMemoryFraction, paged, n, maxNumTokens, maxBatchSize, maxInputLen, maxSeqLen, maxTokensInPagedKvCache, backend, maxBeamWidth);
    }

    public TensorRtLlm withMaxNumTokens(int n) {
        return copy(freeGpuMemoryFraction, paged, tokensPerBlock, n, maxBatchSize, maxInputLen, maxSeqLen, maxTokensInPagedKvCache, backend, maxBeamWidth);
    }

    public TensorRtLlm withMaxBatchSize(int n) {
        return copy(freeGpuMemoryFraction, paged, tokensPerBlock, maxNumTokens, n, maxInputLen, maxSeqLen, maxTokensInPagedKvCache, backend, maxBeamWidth);
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
        String id = id();
        return switch (knob) {
            case "free_gpu_memory_fraction", "kv_cache_free_gpu_mem_fraction" -> withFreeGpuMemoryFraction(Engine.doubleValue(id, knob, value));
            case "paged_kv_cache" -> withPaged(Engine.boolValue(id, knob, value));
            case "tokens_per_block" -> withTokensPerBlock(Engine.intValue(id, knob, value));
            case "max_num_tokens" -> withMaxNumTokens(Engine.intValue(id, knob, value));
            case "max_batch_size" -> withMaxBatchSize(Engine.intValue(id, knob, value));
            case "max_input_len" -> copy(freeGpuMemoryFraction, paged, tokensPerBlock, maxNumTokens, maxBatchSize,
                    Engine.intValue(id, knob, value), maxSeqLen, maxTokensInPagedKvCache, backend, maxBeamWidth);
            case "max_seq_len" -> withMaxSeqLen(Engine.intValue(id, knob, value));
            case "max_tokens_in_paged_kv_cache", "max_tokens" -> copy(freeGpuMemoryFraction, paged, tokensPerBlock, maxNumTokens,
                    maxBatchSize, maxInputLen, maxSeqLen, Engine.intValue(id, knob, value), backend, maxBeamWidth);
            case "backend" -> copy(freeGpuMemoryFraction, paged, tokensPerBlock, maxNumTokens, maxBatchSize, maxInputLen, maxSeqLen,
                    maxTokensInPagedKvCache, value.trim().toLowerCase(Locale.ROOT), maxBeamWidth);
            case "max_beam_width" -> copy(freeGpuMemoryFraction, paged, tokensPerBlock, maxNumTokens, maxBatchSize, maxInputLen,
                    maxSeqLen, maxTokensInPagedKvCache, backend, Engine.intValue(id, knob, value));
            default -> throw Engine.unknownKnob(this, knob);
        };
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                new Setting("free_gpu_memory_fraction", freeGpuMemoryFraction == null ? "default" : freeGpuMemoryFraction.toString(),
                        "share of the memory left after weights, workspace and buffers for the KV pool"),
                new Setting("paged_kv_cache", String.valueOf(paged), "paged KV blocks; false reserves max_batch_size x max_seq_len"),
                new Setting("tokens_per_block", String.valueOf(tokensPerBlock), "tokens per KV block"),
                new Setting("max_num_tokens", text(maxNumTokens), "tokens in one forward pass (the activation workspace)"),
                new Setting("max_batch_size", text(maxBatchSize), "sequences running at once (runtime buffers)"),
                new Setting("max_input_len", text(maxInputLen), "longest prompt (the workspace when max_num_tokens is unset)"),
                new Setting("max_seq_len", maxSeqLen == null ? "build default" : maxSeqLen.toString(), "longest sequence admitted"),
                new Setting("max_tokens_in_paged_kv_cache", text(maxTokensInPagedKvCache), "a cap on the pool's tokens"),
                new Setting("backend", backend == null ? "default" : backend, "cpp (TensorRT engine) or pytorch"),
                new Setting("max_beam_width", String.valueOf(maxBeamWidth), "beams per request"));
    }

    private static String text(Integer v) {
        return v == null ? "build default" : v.toString();
    }

    int batch() {
        return maxBatchSize != null ? maxBatchSize : rules().maxBatchSize();
    }

    /** Tokens of one forward pass the workspace is built for. */
    long workspaceTokens() {
        if (maxNumTokens != null) {
            return maxNumTokens;
        }
        int input = maxInputLen != null ? maxInputLen : rules().maxInputLen();
        return rules().maxNumTokens() > 0 ? rules().maxNumTokens() : (long) batch() * input;
    }

    boolean pytorch() {
        return backend != null ? backend.equals("pytorch") : rules().pytorchBackend();
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
    public int tokensPerStep(ModelSpec model, Gpu gpu) {
        return (int) Math.min(Integer.MAX_VALUE, workspaceTokens());
    }

    @Override
    public KvPool reserve(RankFacts rank, ModelSpec model, Workload workload) {
        // the builder accepts a max_seq_len beyond max_position_embeddings (rope scaling is the user's business)
        int len = maxSeqLen != null ? maxSeqLen
                : Math.min(rules().pytorchBackend() ? model.maxPositions() : rules().maxSeqLen(), model.maxPositions());
        int batch = batch();
        long workspace = rank.activation().forwardBytes(workspaceTokens());
        if (!pytorch() && rank.weightsFormat().bitsPerValue() <= 8 && !rank.weightsFormat().weightOnly()) {
            // an fp8/int8 engine quantizes the activations its GEMMs read: its workspace holds one byte per value
            workspace /= 2;
        }
        // Runtime buffers: fp32 logits for max_batch_size x beam rows (runtime/gptDecoderBatched, TllmRuntime).
        long buffers = rank.logitsBytes((long) batch * maxBeamWidth);
        long activation = Checked.add(workspace, buffers, "activation bytes");
        long nonTorch = DeviceMemory.CUDA_CONTEXT_BYTES + rank.communicationBytes();
        long weights = rank.weightsBytes();
        long free = rank.visibleMemoryBytes() - weights - activation - nonTorch;
        KvPool.Charges charges = new KvPool.Charges(weights, activation, nonTorch, 0);
        long perToken = rank.kvBytesPerToken();
        if (!paged) {
            long kv = Checked.multiply(batch, rank.kv().bytes(len), "static KV cache bytes");
            long left = free - kv;
            Refusal refusal = left < 0 ? new Refusal("the static KV cache of max_batch_size x max_seq_len does not fit", "max_batch_size",
                    "lower max_batch_size or max_seq_len, or use the paged KV cache", -left) : null;
            return new KvPool(charges, rank.visibleMemoryBytes(), free, kv, (long) batch * len, batch, len, len, batch,
                    t -> t <= len ? 1 : Long.MAX_VALUE / 2, refusal);
        }
        double fraction = freeGpuMemoryFraction != null ? freeGpuMemoryFraction : rules().fraction();
        long share = free <= 0 ? free : (long) Math.floor(free * fraction);
        long maxTokens = share <= 0 ? 0 : share / Math.max(1, perToken);
        if (maxTokensInPagedKvCache != null) {
            maxTokens = Math.min(maxTokens, maxTokensInPagedKvCache);
        }
        // kvCacheManager.cpp: blocks = ceil(maxTokens / tokens_per_block); the log's token count is maxTokens.
        long blocks = Math.floorDiv(maxTokens + tokensPerBlock - 1, tokensPerBlock);
        long kvBytes = Checked.multiply(blocks, Checked.multiply(tokensPerBlock, perToken, "KV block bytes"), "KV cache bytes");
        long perSequence = (long) maxBeamWidth * tokensPerBlock * Math.floorDiv(len + tokensPerBlock - 1, tokensPerBlock);
        Refusal refusal = null;
        if (share <= 0) {
            refusal = new Refusal("no memory left for the KV cache after weights, the activation workspace and runtime buffers",
                    "free_gpu_memory_fraction", "lower max_batch_size or max_num_tokens at build, quantize or add GPUs", Math.max(1, -share));
        } else if (!pytorch() && blocks * tokensPerBlock < perSequence) {
            // C++ runtime (kvCacheManager.cpp, 0.x): the whole blocks' tokens must hold beam_width x maxBlocksPerSeq blocks,
            // "maxTokensInPagedKvCache must be large enough to process at least 1 sequence to completion"
            long poolTokens = blocks * tokensPerBlock;
            refusal = new Refusal("maxTokensInPagedKvCache (" + poolTokens + ") must be larger than beam_width x tokensPerBlock x "
                    + "maxBlocksPerSeq (" + perSequence + ")", "max_seq_len", "build with a smaller max_seq_len or raise "
                    + "kv_cache_free_gpu_mem_fraction", (perSequence - poolTokens) * perToken);
        }
        return new KvPool(charges, rank.visibleMemoryBytes(), share, kvBytes, maxTokens, blocks, tokensPerBlock, len, batch,
                KvPool.Demand.pages(tokensPerBlock), refusal);
    }

    @Override
    public String describe(RankFacts rank) {
        return describe() + "; resolved: " + (pytorch() ? "PyTorch backend" : "C++ runtime") + ", free_gpu_memory_fraction="
                + (freeGpuMemoryFraction != null ? freeGpuMemoryFraction : rules().fraction()) + ", max_batch_size=" + batch()
                + ", workspace for " + workspaceTokens() + " tokens";
    }
}
