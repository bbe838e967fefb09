package dev.headroom.core;

import java.util.ArrayList;
import java.util.List;

/**
 * SGLang: the static pool (weights + KV) is total x mem_fraction_static, so
 * KV = total x mem_fraction_static - weights - runtime overhead; activations live in the rest.
 * The default fraction follows SGLang's own choice by tensor-parallel size. Token-granular pages.
 */
public record Sglang(Double memFractionStatic, Integer contextLength, int chunkedPrefillSize, int maxRunningRequests)
        implements Engine {
    public Sglang {
        if (memFractionStatic != null) {
            Engine.requireFraction("mem_fraction_static", memFractionStatic);
        }
        Engine.requirePositive("context_length", contextLength);
        Engine.requirePositive("chunked_prefill_size", chunkedPrefillSize);
        Engine.requirePositive("max_running_requests", maxRunningRequests);
    }

    public static Sglang defaults() {
        return new Sglang(null, null, 8192, 4096);
    }

    @Override
    public String name() {
        return "sglang";
    }

    public Sglang withMemFractionStatic(Double f) {
        return new Sglang(f, contextLength, chunkedPrefillSize, maxRunningRequests);
    }

    public Sglang withContextLength(Integer n) {
        return new Sglang(memFractionStatic, n, chunkedPrefillSize, maxRunningRequests);
    }

    /** SGLang's server_args default: more GPUs leave more room for communication buffers. */
    static double defaultFraction(int tp) {
        return tp >= 16 ? 0.79 : tp >= 8 ? 0.81 : tp >= 4 ? 0.85 : tp >= 2 ? 0.87 : 0.88;
    }

    @Override
    public Engine withMaxLength(int tokens) {
        return withContextLength(tokens);
    }

    @Override
    public KvPool reserve(RankMemory rank, ModelSpec model, Workload workload) {
        int len = Engine.maxModelLen(contextLength, model, "context_length");
        double fraction = memFractionStatic != null ? memFractionStatic : defaultFraction(rank.tp());
        List<String> notes = new ArrayList<>();
        notes.add("sglang: mem_fraction_static=" + fraction + (memFractionStatic == null ? " (default for tp=" + rank.tp() + ")" : "")
                + ", context_length=" + len + ", chunked_prefill_size=" + chunkedPrefillSize);
        long budget = (long) Math.floor(rank.visibleMemoryBytes() * fraction);
        long weights = rank.weightsBytes() + rank.rotaryCacheBytes();
        long activation = rank.activation().peakBytes(chunkedPrefillSize, Math.min(maxRunningRequests, chunkedPrefillSize));
        long free = budget - weights - rank.overheadBytes();
        long tokens = Engine.floorDiv(free, rank.kvBytesPerToken());
        return new KvPool(weights, activation, rank.overheadBytes(), free < 0 ? free : tokens * rank.kvBytesPerToken(),
                tokens, tokens, 1, len, budget, maxRunningRequests, notes);
    }
}
