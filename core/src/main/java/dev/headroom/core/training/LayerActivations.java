package dev.headroom.core.training;

import dev.headroom.core.model.Attention;
import dev.headroom.core.model.DenseFfn;
import dev.headroom.core.model.Ffn;
import dev.headroom.core.model.LatentAttention;
import dev.headroom.core.model.Layer;
import dev.headroom.core.model.MoeFfn;
import dev.headroom.core.model.NoMixer;
import dev.headroom.core.model.ParallelMixers;
import dev.headroom.core.model.TokenMixer;

/**
 * Bytes one decoder layer saves for the backward pass, per token, following the accounting of Korthikanti et al.
 * (arXiv 2205.05198, section 4.1) tensor by tensor, generalized from GPT's shapes to the layer's own: grouped-query
 * attention, gated MLPs, experts. For a GPT layer (multi-head attention, 4h GeLU MLP, dropout, eager attention) the
 * three parts sum to the paper's sbh(34 + 5as/h): 10h outside tensor-parallel regions, 24h inside, and 5a per
 * attended token for the score matrix.
 *
 * @param outside      bytes per token outside tensor-parallel regions (norm inputs, the inputs of the first projections,
 *                     dropout masks): split by tp only under sequence parallelism
 * @param inside       bytes per token inside tensor-parallel regions (split by tp)
 * @param perAttended  bytes per token per attended token: eager attention's softmax output (and dropout mask and
 *                     output); 0 with fused (flash) attention
 * @param input        bytes per token of the layer's input, all that full recomputation keeps
 * @param opPolicyKept bytes per token (inside tensor-parallel regions) that selective checkpointing keeps with fused
 *                     attention: the attention output and every other matmul output (torchtitan's default "op" policy,
 *                     torchtitan/models/llama3/parallelize.py: save mm except every second one, and SDPA)
 */
record LayerActivations(long outside, long inside, long perAttended, long input, long opPolicyKept) {
    /** Activations are kept in 16 bits. */
    static final int BYTES = 2;

    static LayerActivations of(Layer layer, long h, boolean flash, boolean dropout, boolean compile) {
        long outside = 0;
        long inside = 0;
        long attended = 0;
        boolean hasMixer = !(layer.mixer() instanceof NoMixer);
        boolean hasFfn = !(layer.ffn() instanceof Ffn.None);
        // The norms' inputs (2 bytes each) and the inputs of the first projections of each block.
        int blocks = (hasMixer ? 1 : 0) + (hasFfn ? 1 : 0);
        outside += 2L * blocks * BYTES * h;
        if (dropout) {
            outside += blocks * h; // one-byte dropout masks after the attention and MLP outputs
        }
        long[] m = mixer(layer.mixer(), h, flash, dropout);
        inside += m[0];
        attended += m[1];
        inside += ffn(layer.ffn(), h, compile);
        long kept = m[2] + (m[3] + ffnMatmulOutputs(layer.ffn(), h)) / 2;
        return new LayerActivations(outside, inside, attended, BYTES * h, kept);
    }

