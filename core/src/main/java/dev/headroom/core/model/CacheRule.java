package dev.headroom.core.model;

import dev.headroom.core.precision.Precision;

/**
 * How an engine caches a token of one layer. Most engines cache what the layer defines ({@link #AS_DEFINED}); some
 * store a layer differently (llama.cpp kept latent attention as full per-head keys and values before it learned MLA).
 */
@FunctionalInterface
public interface CacheRule {
    long kvBytesPerToken(TokenMixer mixer, Precision kv, int tp);

    CacheRule AS_DEFINED = TokenMixer::kvBytesPerToken;
}
