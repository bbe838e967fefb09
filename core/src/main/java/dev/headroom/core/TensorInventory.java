package dev.headroom.core;

import static dev.headroom.core.Tensor.ANY_SPLIT;
import static dev.headroom.core.TensorRole.ATTENTION;
import static dev.headroom.core.TensorRole.EMBEDDING;
import static dev.headroom.core.TensorRole.LM_HEAD;
import static dev.headroom.core.TensorRole.MLP;
import static dev.headroom.core.TensorRole.ROUTED_EXPERTS;
import static dev.headroom.core.TensorRole.ROUTER;
import static dev.headroom.core.TensorRole.SHARED_EXPERTS;
import static dev.headroom.core.TensorRole.VECTOR;

import java.util.ArrayList;
import java.util.List;

/** Lists a model's weight tensors from its architecture fields, layer by layer, with Hugging Face names. */
final class TensorInventory {
    /** Hugging Face names of a decoder layer's norms; Gemma 2 adds the two around the feed-forward block. */
    private static final List<String> NORMS = List.of("input_layernorm", "post_attention_layernorm",
            "pre_feedforward_layernorm", "post_feedforward_layernorm");

    private TensorInventory() {}

    static List<Tensor> of(ModelSpec m) {
        long h = m.hiddenSize();
        List<Tensor> out = new ArrayList<>();
        out.add(Tensor.of("model.embed_tokens", EMBEDDING, m.vocabSize() * h, -1, ANY_SPLIT));
        for (int i = 0; i < m.layers(); i++) {
            String p = "model.layers." + i + ".";
            if (m.attention().isMla()) {
                latentAttention(m, p, i, out);
            } else {
                attention(m, p, i, out);
            }
            if (m.isMoe() && !m.moe().isDense(i)) {
                experts(m, p, i, out);
            } else {
                denseMlp(p + "mlp.", m.intermediateSize(), h, i, MLP, out);
            }
            for (String norm : NORMS.subList(0, m.normsPerLayer())) {
                out.add(Tensor.of(p + norm, VECTOR, h, i, 1));
            }
        }
        out.add(Tensor.of("model.norm", VECTOR, h, -1, 1));
        if (!m.tiedEmbeddings()) {
            out.add(Tensor.of("lm_head", LM_HEAD, m.vocabSize() * h, -1, ANY_SPLIT));
        }
        return List.copyOf(out);
    }

    private static void attention(ModelSpec m, String p, int i, List<Tensor> out) {
        Attention a = m.attention();
        long h = m.hiddenSize();
        long q = (long) a.heads() * a.headDim();
        long kv = (long) a.kvHeads() * a.headDim();
        String s = p + "self_attn.";
        out.add(Tensor.of(s + "q_proj", ATTENTION, h * q, i, ANY_SPLIT));
        out.add(Tensor.of(s + "k_proj", ATTENTION, h * kv, i, a.kvHeads()));
        out.add(Tensor.of(s + "v_proj", ATTENTION, h * kv, i, a.kvHeads()));
        out.add(Tensor.of(s + "o_proj", ATTENTION, q * h, i, ANY_SPLIT));
        if (a.qkvBias()) {
            out.add(Tensor.of(s + "q_proj.bias", VECTOR, q, i, ANY_SPLIT));
            out.add(Tensor.of(s + "k_proj.bias", VECTOR, kv, i, a.kvHeads()));
            out.add(Tensor.of(s + "v_proj.bias", VECTOR, kv, i, a.kvHeads()));
        }
        if (a.outputBias()) {
            out.add(Tensor.of(s + "o_proj.bias", VECTOR, h, i, 1));
        }
        if (a.qkNorm()) {
            out.add(Tensor.of(s + "q_norm", VECTOR, a.headDim(), i, 1));
            out.add(Tensor.of(s + "k_norm", VECTOR, a.headDim(), i, 1));
        }
        if (a.sinks()) {
            out.add(Tensor.of(s + "sinks", VECTOR, a.heads(), i, ANY_SPLIT));
        }
    }

    /** DeepSeek MLA: low-rank query and compressed KV projections; the down-projections are replicated. */
    private static void latentAttention(ModelSpec m, String p, int i, List<Tensor> out) {
        Mla mla = m.attention().mla();
        long h = m.hiddenSize();
        long heads = m.attention().heads();
        long qHead = mla.qkNopeHeadDim() + mla.qkRopeHeadDim();
        String s = p + "self_attn.";
        if (mla.qLoraRank() > 0) {
            out.add(Tensor.of(s + "q_a_proj", ATTENTION, h * mla.qLoraRank(), i, 1));
            out.add(Tensor.of(s + "q_a_layernorm", VECTOR, mla.qLoraRank(), i, 1));
            out.add(Tensor.of(s + "q_b_proj", ATTENTION, mla.qLoraRank() * heads * qHead, i, ANY_SPLIT));
        } else {
            out.add(Tensor.of(s + "q_proj", ATTENTION, h * heads * qHead, i, ANY_SPLIT));
        }
        out.add(Tensor.of(s + "kv_a_proj_with_mqa", ATTENTION, h * (mla.kvLoraRank() + mla.qkRopeHeadDim()), i, 1));
        out.add(Tensor.of(s + "kv_a_layernorm", VECTOR, mla.kvLoraRank(), i, 1));
        out.add(Tensor.of(s + "kv_b_proj", ATTENTION,
                (long) mla.kvLoraRank() * heads * (mla.qkNopeHeadDim() + mla.vHeadDim()), i, ANY_SPLIT));
        out.add(Tensor.of(s + "o_proj", ATTENTION, heads * mla.vHeadDim() * h, i, ANY_SPLIT));
    }

    private static void denseMlp(String prefix, long intermediate, long h, int i, TensorRole role, List<Tensor> out) {
        out.add(Tensor.of(prefix + "gate_proj", role, h * intermediate, i, ANY_SPLIT));
        out.add(Tensor.of(prefix + "up_proj", role, h * intermediate, i, ANY_SPLIT));
        out.add(Tensor.of(prefix + "down_proj", role, intermediate * h, i, ANY_SPLIT));
    }

    private static void experts(ModelSpec m, String p, int i, List<Tensor> out) {
        Moe moe = m.moe();
        long h = m.hiddenSize();
        long e = moe.experts();
        String block = p + ("mixtral".equals(m.modelType()) ? "block_sparse_moe." : "mlp.");
        String router = "gpt_oss".equals(m.modelType()) ? "router" : "gate";
        out.add(Tensor.of(block + router, ROUTER, h * e, i, 1));
        if (moe.routerBias()) {
            out.add(Tensor.of(block + router + ".bias", VECTOR, e, i, 1));
        }
        out.add(Tensor.of(block + "experts", ROUTED_EXPERTS, e * 3 * h * moe.expertIntermediate(), i, ANY_SPLIT));
        if (moe.expertBias()) {
            out.add(new Tensor(block + "experts.bias", VECTOR, e * (2L * moe.expertIntermediate() + h), i, ANY_SPLIT, true));
        }
        if (moe.sharedIntermediate() > 0) {
            String shared = "qwen2_moe".equals(m.modelType()) ? "shared_expert." : "shared_experts.";
            denseMlp(block + shared, moe.sharedIntermediate(), h, i, SHARED_EXPERTS, out);
            if (moe.sharedExpertGate()) {
                out.add(Tensor.of(block + "shared_expert_gate", ROUTER, h, i, 1));
            }
        }
    }
}
