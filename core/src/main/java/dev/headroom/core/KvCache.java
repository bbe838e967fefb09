package dev.headroom.core;

/**
 * KV cache sizes, exact in bytes.
 * Standard attention: 2 (K and V) x layers x KV heads x head_dim x bytes per element; under tensor
 * parallelism each rank holds max(1, kv_heads / tp) heads (heads are replicated once tp > kv_heads).
 * MLA: layers x (kv_lora_rank + qk_rope_head_dim) per token, no factor 2, and every rank holds all of it.
 */
public final class KvCache {
    private KvCache() {}

    /** Bytes one token occupies on one tensor-parallel rank, summed over all layers. */
    public static long bytesPerToken(ModelSpec m, Precision kv, int tp) {
        return m.layers() * bytesPerTokenPerLayer(m, kv, tp);
    }

    /** KV heads one rank holds. */
    public static int kvHeadsPerRank(ModelSpec m, int tp) {
        return Math.max(1, m.attention().kvHeads() / tp);
    }

    static long bytesPerTokenPerLayer(ModelSpec m, Precision kv, int tp) {
        Attention a = m.attention();
        if (a.isMla()) {
            return kv.bytesFor(a.mla().kvLoraRank() + a.mla().qkRopeHeadDim());
        }
        return 2L * kvHeadsPerRank(m, tp) * kv.bytesFor(a.headDim());
    }

    /**
     * Bytes one sequence of {@code tokens} holds when the cache honours sliding windows: a sliding layer
     * keeps only the last {@code window} tokens.
     */
    public static long bytesForSequence(ModelSpec m, Precision kv, int tp, long tokens) {
        Attention a = m.attention();
        long perLayer = bytesPerTokenPerLayer(m, kv, tp);
        long full = m.layers() - a.slidingLayers();
        long windowed = a.slidingLayers() == 0 ? 0 : Math.min(tokens, a.slidingWindow());
        return perLayer * (full * tokens + a.slidingLayers() * windowed);
    }
}
