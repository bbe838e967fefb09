package dev.headroom.core.model;

/**
 * One decoder layer: a token mixer (attention or a recurrent state), a feed-forward block, and its norms.
 *
 * @param normValues parameters of the layer's own norms (RMSNorm: hidden each; LayerNorm: 2 x hidden each);
 *                   per-head q/k norms belong to the mixer
 */
public record Layer(TokenMixer mixer, Ffn ffn, long normValues) {
    public boolean isMoe() {
        return ffn instanceof MoeFfn;
    }
}
