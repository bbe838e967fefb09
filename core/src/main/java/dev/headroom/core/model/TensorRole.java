package dev.headroom.core.model;

/** What a weight tensor does; the quantization policy and the parallel sharding follow from it. */
public enum TensorRole {
    EMBEDDING,
    LM_HEAD,
    ATTENTION,
    /** Dense feed-forward (and DeepSeek's dense first layers). */
    MLP,
    ROUTED_EXPERTS,
    SHARED_EXPERTS,
    ROUTER,
    /** Norm weights, biases, attention sinks: vectors, kept in 16 bits by every quantizer. */
    VECTOR
}
