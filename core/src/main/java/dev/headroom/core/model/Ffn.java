package dev.headroom.core.model;

import java.util.List;

/** The feed-forward half of a decoder layer: dense, a mixture of experts, or none (pure Mamba layers). */
public sealed interface Ffn permits DenseFfn, MoeFfn, LinearReplacement, Ffn.None {
    void tensors(String p, int layer, long hidden, List<Tensor> out);

    /** What the block is, in a word or two, for listings: "dense", "moe 128x top-8", "none". */
    String kind();

    /** Width of the live activations one token needs in this block (for the activation peak). */
    long activationWidth();

    /** A layer without a feed-forward block (Nemotron-H's Mamba and attention layers). */
    record None() implements Ffn {
        @Override
        public void tensors(String p, int layer, long hidden, List<Tensor> out) {}

        @Override
        public long activationWidth() {
            return 0;
        }

        @Override
        public String kind() {
            return "none";
        }
    }
}
