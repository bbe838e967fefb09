package dev.headroom.core.model;

import static dev.headroom.core.model.Tensor.ANY_SPLIT;
import static dev.headroom.core.model.TensorRole.ROUTED_EXPERTS;
import static dev.headroom.core.model.TensorRole.ROUTER;
import static dev.headroom.core.model.TensorRole.SHARED_EXPERTS;
import static dev.headroom.core.model.TensorRole.VECTOR;

import java.util.List;

/**
 * Mixture-of-experts feed-forward: {@code experts} gated experts of {@code expertIntermediate}, each token routed
 * to {@code topK}, plus optional always-on shared experts.
 *
 * @param sharedIntermediate  total intermediate size of the shared expert(s); 0 if none
 * @param sharedExpertGate    Qwen2-MoE's sigmoid gate on the shared expert (hidden x 1)
 * @param expertBias          expert projections carry biases (gpt-oss)
 * @param routerBias          the router carries a bias, or DeepSeek's score-correction bias
 * @param names               Hugging Face module names of the block, router and shared expert
 */
public record MoeFfn(int experts, int topK, int expertIntermediate, int sharedIntermediate, boolean sharedExpertGate,
                     boolean expertBias, boolean routerBias, Names names) implements Ffn {

    /** Module names differ by family (Mixtral's block_sparse_moe, gpt-oss's router, Qwen's shared_expert). */
    public record Names(String block, String router, String shared) {
        public static final Names DEFAULT = new Names("mlp", "gate", "shared_experts");
    }

    @Override
    public void tensors(String p, int layer, long hidden, List<Tensor> out) {
        long e = experts;
        String block = p + names.block() + ".";
        out.add(Tensor.of(block + names.router(), ROUTER, hidden * e, layer, 1));
        if (routerBias) {
            out.add(Tensor.of(block + names.router() + ".bias", VECTOR, e, layer, 1));
        }
        out.add(Tensor.of(block + "experts", ROUTED_EXPERTS, e * 3 * hidden * expertIntermediate, layer, ANY_SPLIT));
        if (expertBias) {
            out.add(new Tensor(block + "experts.bias", VECTOR, e * (2L * expertIntermediate + hidden), layer, ANY_SPLIT, true));
        }
        if (sharedIntermediate > 0) {
            DenseFfn.gated(sharedIntermediate).add(block + names.shared() + ".", SHARED_EXPERTS, layer, hidden, out);
            if (sharedExpertGate) {
                out.add(Tensor.of(block + "shared_expert_gate", ROUTER, hidden, layer, 1));
            }
        }
    }

    /** Fused MoE kernels stage top-k experts' gate/up/down outputs per token, plus the shared experts. */
    @Override
    public long activationWidth() {
        return 3L * topK * expertIntermediate + 3L * sharedIntermediate;
    }
}
