package dev.headroom.core;

/**
 * The attention block of a model as config.json describes it.
 *
 * @param headDim        as published in config.json; only when absent is it hidden/heads
 * @param qkvBias        q/k/v projections carry biases (Qwen2, gpt-oss)
 * @param outputBias     the output projection carries a bias (gpt-oss)
 * @param qkNorm         per-head RMSNorm on queries and keys (Qwen3)
 * @param sinks          one learned attention-sink logit per head (gpt-oss)
 * @param mla            null for standard multi-head / grouped-query attention
 * @param slidingWindow  tokens a sliding-window layer attends to; 0 when no layer slides
 * @param slidingLayers  how many of the layers use the sliding window
 */
public record Attention(int heads, int kvHeads, int headDim, boolean qkvBias, boolean outputBias, boolean qkNorm,
                        boolean sinks, Mla mla, int slidingWindow, int slidingLayers) {
    public boolean isMla() {
        return mla != null;
    }
}
