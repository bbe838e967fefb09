package dev.headroom.core.training;

/**
 * One weight matrix of the model as LoRA sees it: {@code in x out}, repeated {@code copies} times (the routed
 * experts of a layer), under a role name LoRA targets ("q", "k", "v", "kv", "o", "gate", "up", "down", "router",
 * "other", "lm_head").
 *
 * @param layer decoder layer index, -1 for the output projection
 */
public record Linear(String role, int layer, long in, long out, long copies) {
    public long params() {
        return in * out * copies;
    }

    /** LoRA's trainable parameters on this matrix: rank x (d_in + d_out) per copy (Hu et al. 2021). */
    public long adapterParams(int rank) {
        return (long) rank * (in + out) * copies;
    }
}
