package dev.headroom.core;

import java.util.List;
import java.util.Optional;

/**
 * A model's architecture as its config.json states it, plus where the entry came from. Everything else
 * (parameters, weight bytes, KV bytes) is derived from these fields, never from the model's name.
 *
 * @param dtype           the checkpoint's torch_dtype: what "--weights" defaults to without a quantization_config
 * @param quantization    the checkpoint's own quantization_config, or null
 * @param publishedParams a parameter count the publisher states, for cross-checking; null if none
 */
public record ModelSpec(String id, String hfRepo, String modelType, int hiddenSize, int layers, int vocabSize,
                        int intermediateSize, boolean tiedEmbeddings, int maxPositions, int normsPerLayer,
                        Attention attention, Moe moe, Precision dtype, CheckpointQuantization quantization,
                        Long publishedParams, Provenance provenance) {

    public boolean isMoe() {
        return moe != null;
    }

    public Optional<CheckpointQuantization> checkpointQuantization() {
        return Optional.ofNullable(quantization);
    }

    /**
     * The format weights load in when the user does not choose one: the checkpoint's quantization, else its
     * dtype, except that fp32 checkpoints (Gemma-2-9B) load in bf16, as engines' dtype=auto does.
     */
    public Precision defaultWeights() {
        if (quantization != null) {
            return quantization.weights();
        }
        return dtype.equals(Precision.FP32) ? Precision.BF16 : dtype;
    }

    public List<Tensor> tensors() {
        return TensorInventory.of(this);
    }

    /** Total parameters, counted tensor by tensor. */
    public long params() {
        return tensors().stream().mapToLong(Tensor::params).sum();
    }

    /** Parameters one token touches: shared weights plus top-k of the routed experts. */
    public long activeParams() {
        long total = 0;
        for (Tensor t : tensors()) {
            total += t.routed() ? t.params() / moe.experts() * moe.expertsPerToken() : t.params();
        }
        return total;
    }

    /** KV cache bytes one token occupies across all layers, on one copy of the model (no TP split). */
    public long kvBytesPerToken(Precision kv) {
        return KvCache.bytesPerToken(this, kv, 1);
    }

    @Override
    public String toString() {
        return id + " (" + hfRepo + "): " + layers + " layers, hidden " + hiddenSize + ", "
                + attention.heads() + " heads / " + attention.kvHeads() + " KV heads x " + attention.headDim()
                + (isMoe() ? ", " + moe.experts() + " experts top-" + moe.expertsPerToken() : "")
                + ", " + String.format(java.util.Locale.ROOT, "%,d", params()) + " params";
    }
}
