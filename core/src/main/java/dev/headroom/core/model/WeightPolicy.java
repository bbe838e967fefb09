package dev.headroom.core.model;

import dev.headroom.core.precision.Precision;

/**
 * Which precision each tensor is stored in when the user asks for a weight format. Quantizers are not
 * uniform: norms and biases stay 16-bit everywhere; embeddings, lm_head and routers stay 16-bit for
 * fp8/int8/int4/nf4/fp4 checkpoints; a GGUF file type is llama.cpp's per-tensor mix ({@link GgufMix});
 * a checkpoint's own modules_to_not_convert stay 16-bit when the user loads it in its own format, and a mixed
 * checkpoint's modules keep the formats it lists for them (the unlisted ones stay 16-bit).
 */
public final class WeightPolicy {
    private final ModelSpec model;
    private final Precision chosen;
    private final Precision highPrecision;

    private final GgufMix gguf;

    public WeightPolicy(ModelSpec model, Precision chosen) {
        this.model = model;
        this.chosen = chosen;
        this.gguf = chosen.family() == Precision.Family.GGUF ? new GgufMix(model, chosen) : null;
        this.highPrecision = chosen.isHighPrecision() ? chosen : model.dtype().isHighPrecision() ? model.dtype() : Precision.BF16;
    }

    public Precision precisionOf(Tensor t) {
        if (gguf != null) {
            return gguf.formatOf(t);
        }
        if (t.role() == TensorRole.VECTOR) {
            return highPrecision;
        }
        if (chosen.isHighPrecision()) {
            return chosen;
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

    /**
     * What a format stores per matrix beside its blocks, on one of {@code ways} tensor-parallel ranks: GPTQ's int32 g_idx
     * per input channel (auto_gptq qlinear_cuda_old.py@v0.7.1), bitsandbytes LLM.int8()'s fp32 scale per output row
     * (SCB), and bitsandbytes 4-bit's per-tensor quantization code (16 fp32 values; with double quantization also the
     * 256-value fp32 code of the absmax and its fp32 offset; bitsandbytes functional.py quantize_4bit).
     */
    public long extraBytes(Tensor t, int ways) {
        Precision p = precisionOf(t);
        if (!(t.role() != TensorRole.VECTOR && t.role() != TensorRole.EMBEDDING && !p.isHighPrecision()
                && (p.hasGroupIndex() || p.family() == Precision.Family.BITSANDBYTES))) {
            return 0;
        }
        TensorShapes.Matrices[] groups = t.role() == TensorRole.ROUTED_EXPERTS ? TensorShapes.experts(model, t)
                : new TensorShapes.Matrices[] {new TensorShapes.Matrices(1, TensorShapes.inputWidth(model, t))};
        long params = t.role() == TensorRole.ROUTED_EXPERTS ? 0 : t.params();
        boolean rowParallel = TensorShapes.rowParallel(t);
        long total = 0;
        for (TensorShapes.Matrices g : groups) {
            long rows = params > 0 ? g.outputRows(params) : t.role() == TensorRole.ROUTED_EXPERTS ? (g.inputWidth() == model.hiddenSize()
                    ? expertIntermediate(t) : model.hiddenSize()) : 0;
            long perMatrix;
            boolean splits;
            if (p.hasGroupIndex()) {
                perMatrix = 4 * g.inputWidth();
                splits = rowParallel;
            } else if (p.equals(Precision.BNB_INT8)) {
                perMatrix = 4 * rows;
                splits = !rowParallel;
            } else {
                perMatrix = p.equals(Precision.NF4) ? 16 * 4 + 256 * 4 + 4 : 16 * 4;
                splits = false;
            }
            long share = splits ? Math.floorDiv(perMatrix + ways - 1, ways) : perMatrix;
            total = dev.headroom.core.base.Checked.add(total, dev.headroom.core.base.Checked.multiply(g.count(), share, "per-matrix bytes"),
                    "per-matrix bytes");
        }
        return total;
    }

    private long expertIntermediate(Tensor t) {
        return ((MoeFfn) model.layers().get(t.layer()).ffn()).expertIntermediate();
    }
}
