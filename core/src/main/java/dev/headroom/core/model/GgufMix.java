package dev.headroom.core.model;

import static dev.headroom.core.precision.Precision.IQ1_M;
import static dev.headroom.core.precision.Precision.IQ1_S;
import static dev.headroom.core.precision.Precision.IQ2_M;
import static dev.headroom.core.precision.Precision.IQ2_S;
import static dev.headroom.core.precision.Precision.IQ2_XS;
import static dev.headroom.core.precision.Precision.IQ2_XXS;
import static dev.headroom.core.precision.Precision.IQ3_M;
import static dev.headroom.core.precision.Precision.IQ3_S;
import static dev.headroom.core.precision.Precision.IQ3_XS;
import static dev.headroom.core.precision.Precision.IQ3_XXS;
import static dev.headroom.core.precision.Precision.IQ4_NL;
import static dev.headroom.core.precision.Precision.IQ4_XS;
import static dev.headroom.core.precision.Precision.MXFP4;
import static dev.headroom.core.precision.Precision.MXFP4_MOE;
import static dev.headroom.core.precision.Precision.Q2_K;
import static dev.headroom.core.precision.Precision.Q2_K_S;
import static dev.headroom.core.precision.Precision.Q3_K;
import static dev.headroom.core.precision.Precision.Q3_K_L;
import static dev.headroom.core.precision.Precision.Q3_K_M;
import static dev.headroom.core.precision.Precision.Q3_K_S;
import static dev.headroom.core.precision.Precision.Q4_0;
import static dev.headroom.core.precision.Precision.Q4_K;
import static dev.headroom.core.precision.Precision.Q4_K_M;
import static dev.headroom.core.precision.Precision.Q4_K_S;
import static dev.headroom.core.precision.Precision.Q5_0;
import static dev.headroom.core.precision.Precision.Q5_1;
import static dev.headroom.core.precision.Precision.Q5_K;
import static dev.headroom.core.precision.Precision.Q5_K_M;
import static dev.headroom.core.precision.Precision.Q5_K_S;
import static dev.headroom.core.precision.Precision.Q6_K;
import static dev.headroom.core.precision.Precision.Q8_0;

import dev.headroom.core.precision.Precision;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-tensor types llama.cpp's quantizer gives a named GGUF file type (src/llama-quant.cpp
 * llama_tensor_get_type_impl@007dbbf3fd17eefe9b47fee45f48f7ba5e62b714, rules in code order, no importance matrix):
 * the output tensor at Q6_K (Q5_K for the 1-2-bit types, Q8_0 for MXFP4_MOE), attention-v and ffn-down of chosen
 * layers one or two steps up, the 70B-class and 8-expert adjustments, and the fall-back for rows that do not hold
 * whole blocks. One-dimensional tensors (norms, biases) and the router stay F32.
 */
final class GgufMix {
    private static final Set<Precision> TWO_BIT = Set.of(IQ2_XXS, IQ2_XS, IQ1_S, IQ2_S, IQ2_M, IQ1_M);
    /** llama_ftype -> the type a tensor gets when no rule applies. */
    private static final Map<Precision, Precision> BASE = Map.ofEntries(
            Map.entry(Q2_K, Q2_K), Map.entry(Q2_K_S, Q2_K), Map.entry(Q3_K_S, Q3_K), Map.entry(Q3_K_M, Q3_K), Map.entry(Q3_K_L, Q3_K),
            Map.entry(Q4_K_S, Q4_K), Map.entry(Q4_K_M, Q4_K), Map.entry(Q5_K_S, Q5_K), Map.entry(Q5_K_M, Q5_K), Map.entry(IQ2_S, IQ2_XS),
            Map.entry(IQ2_M, IQ2_S), Map.entry(IQ3_XS, IQ3_S), Map.entry(IQ3_M, IQ3_S), Map.entry(MXFP4_MOE, MXFP4));

