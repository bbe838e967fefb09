package dev.headroom.core;

/**
 * Mixture-of-experts feed-forward layers.
 *
 * @param experts              routed experts per MoE layer
 * @param expertsPerToken      routed experts each token visits (top-k)
 * @param expertIntermediate   intermediate size of one routed expert
 * @param sharedIntermediate   total intermediate size of the always-on shared expert(s); 0 if none
 * @param sharedExpertGate     Qwen2-MoE's sigmoid gate on the shared expert (hidden x 1)
 * @param denseLayers          layers that stay dense, by index (DeepSeek's first_k_dense_replace, Qwen's mlp_only_layers)
 * @param expertBias           expert projections carry biases (gpt-oss)
 * @param routerBias           the router carries a bias, or DeepSeek's score-correction bias
 */
public record Moe(int experts, int expertsPerToken, int expertIntermediate, int sharedIntermediate,
                  boolean sharedExpertGate, java.util.Set<Integer> denseLayers, boolean expertBias, boolean routerBias) {
    public Moe {
        denseLayers = java.util.Set.copyOf(denseLayers);
    }

    public boolean isDense(int layer) {
        return denseLayers.contains(layer);
    }
}
