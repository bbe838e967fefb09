package dev.headroom.core.model;

import dev.headroom.core.precision.Precision;

/**
 * Which precision each tensor is stored in when the user asks for a weight format. Quantizers are not
 * uniform: norms and biases stay 16-bit everywhere; embeddings, lm_head and routers stay 16-bit for
 * fp8/int8/int4/nf4/fp4 checkpoints; GGUF keeps the output tensor at Q6_K (Q8_0 files keep it at Q8_0);
 * a checkpoint's own modules_to_not_convert stay 16-bit when the user loads it in its own format, and a mixed
 * checkpoint's modules keep the formats it lists for them (the unlisted ones stay 16-bit).
 */
public final class WeightPolicy {
    private final ModelSpec model;
    private final Precision chosen;
    private final Precision highPrecision;

    public WeightPolicy(ModelSpec model, Precision chosen) {
        this.model = model;
        this.chosen = chosen;
        this.highPrecision = chosen.isHighPrecision() ? chosen : model.dtype().isHighPrecision() ? model.dtype() : Precision.BF16;
    }

    public Precision precisionOf(Tensor t) {
        if (t.role() == TensorRole.VECTOR) {
            return highPrecision;
        }
        if (chosen.isHighPrecision()) {
            return chosen;
        }
        if (chosen.family() == Precision.Family.GGUF) {
            return t.role() == TensorRole.LM_HEAD && !chosen.equals(Precision.Q8_0) ? Precision.Q6_K : chosen;
        }
        CheckpointQuantization q = model.quantization();
        boolean asShipped = q != null && q.weights().equals(chosen);
        if (asShipped) {
            // The checkpoint's own per-module formats win over the role defaults (a MIXED_PRECISION checkpoint
            // may ship its lm_head in NVFP4).
            java.util.Optional<Precision> stated = q.formatOf(t.name());
            if (stated.isPresent()) {
                return stated.get();
            }
        }
        if (t.role() == TensorRole.EMBEDDING || t.role() == TensorRole.LM_HEAD || t.role() == TensorRole.ROUTER) {
            return highPrecision;
        }
        if (asShipped && (q.keepsHighPrecision(t.name()) || q.listsEveryQuantized())) {
            return highPrecision;
        }
        return chosen;
    }

    public long bytes(Tensor t, long params) {
        return precisionOf(t).bytesFor(params);
    }
}