    private enum Kind { TOKEN_EMBD, OUTPUT, ATTN_V, ATTN_K, ATTN_Q, ATTN_OUTPUT, FFN_GATE, FFN_UP, FFN_DOWN, OTHER }

    private final ModelSpec model;
    private final Precision ftype;
    private final Precision base;
    private final int nGqa;
    private final int nExpert;
    private final boolean falcon;
    private final boolean seventyB;
    private final int layers;
    /** attn_v-like tensors in file order: layer -> ordinal. */
    private final Map<Integer, Integer> attentionV = new HashMap<>();

    GgufMix(ModelSpec model, Precision ftype) {
        this.model = model;
        this.ftype = ftype;
        this.base = BASE.getOrDefault(ftype, ftype);
        TokenMixer first = model.attention();
        this.nGqa = first instanceof Attention a && a.kvHeads() > 0 ? a.heads() / a.kvHeads() : 1;
        this.nExpert = model.moe().map(MoeFfn::experts).orElse(0);
        String type = model.modelType() == null ? "" : model.modelType();
        this.falcon = type.equals("falcon");
        this.layers = model.layerCount();
        // llama.cpp's LLM_TYPE_70B: the 80-layer Llama; its Q3_K/Q4_K attention-v go to Q5_K.
        this.seventyB = type.equals("llama") && layers == 80;
        int n = 0;
        for (int i = 0; i < layers; i++) {
            TokenMixer m = model.layers().get(i).mixer();
            if (m instanceof Attention || m instanceof LatentAttention || m instanceof ParallelMixers) {
                attentionV.put(i, n++);
            }
        }
    }

    /** The storage of tensor {@code t} in this file type (expert blocks as their gate/up and down types side by side). */
    Precision formatOf(Tensor t) {
        if (t.role() == TensorRole.VECTOR || t.role() == TensorRole.ROUTER) {
            return Precision.FP32;
        }
        if (t.role() == TensorRole.ROUTED_EXPERTS && ftype.equals(MXFP4_MOE)) {
            return MXFP4;
        }
        if (t.role() == TensorRole.ROUTED_EXPERTS) {
            Precision gateUp = typeOf(Kind.FFN_GATE, t.layer(), hidden());
            Precision down = typeOf(Kind.FFN_DOWN, t.layer(), expertIntermediate(t.layer()));
            return Precision.split(gateUp, 2, down);
        }
        Kind kind = kind(t);
        return typeOf(kind, t.layer(), rowLength(kind, t));
    }

    private long hidden() {
        return model.hiddenSize();
    }

    private long expertIntermediate(int layer) {
        return model.layers().get(layer).ffn() instanceof MoeFfn m ? m.expertIntermediate() : hidden();
    }

    private static Kind kind(Tensor t) {
        String n = t.name();
        if (t.role() == TensorRole.EMBEDDING) {
            return Kind.TOKEN_EMBD;
        }
        if (t.role() == TensorRole.LM_HEAD) {
            return Kind.OUTPUT;
        }
        if (n.endsWith("v_proj") || n.endsWith("kv_b_proj")) {
            return Kind.ATTN_V;
        }
        if (n.endsWith(".k_proj")) {
            return Kind.ATTN_K;
        }
        if (n.endsWith(".q_proj") || n.endsWith("q_a_proj") || n.endsWith("q_b_proj")) {
            return Kind.ATTN_Q;
        }
        if (n.endsWith("self_attn.o_proj")) {
            return Kind.ATTN_OUTPUT;
        }
        if (n.endsWith("gate_proj")) {
            return Kind.FFN_GATE;
        }
        if (n.endsWith("up_proj")) {
            return Kind.FFN_UP;
        }
        if (n.endsWith("down_proj")) {
            return Kind.FFN_DOWN;
        }
        return Kind.OTHER;
    }

