package dev.headroom.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Memory of one deployment, per GPU (the fullest rank: capacity is the minimum over ranks), with the
 * assumptions it used. Bytes are exact integers.
 *
 * @param kvCacheBytesPerGpu      the KV pool the engine allocates
 * @param workloadKvBytesPerGpu   KV the requested batch needs at full context
 * @param maxConcurrency          sequences of max_model_len the pools of all replicas hold (vLLM's "maximum concurrency")
 * @param engineMaxSequences      sequences one replica's engine runs at once by its own limit (max_num_seqs, max_batch_size, slots)
 * @param fits                    the engine starts and the requested batch runs at full context
 * @param verdict                 one line: why it fits, or which term breaks it
 */
public record MemoryEstimate(ModelSpec model, Deployment deployment, Workload workload, Precision weights, Precision kv,
                             long params, long activeParams, long weightsBytes, long weightsBytesPerGpu,
                             long kvBytesPerToken, long kvBytesPerTokenPerGpu, long activationBytesPerGpu,
                             long runtimeOverheadBytesPerGpu, long kvCacheBytesPerGpu, long kvCacheTokens,
                             long kvCacheBlocks, int maxModelLen, double maxConcurrency, int engineMaxSequences, long workloadKvBytesPerGpu,
                             long totalBytesPerGpu, long gpuMemoryBytes, boolean fits, String verdict,
                             List<String> assumptions) {
    public MemoryEstimate {
        assumptions = List.copyOf(assumptions);
    }

    /** Memory left on the fullest GPU (negative when over). */
    public long headroomBytesPerGpu() {
        return gpuMemoryBytes - totalBytesPerGpu;
    }

    /** The machine-readable view: stable snake_case keys, bytes as exact integers. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model.id());
        m.put("gpu", deployment.gpu().id());
        m.put("gpus", deployment.gpus());
        m.put("tp", deployment.tp());
        m.put("pp", deployment.pp());
        m.put("ep", deployment.ep());
        m.put("replicas", deployment.replicas());
        m.put("engine", deployment.engine().name());
        m.put("weights_dtype", weights.name());
        m.put("kv_dtype", kv.name());
        m.put("batch", workload.batch());
        m.put("input_tokens", workload.inputTokens());
        m.put("output_tokens", workload.outputTokens());
        m.put("params", params);
        m.put("active_params", activeParams);
        m.put("weights_bytes", weightsBytes);
        m.put("weights_bytes_per_gpu", weightsBytesPerGpu);
        m.put("kv_bytes_per_token", kvBytesPerToken);
        m.put("kv_bytes_per_token_per_gpu", kvBytesPerTokenPerGpu);
        m.put("activation_bytes_per_gpu", activationBytesPerGpu);
        m.put("runtime_overhead_bytes_per_gpu", runtimeOverheadBytesPerGpu);
        m.put("kv_cache_bytes_per_gpu", kvCacheBytesPerGpu);
        m.put("kv_cache_tokens", kvCacheTokens);
        m.put("kv_cache_blocks", kvCacheBlocks);
        m.put("max_model_len", maxModelLen);
        m.put("max_concurrency", Math.round(maxConcurrency * 100) / 100.0);
        m.put("engine_max_sequences", engineMaxSequences);
        m.put("workload_kv_bytes_per_gpu", workloadKvBytesPerGpu);
        m.put("total_bytes_per_gpu", totalBytesPerGpu);
        m.put("gpu_memory_bytes", gpuMemoryBytes);
        m.put("headroom_bytes_per_gpu", headroomBytesPerGpu());
        m.put("fits", fits);
        m.put("verdict", verdict);
        m.put("assumptions", assumptions);
        return m;
    }

    /** A bounded, aligned text report. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s on %d x %s (tp=%d, pp=%d, %d replica%s), %s, weights %s, KV %s%n",
                model.id(), deployment.gpus(), deployment.gpu().id(), deployment.tp(), deployment.pp(),
                deployment.replicas(), deployment.replicas() == 1 ? "" : "s", deployment.engine().name(), weights, kv));
        row(b, "parameters", String.format(Locale.ROOT, "%,d (active %,d)", params, activeParams));
        row(b, "weights (all GPUs)", Bytes.of(weightsBytes).toString());
        b.append("per GPU:\n");
        row(b, "  weights", Bytes.of(weightsBytesPerGpu).toString());
        row(b, "  activations (peak)", Bytes.of(activationBytesPerGpu).toString());
        row(b, "  runtime overhead", Bytes.of(runtimeOverheadBytesPerGpu).toString());
        row(b, "  KV cache pool", Bytes.of(kvCacheBytesPerGpu) + String.format(Locale.ROOT, "  (%,d tokens, %,d blocks)", kvCacheTokens, kvCacheBlocks));
        row(b, "  total", Bytes.of(totalBytesPerGpu) + " of " + Bytes.of(gpuMemoryBytes));
        row(b, "KV per token", String.format(Locale.ROOT, "%,d B (%,d B per GPU)", kvBytesPerToken, kvBytesPerTokenPerGpu));
        row(b, "KV for this batch", Bytes.of(workloadKvBytesPerGpu) + String.format(Locale.ROOT, " per GPU (%d x %d tokens)",
                workload.batch(), workload.contextTokens()));
        row(b, "max concurrency", String.format(Locale.ROOT, "%.2f sequences of %d tokens", maxConcurrency, maxModelLen));
        row(b, "verdict", (fits ? "FITS: " : "DOES NOT FIT: ") + verdict);
        b.append("assumptions:\n");
        assumptions.forEach(a -> b.append("  - ").append(a).append('\n'));
        return b.toString();
    }

    private static void row(StringBuilder b, String label, String value) {
        b.append(String.format(Locale.ROOT, "%-22s %s%n", label, value));
    }
}
