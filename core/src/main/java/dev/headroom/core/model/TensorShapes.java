package dev.headroom.core.model;

/**
 * The matrix shapes behind a weight tensor, where a format stores something per row or per input channel (GGUF's
 * blocks per row, GPTQ's g_idx, bitsandbytes' row scales): the input width of each matrix and how many matrices of
 * that width the tensor holds. Routed experts are experts x (gate, up: hidden wide; down: intermediate wide).
 */
final class TensorShapes {
    private TensorShapes() {}

    /** One group of same-shaped matrices in a tensor. */
    record Matrices(long count, long inputWidth) {
        long outputRows(long params) {
            return count == 0 || inputWidth == 0 ? 0 : params / count / inputWidth;
        }
    }

    /** The input width of each matrix of a (non-expert) tensor. */
    static long inputWidth(ModelSpec model, Tensor t) {
        long hidden = model.hiddenSize();
        if (t.layer() < 0) {
            return hidden;
        }
        Layer l = model.layers().get(t.layer());
        String n = t.name();
        if (n.endsWith("down_proj")) {
            if (l.ffn() instanceof DenseFfn d) {
                return d.intermediate();
            }
            if (l.ffn() instanceof MoeFfn m) {
                return n.contains(m.names().shared()) ? m.sharedIntermediate() : m.expertIntermediate();
            }
        }
        if (n.endsWith("self_attn.o_proj")) {
            if (l.mixer() instanceof Attention a) {
                return (long) a.heads() * a.headDim();
            }
            if (l.mixer() instanceof LatentAttention la) {
                return (long) la.heads() * la.vHeadDim();
            }
        }
        if (l.mixer() instanceof LatentAttention la) {
            if (n.endsWith("q_b_proj")) {
                return la.qLoraRank();
            }
            if (n.endsWith("kv_b_proj")) {
                return la.kvLoraRank();
            }
        }
        return hidden;
    }

    /** The routed experts of one layer: the gate and up matrices, then the down matrices. */
    static Matrices[] experts(ModelSpec model, Tensor t) {
        MoeFfn m = (MoeFfn) model.layers().get(t.layer()).ffn();
        return new Matrices[] {new Matrices(2L * m.experts(), model.hiddenSize()), new Matrices(m.experts(), m.expertIntermediate())};
    }

    /** Row-parallel layers split their input channels across tensor-parallel ranks; the others split their rows. */
    static boolean rowParallel(Tensor t) {
        String n = t.name();
        return n.endsWith("o_proj") || n.endsWith("down_proj") || n.endsWith("out_proj");
    }
}