    /** Values in one row of the tensor: the block types need whole blocks per row. */
    private long rowLength(Kind kind, Tensor t) {
        return TensorShapes.inputWidth(model, t);
    }

    private static boolean useMoreBits(int i, int n) {
        return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;
    }

    private Precision typeOf(Kind kind, int layer, long rowLength) {
        return fitRows(chooseType(kind, layer), rowLength);
    }

    private Precision chooseType(Kind kind, int layer) {
        Precision f = ftype;
        boolean tiedOutput = kind == Kind.TOKEN_EMBD && model.tiedEmbeddings();
        if (kind == Kind.OUTPUT || tiedOutput) {
            if (f.equals(MXFP4_MOE) || falcon) {
                return Q8_0;
            }
            if (TWO_BIT.contains(f) || f.equals(IQ3_XXS)) {
                return Q5_K;
            }
            return base.equals(Q8_0) ? Q8_0 : Q6_K;
        }
        if (f.equals(MXFP4_MOE)) {
            return Q8_0; // everything but the routed experts
        }
        if (kind == Kind.TOKEN_EMBD) {
            if (f.equals(IQ2_XXS) || f.equals(IQ2_XS) || f.equals(IQ1_S) || f.equals(IQ1_M)) {
                return Q2_K;
            }
            if (f.equals(IQ2_S) || f.equals(IQ2_M) || f.equals(IQ3_XXS)) {
                return IQ3_S;
            }
            return base;
        }
        int n = layers;
        if (TWO_BIT.contains(f)) {
            boolean s = f.equals(IQ2_S) || f.equals(IQ2_M);
            if (kind == Kind.ATTN_V) {
                return nGqa >= 4 || nExpert >= 4 ? Q4_K : s ? IQ3_S : Q2_K;
            }
            if (kind == Kind.ATTN_K && nExpert == 8) {
                return Q4_K;
            }
            if (kind == Kind.FFN_DOWN && layer < n / 8) {
                return s ? IQ3_S : Q2_K;
            }
            if (kind == Kind.ATTN_OUTPUT) {
                if (nExpert == 8) {
                    return Q5_K;
                }
                if (f.equals(IQ1_S) || f.equals(IQ1_M)) {
                    return IQ2_XXS;
                }
                if (s) {
                    return IQ3_S;
                }
            }
            return base;
        }
        return switch (kind) {
            case ATTN_V -> attentionV(f, attentionV.getOrDefault(layer, 0), attentionV.size());
            case ATTN_K -> nExpert == 8 ? Q8_0 : f.equals(IQ3_XS) ? IQ3_XXS : f.equals(IQ3_XXS) ? IQ2_S : base;
            case ATTN_Q -> f.equals(IQ3_XS) ? IQ3_XXS : f.equals(IQ3_XXS) ? IQ2_S : base;
            case FFN_DOWN -> ffnDown(f, layer, n);
            case ATTN_OUTPUT -> attentionOutput(f);
            case FFN_GATE, FFN_UP -> f.equals(IQ3_XS) && layer >= n / 8 && layer < 7 * n / 8 ? IQ3_XXS : base;
            default -> base;
        };
    }

    private Precision attentionV(Precision f, int i, int n) {
        Precision t = base;
        if (f.equals(Q2_K)) {
            t = nGqa >= 4 ? Q4_K : Q3_K;
        } else if (f.equals(Q2_K_S) && nGqa >= 4) {
            t = Q4_K;
        } else if (f.equals(IQ3_XXS)) {
            t = nGqa >= 4 ? Q4_K : IQ3_S;
        } else if ((f.equals(IQ3_XS) || f.equals(IQ3_S)) && nGqa >= 4) {
            t = Q4_K;
        } else if (f.equals(IQ3_M)) {
            t = Q4_K;
        } else if (f.equals(Q3_K_M)) {
            t = i < 2 ? Q5_K : Q4_K;
        } else if (f.equals(Q3_K_L)) {
            t = Q5_K;
        } else if ((f.equals(IQ4_NL) || f.equals(IQ4_XS)) && nGqa >= 4) {
            t = Q5_K;
        } else if ((f.equals(Q4_K_M) || f.equals(Q5_K_M)) && useMoreBits(i, n)) {
            t = Q6_K;
        } else if (f.equals(Q4_K_S) && i < 4) {
            t = Q5_K;
        }
        if (seventyB && (t.equals(Q3_K) || t.equals(Q4_K))) {
            t = Q5_K;
        }
        return nExpert == 8 ? Q8_0 : t;
    }

