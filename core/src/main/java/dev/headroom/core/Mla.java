package dev.headroom.core;

/**
 * Multi-head latent attention (DeepSeek-V2/V3, Kimi K2): keys and values are cached as one compressed
 * latent of {@code kvLoraRank} plus a shared rope key of {@code qkRopeHeadDim} per token and layer.
 *
 * @param qLoraRank 0 when queries are projected directly (no low-rank query path)
 */
public record Mla(int qLoraRank, int kvLoraRank, int qkNopeHeadDim, int qkRopeHeadDim, int vHeadDim) {}
