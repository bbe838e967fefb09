package dev.headroom.core.model;

import static dev.headroom.core.model.Tensor.ANY_SPLIT;
import static dev.headroom.core.model.TensorRole.MLP;
import static dev.headroom.core.model.TensorRole.ROUTED_EXPERTS;
import static dev.headroom.core.model.TensorRole.ROUTER;
import static dev.headroom.core.model.TensorRole.SHARED_EXPERTS;
import static dev.headroom.core.model.TensorRole.VECTOR;

import java.util.List;

/**
 * Mixture-of-experts feed-forward: {@code experts} experts of {@code expertIntermediate}, each token routed to
 * {@code topK}, plus optional always-on shared experts.
 *
 * @param sharedIntermediate  total intermediate size of the shared expert(s); 0 if none
 * @param sharedExpertGate    Qwen2-MoE's sigmoid gate on the shared expert (hidden x 1)
 * @param expertBias          expert projections carry biases (gpt-oss)
 * @param routerBias          the router carries a bias, or DeepSeek's score-correction bias
 * @param gated               experts (and shared experts) have gate, up and down projections; false for plain
 *                            up/down experts (Nemotron-H's relu2 experts)
 * @param latentSize          routed experts work in a smaller latent width, reached through a down projection
 *                            before and an up projection after them (Nemotron 3's latent MoE); 0 when they see
 *                            the hidden state itself
 * @param names               Hugging Face module names of the block, router and shared expert
 */
public record MoeFfn(int experts, int topK, int expertIntermediate, int sharedIntermediate, boolean sharedExpertGate,
                     boolean expertBias, boolean routerBias, boolean gated, int latentSize, Names names) implements Ffn {

    /** Module names differ by family (Mixtral's block_sparse_moe, gpt-oss's router, Qwen's shared_expert). */
    public record Names(String block, String router, String shared) {
        public static final Names DEFAULT = new Names("mlp", "gate", "shared_experts");
    }

    /** Gated experts on the hidden state: every family but Nemotron-H. */
    public static MoeFfn gatedExperts(int experts, int topK, int expertIntermediate, int sharedIntermediate,
                                      boolean sharedExpertGate, boolean expertBias, boolean routerBias, Names names) {
        return new MoeFfn(experts, topK, expertIntermediate, sharedIntermediate, sharedExpertGate, expertBias, routerBias,
                true, 0, names);
    }

    /** Projections per expert: gate, up and down, or up and down. */
    private int projections() {
        return gated ? 3 : 2;
    }

    /** Width the routed experts read and write. */
    private long expertWidth(long hidden) {
        return latentSize > 0 ? latentSize : hidden;
    }

    @Override
    public void tensors(String p, int layer, long hidden, List<Tensor> out) {
        long e = experts;
        long width = expertWidth(hidden);
        String block = p + names.block() + ".";
        out.add(Tensor.of(block + names.router(), ROUTER, hidden * e, layer, 1));
        if (routerBias) {
            out.add(Tensor.of(block + names.router() + ".bias", VECTOR, e, layer, 1));
        }
        if (latentSize > 0) {
            // Every token passes through both projections, whichever experts it reaches.
            out.add(Tensor.of(block + "fc1_latent_proj", MLP, hidden * latentSize, layer, ANY_SPLIT));
            out.add(Tensor.of(block + "fc2_latent_proj", MLP, (long) latentSize * hidden, layer, ANY_SPLIT));
        }
        out.add(Tensor.of(block + "experts", ROUTED_EXPERTS, e * projections() * width * expertIntermediate, layer, ANY_SPLIT));
        if (expertBias) {
            long perExpert = (projections() - 1L) * expertIntermediate + width;
            out.add(new Tensor(block + "experts.bias", VECTOR, e * perExpert, layer, ANY_SPLIT, true));
        }
        if (sharedIntermediate > 0) {
            new DenseFfn(sharedIntermediate, gated, false).add(block + names.shared() + ".", SHARED_EXPERTS, layer, hidden, out);
            if (sharedExpertGate) {
                out.add(Tensor.of(block + "shared_expert_gate", ROUTER, hidden, layer, 1));
            }
        }
    }

    /** Fused MoE kernels stage top-k experts' projection outputs per token, plus the shared experts. */
    @Override
    public long activationWidth() {
        return (long) projections() * topK * expertIntermediate + (long) projections() * sharedIntermediate + 2L * latentSize;
    }

    @Override
    public String kind() {
        return "moe " + experts + "x top-" + topK;
    }
}