    private Precision ffnDown(Precision f, int i, int n) {
        if (f.equals(Q2_K)) {
            return Q3_K;
        }
        if (f.equals(Q2_K_S)) {
            return i < n / 8 ? Q4_K : base;
        }
        if (f.equals(IQ3_XXS)) {
            return i < n / 8 ? Q4_K : Q3_K;
        }
        if (f.equals(Q3_K_M)) {
            return i < n / 16 ? Q5_K : !falcon || useMoreBits(i, n) ? Q4_K : Q3_K;
        }
        if (f.equals(IQ3_M)) {
            return i < n / 8 || (nExpert == 8 && useMoreBits(i, n)) ? Q4_K : base;
        }
        if (f.equals(Q3_K_L)) {
            return falcon ? Q4_K : Q5_K;
        }
        if (f.equals(Q4_K_M)) {
            if (falcon) {
                return i < n / 16 ? Q6_K : useMoreBits(i, n) ? Q5_K : Q4_K;
            }
            return useMoreBits(i, n) ? Q6_K : base;
        }
        if ((f.equals(IQ4_NL) || f.equals(IQ4_XS)) && i < n / 8) {
            return Q5_K;
        }
        if (f.equals(Q5_K_M) && useMoreBits(i, n)) {
            return Q6_K;
        }
        if (f.equals(Q4_K_S) && !falcon && i < n / 8) {
            return Q5_K;
        }
        return base;
    }

    private static final Set<Precision> EIGHT_EXPERT_OUTPUT = Set.of(Q2_K, IQ3_XS, IQ3_XXS, Q3_K_S, Q3_K_M, IQ4_NL, Q4_K_S, Q4_K_M,
            IQ3_S, IQ3_M, IQ4_XS);

    private Precision attentionOutput(Precision f) {
        if (falcon) {
            return f.equals(Q3_K_L) ? Q4_K : base;
        }
        if (nExpert == 8) {
            return EIGHT_EXPERT_OUTPUT.contains(f) ? Q5_K : base;
        }
        if (f.equals(Q2_K)) {
            return Q3_K;
        }
        if (f.equals(IQ3_XXS)) {
            return IQ3_S;
        }
        if (f.equals(Q3_K_M) || f.equals(IQ3_M)) {
            return Q4_K;
        }
        if (f.equals(Q3_K_L)) {
            return Q5_K;
        }
        return base;
    }

    /** llama-quant.cpp's fall-back when a row does not hold whole blocks of the chosen type. */
    private static Precision fitRows(Precision t, long rowLength) {
        if (rowLength % t.blockElements() == 0) {
            return t;
        }
        Precision fallback;
        if (List.of(IQ1_S, IQ1_M, IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS, IQ3_S, IQ4_XS).contains(t)) {
            fallback = IQ4_NL;
        } else if (t.equals(Q2_K) || t.equals(Q3_K)) {
            fallback = Q4_0;
        } else if (t.equals(Q4_K)) {
            fallback = Q5_0;
        } else if (t.equals(Q5_K)) {
            fallback = Q5_1;
        } else if (t.equals(Q6_K)) {
            fallback = Q8_0;
        } else {
            return t;
        }
        return rowLength % fallback.blockElements() == 0 ? fallback : Precision.FP16;
    }
}
