package dev.headroom.core.model;

/**
 * Where an attention layer normalises its queries and keys, which decides how many weights the norms hold.
 */
public enum QkNorm {
    NONE,
    /** One RMSNorm of head_dim shared by every head (Qwen3, Gemma 3, GLM-4.5: "only on the head dim"). */
    PER_HEAD,
    /** One RMSNorm over the whole projection, heads x head_dim wide (OLMo 2, MiniMax-M2's per_layer norms). */
    FULL_WIDTH;

    long values(int heads, int headDim) {
        return switch (this) {
            case NONE -> 0;
            case PER_HEAD -> headDim;
            case FULL_WIDTH -> (long) heads * headDim;
        };
    }
}
