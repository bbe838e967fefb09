package dev.headroom.core.engine;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.base.Require;
import java.util.ArrayList;
import java.util.List;

/**
 * vLLM's settings as a user gives them, by vLLM's names; null means "vLLM's default at this release" (resolved in
 * {@link Vllm}, where the defaults depend on the release, the GPU and the model).
 *
 * @param v1               VLLM_USE_V1: the V1 engine (V0 otherwise)
 * @param usageContext     "server" (vllm serve, the OpenAI API server) or "llm" (the LLM class): V1's batching
 *                         defaults differ by entry point
 * @param kvCacheMemory    kv_cache_memory_bytes: a fixed KV budget that replaces the profiling (since v0.10)
 */
record VllmKnobs(double gpuMemoryUtilization, Integer blockSize, Integer maxModelLen, Integer maxNumBatchedTokens,
                 Integer maxNumSeqs, Boolean enableChunkedPrefill, Boolean v1, boolean enforceEager, String usageContext,
                 Long kvCacheMemory, Integer numGpuBlocksOverride, Integer maxCudagraphCaptureSize,
                 boolean disableHybridKvCacheManager, int nnodes) {
    static final List<String> USAGE_CONTEXTS = List.of("server", "llm");
    /** max_model_len -1 (or "auto"): the longest length whose one request fits the pool (kv_cache_utils._auto_fit_max_model_len). */
    static final int AUTO_MAX_MODEL_LEN = -1;

    VllmKnobs {
        Require.fraction("gpu_memory_utilization", gpuMemoryUtilization);
        Require.positiveOrNull("block_size", blockSize);
        if (maxModelLen != null && maxModelLen != AUTO_MAX_MODEL_LEN) {
            Require.positive("max_model_len", maxModelLen);
        }
        Require.positiveOrNull("max_num_batched_tokens", maxNumBatchedTokens);
        Require.positiveOrNull("max_num_seqs", maxNumSeqs);
        Require.positiveOrNull("num_gpu_blocks_override", numGpuBlocksOverride);
        Require.positiveOrNull("max_cudagraph_capture_size", maxCudagraphCaptureSize);
        Require.positive("nnodes", nnodes);
        if (!USAGE_CONTEXTS.contains(usageContext)) {
            throw dev.headroom.core.base.InvalidInputException.unknown("usage_context", usageContext, USAGE_CONTEXTS);
        }
        if (kvCacheMemory != null && kvCacheMemory <= 0) {
            throw dev.headroom.core.base.InvalidInputException.field("kv_cache_memory", kvCacheMemory, "must be a positive number of bytes");
        }
    }

    static final VllmKnobs DEFAULTS = new VllmKnobs(0.9, null, null, null, null, null, null, false, "server", null, null, null, false, 1);

    /** The knobs with one set by vLLM's name; unknown names throw, listing the valid ones. */
    VllmKnobs with(Engine e, String knob, String value) {
        String id = e.id();
        return switch (knob) {
            case "gpu_memory_utilization" -> new VllmKnobs(Engine.doubleValue(id, knob, value), blockSize, maxModelLen,
                    maxNumBatchedTokens, maxNumSeqs, enableChunkedPrefill, v1, enforceEager, usageContext, kvCacheMemory,
                    numGpuBlocksOverride, maxCudagraphCaptureSize, disableHybridKvCacheManager, nnodes);
            case "block_size" -> withBlockSize(Engine.intValue(id, knob, value));
            case "max_model_len" -> withMaxModelLen(value.trim().equalsIgnoreCase("auto") ? AUTO_MAX_MODEL_LEN : Engine.intValue(id, knob, value));
            case "max_num_batched_tokens" -> withMaxNumBatchedTokens(Engine.intValue(id, knob, value));
            case "max_num_seqs" -> withMaxNumSeqs(Engine.intValue(id, knob, value));
            case "enable_chunked_prefill" -> new VllmKnobs(gpuMemoryUtilization, blockSize, maxModelLen, maxNumBatchedTokens,
                    maxNumSeqs, Engine.boolValue(id, knob, value), v1, enforceEager, usageContext, kvCacheMemory, numGpuBlocksOverride,
                    maxCudagraphCaptureSize, disableHybridKvCacheManager, nnodes);
            case "v1", "VLLM_USE_V1" -> new VllmKnobs(gpuMemoryUtilization, blockSize, maxModelLen, maxNumBatchedTokens,
                    maxNumSeqs, enableChunkedPrefill, Engine.boolValue(id, knob, value), enforceEager, usageContext, kvCacheMemory,
                    numGpuBlocksOverride, maxCudagraphCaptureSize, disableHybridKvCacheManager, nnodes);
            case "enforce_eager" -> new VllmKnobs(gpuMemoryUtilization, blockSize, maxModelLen, maxNumBatchedTokens, maxNumSeqs,
                    enableChunkedPrefill, v1, Engine.boolValue(id, knob, value), usageContext, kvCacheMemory, numGpuBlocksOverride,
                    maxCudagraphCaptureSize, disableHybridKvCacheManager, nnodes);
            case "usage_context" -> new VllmKnobs(gpuMemoryUtilization, blockSize, maxModelLen, maxNumBatchedTokens, maxNumSeqs,
                    enableChunkedPrefill, v1, enforceEager, value.trim().toLowerCase(java.util.Locale.ROOT), kvCacheMemory,
                    numGpuBlocksOverride, maxCudagraphCaptureSize, disableHybridKvCacheManager, nnodes);
            case "kv_cache_memory", "kv_cache_memory_bytes" -> new VllmKnobs(gpuMemoryUtilization, blockSize, maxModelLen,
                    maxNumBatchedTokens, maxNumSeqs, enableChunkedPrefill, v1, enforceEager, usageContext,
                    parseBytes(knob, value), numGpuBlocksOverride, maxCudagraphCaptureSize, disableHybridKvCacheManager, nnodes);
            case "num_gpu_blocks_override" -> new VllmKnobs(gpuMemoryUtilization, blockSize, maxModelLen, maxNumBatchedTokens,
                    maxNumSeqs, enableChunkedPrefill, v1, enforceEager, usageContext, kvCacheMemory, Engine.intValue(id, knob, value),
                    maxCudagraphCaptureSize, disableHybridKvCacheManager, nnodes);
            case "max_cudagraph_capture_size", "max_capture_size" -> new VllmKnobs(gpuMemoryUtilization, blockSize, maxModelLen,
                    maxNumBatchedTokens, maxNumSeqs, enableChunkedPrefill, v1, enforceEager, usageContext, kvCacheMemory,
                    numGpuBlocksOverride, Engine.intValue(id, knob, value), disableHybridKvCacheManager, nnodes);
            case "disable_hybrid_kv_cache_manager" -> new VllmKnobs(gpuMemoryUtilization, blockSize, maxModelLen,
                    maxNumBatchedTokens, maxNumSeqs, enableChunkedPrefill, v1, enforceEager, usageContext, kvCacheMemory,
                    numGpuBlocksOverride, maxCudagraphCaptureSize, Engine.boolValue(id, knob, value), nnodes);
            case "nnodes" -> new VllmKnobs(gpuMemoryUtilization, blockSize, maxModelLen, maxNumBatchedTokens, maxNumSeqs,
                    enableChunkedPrefill, v1, enforceEager, usageContext, kvCacheMemory, numGpuBlocksOverride, maxCudagraphCaptureSize,
                    disableHybridKvCacheManager, Engine.intValue(id, knob, value));
            default -> throw Engine.unknownKnob(e, knob);
        };
    }

    VllmKnobs withBlockSize(Integer n) {
        return new VllmKnobs(gpuMemoryUtilization, n, maxModelLen, maxNumBatchedTokens, maxNumSeqs, enableChunkedPrefill, v1,
                enforceEager, usageContext, kvCacheMemory, numGpuBlocksOverride, maxCudagraphCaptureSize, disableHybridKvCacheManager, nnodes);
    }

    VllmKnobs withMaxModelLen(Integer n) {
        return new VllmKnobs(gpuMemoryUtilization, blockSize, n, maxNumBatchedTokens, maxNumSeqs, enableChunkedPrefill, v1,
                enforceEager, usageContext, kvCacheMemory, numGpuBlocksOverride, maxCudagraphCaptureSize, disableHybridKvCacheManager, nnodes);
    }

    VllmKnobs withMaxNumBatchedTokens(Integer n) {
        return new VllmKnobs(gpuMemoryUtilization, blockSize, maxModelLen, n, maxNumSeqs, enableChunkedPrefill, v1, enforceEager,
                usageContext, kvCacheMemory, numGpuBlocksOverride, maxCudagraphCaptureSize, disableHybridKvCacheManager, nnodes);
    }

    VllmKnobs withMaxNumSeqs(Integer n) {
        return new VllmKnobs(gpuMemoryUtilization, blockSize, maxModelLen, maxNumBatchedTokens, n, enableChunkedPrefill, v1,
                enforceEager, usageContext, kvCacheMemory, numGpuBlocksOverride, maxCudagraphCaptureSize, disableHybridKvCacheManager, nnodes);
    }

    VllmKnobs withUtilization(double u) {
        return new VllmKnobs(u, blockSize, maxModelLen, maxNumBatchedTokens, maxNumSeqs, enableChunkedPrefill, v1, enforceEager,
                usageContext, kvCacheMemory, numGpuBlocksOverride, maxCudagraphCaptureSize, disableHybridKvCacheManager, nnodes);
    }

    /** Every knob with its value ("default" where vLLM decides), in vLLM's words. */
    List<Engine.Setting> settings() {
        List<Engine.Setting> out = new ArrayList<>();
        out.add(new Engine.Setting("gpu_memory_utilization", String.valueOf(gpuMemoryUtilization), "share of the GPU's total memory vLLM may use"));
        out.add(new Engine.Setting("block_size", text(blockSize), "tokens per KV block"));
        out.add(new Engine.Setting("max_model_len", maxModelLen == null ? "model default" : maxModelLen == AUTO_MAX_MODEL_LEN ? "auto"
                : maxModelLen.toString(), "longest sequence admitted (auto: the longest whose request fits the pool)"));
        out.add(new Engine.Setting("max_num_batched_tokens", text(maxNumBatchedTokens), "tokens in one forward pass (the activation profile run)"));
        out.add(new Engine.Setting("max_num_seqs", text(maxNumSeqs), "sequences running at once (and sampled in the profile run)"));
        out.add(new Engine.Setting("enable_chunked_prefill", enableChunkedPrefill == null ? "default" : enableChunkedPrefill.toString(),
                "split long prompts into max_num_batched_tokens chunks (always on in V1)"));
        out.add(new Engine.Setting("v1", v1 == null ? "default" : v1.toString(), "VLLM_USE_V1: the V1 engine (default since 0.8)"));
        out.add(new Engine.Setting("enforce_eager", String.valueOf(enforceEager), "no CUDA graphs"));
        out.add(new Engine.Setting("usage_context", usageContext, "server (vllm serve) or llm (the LLM class): V1 batching defaults differ"));
        out.add(new Engine.Setting("kv_cache_memory", kvCacheMemory == null ? "profiled" : Bytes.of(kvCacheMemory).toString(),
                "a fixed KV budget instead of the profiled one (since 0.10)"));
        out.add(new Engine.Setting("num_gpu_blocks_override", text(numGpuBlocksOverride), "a fixed block count"));
        out.add(new Engine.Setting("max_cudagraph_capture_size", text(maxCudagraphCaptureSize), "largest batch captured in a CUDA graph"));
        out.add(new Engine.Setting("disable_hybrid_kv_cache_manager", String.valueOf(disableHybridKvCacheManager),
                "page sliding-window and state layers as full attention"));
        out.add(new Engine.Setting("nnodes", String.valueOf(nnodes), "nodes the deployment spans (across nodes no intra-node "
                + "all-reduce buffers)"));
        return out;
    }

    /** "40GiB" or a plain byte count. */
    private static long parseBytes(String knob, String value) {
        String v = value.trim();
        if (v.matches("\\d+")) {
            return Long.parseLong(v);
        }
        try {
            return Bytes.parse(v).value();
        } catch (dev.headroom.core.base.InvalidInputException e) {
            throw dev.headroom.core.base.InvalidInputException.field(knob, "'" + value + "'", "give bytes, e.g. 40GiB or 42949672960");
        }
    }

    private static String text(Integer v) {
        return v == null ? "default" : v.toString();
    }
}