    /**
     * {inside bytes per token, bytes per token per attended token, attention output bytes per token, matmul output
     * bytes per token}.
     */
    private static long[] mixer(TokenMixer mixer, long h, boolean flash, boolean dropout) {
        if (mixer instanceof Attention a) {
            long q = (long) a.heads() * a.headDim() * (a.queryGate() ? 2 : 1);
            long kv = (long) a.kvHeads() * a.headDim();
            long o = (long) a.heads() * a.headDim();
            // Q and K for the scores, V for the weighted sum, the output projection's input.
            long inside = BYTES * (q + kv + kv + o);
            long lse = 4L * a.heads(); // fused attention's fp32 log-sum-exp per head
            long matmuls = BYTES * (q + kv + kv + h);
            return flash ? new long[] {inside + lse, 0, BYTES * o + lse, matmuls}
                    : new long[] {inside, (long) a.heads() * (BYTES + (dropout ? 1 + BYTES : 0)), BYTES * o, matmuls};
        }
        if (mixer instanceof LatentAttention la) {
            long qk = (long) la.heads() * (la.qkNopeHeadDim() + la.qkRopeHeadDim());
            long v = (long) la.heads() * la.vHeadDim();
            long latent = (long) la.qLoraRank() + la.kvLoraRank() + la.qkRopeHeadDim();
            long inside = BYTES * (latent + 2 * qk + 2 * v);
            long lse = 4L * la.heads();
            long matmuls = BYTES * (latent + qk + qk + v + h);
            return flash ? new long[] {inside + lse, 0, BYTES * v + lse, matmuls}
                    : new long[] {inside, (long) la.heads() * (BYTES + (dropout ? 1 + BYTES : 0)), BYTES * v, matmuls};
        }
        if (mixer instanceof ParallelMixers p) {
            long[] a = mixer(p.first(), h, flash, dropout);
            long[] b = mixer(p.second(), h, flash, dropout);
            return new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]};
        }
        if (mixer instanceof NoMixer) {
            return new long[] {0, 0, 0, 0};
        }
        // Recurrent mixers (Mamba, gated delta nets): the projected inputs and the pre-output state, as wide as the
        // mixer's live activations, saved twice (before and after the convolution / gating).
        long w = BYTES * mixer.activationWidth();
        return new long[] {2 * w, 0, w, w};
    }

    /** Bytes per token the feed-forward block's matrix products output. */
    private static long ffnMatmulOutputs(Ffn ffn, long h) {
        if (ffn instanceof DenseFfn d) {
            return BYTES * ((d.gated() ? 2L : 1L) * d.intermediate() + h);
        }
        if (ffn instanceof MoeFfn m) {
            long experts = (long) m.topK() * BYTES * (2L * m.expertIntermediate() + h);
            long shared = m.sharedIntermediate() > 0 ? BYTES * (2L * m.sharedIntermediate() + h) : 0;
            return experts + shared + 4L * m.experts();
        }
        return 0;
    }

    private static long ffn(Ffn ffn, long h, boolean compile) {
        if (ffn instanceof DenseFfn d) {
            return dense(d.intermediate(), d.gated(), compile);
        }
        if (ffn instanceof MoeFfn m) {
            long experts = m.topK() * dense(m.expertIntermediate(), true, compile);
            long shared = m.sharedIntermediate() > 0 ? dense(m.sharedIntermediate(), true, compile) : 0;
            // fp32 router logits, and the tokens permuted to their experts and back.
            return experts + shared + 4L * m.experts() + 2L * m.topK() * BYTES * h;
        }
        return 0;
    }

    /**
     * A gated MLP saves the gate and up outputs, the activation's output and the product that feeds the down
     * projection (autograd saves each op's inputs); a plain MLP the first projection's output and the activation's.
     * torch.compile's partitioner recomputes the pointwise ops instead, keeping only the projections' outputs.
     */
    private static long dense(long intermediate, boolean gated, boolean compile) {
        long tensors = gated ? (compile ? 2 : 4) : (compile ? 1 : 2);
        return tensors * BYTES * intermediate;
    }

    /** Bytes per token of one layer with nothing recomputed, at context {@code s}, on one tp rank. */
    double none(int tp, boolean sequenceParallel, double s) {
        return (sequenceParallel ? (double) outside / tp : outside) + (double) inside / tp + (double) perAttended * s / tp;
    }

    /**
     * Selective recomputation drops what is cheap to recompute and costly to keep. With eager attention that is the
     * attention core, the terms that grow with the context (Korthikanti et al.: 34sbh per GPT layer). Fused attention
     * never stores them; there it keeps the layer's input, the attention output and every other matmul output and
     * recomputes the rest (PyTorch's selective activation checkpointing with torchtitan's default "op" policy).
     */
    double selective(int tp, boolean sequenceParallel) {
        if (perAttended > 0) {
            return (sequenceParallel ? (double) outside / tp : outside) + (double) inside / tp;
        }
        return (sequenceParallel ? (double) input / tp : input) + (double) opPolicyKept / tp;
    }

    /** Full recomputation keeps the layer's input (2sbh), split by tp under sequence parallelism. */
    double full(int tp, boolean sequenceParallel) {
        return sequenceParallel ? (double) input / tp : input;
    }
}
