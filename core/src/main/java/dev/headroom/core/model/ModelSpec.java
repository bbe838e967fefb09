package dev.headroom.core.model;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.base.Provenance;
import dev.headroom.core.precision.Precision;
import java.util.List;
import java.util.Optional;

/**
 * A model's architecture as its config.json states it, as a list of layers, plus where the entry came from.
 * Everything else (parameters, weight bytes, KV bytes, FLOPs) is derived from these fields — once, in
 * {@link ModelProfile} — never from the model's name.
 *
 * @param dtype           the checkpoint's torch_dtype: what weights load in without a quantization_config
 * @param quantization    the checkpoint's own quantization_config, or null
 * @param finalNormValues parameters of the norm after the last layer (LayerNorm: weight and bias)
 * @param lmHeadBias      the output projection carries a bias (GPT-J, phi-2)
 * @param positionEmbeddingParams parameters of a learned position-embedding table (GPT-2: n_positions x n_embd);
 *                        0 for rotary or ALiBi models, whose positions carry no weights
 * @param publishedParams a parameter count the publisher states, for cross-checking; null if none
 */
public record ModelSpec(String id, String hfRepo, List<String> aliases, String family, String modelType, int hiddenSize,
                        int vocabSize, boolean tiedEmbeddings, int maxPositions, List<Layer> layers, long finalNormValues,
                        boolean lmHeadBias, long positionEmbeddingParams, Precision dtype, CheckpointQuantization quantization, Long publishedParams,
                        Provenance provenance) {
    public ModelSpec {
        layers = List.copyOf(layers);
        aliases = List.copyOf(aliases);
        if (layers.isEmpty()) {
            throw InvalidInputException.field("num_hidden_layers", 0, id + " must have at least one layer");
        }
        if (positionEmbeddingParams < 0) {
            throw InvalidInputException.field("n_positions", positionEmbeddingParams, id + ": a position table cannot be negative");
        }
    }

    public int layerCount() {
        return layers.size();
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

    /** The 16-bit type of the checkpoint's activations and default KV cache. */
    public Precision activationDtype() {
        return dtype.isHighPrecision() && !dtype.equals(Precision.FP32) ? dtype : Precision.BF16;
    }

    /** The attention of the first layer that has one: how the model is usually described. */
    public TokenMixer attention() {
        for (Layer l : layers) {
            if (l.mixer() instanceof Attention || l.mixer() instanceof LatentAttention) {
                return l.mixer();
            }
        }
        return layers.get(0).mixer();
    }

    /** The first MoE block, if the model has experts. */
    public Optional<MoeFfn> moe() {
        return layers.stream().map(Layer::ffn).filter(MoeFfn.class::isInstance).map(MoeFfn.class::cast).findFirst();
    }

    public boolean isMoe() {
        return moe().isPresent();
    }

    /** One line: layers, width, attention and experts. */
    public String describe() {
        StringBuilder b = new StringBuilder().append(layers.size()).append(" layers, hidden ").append(hiddenSize);
        TokenMixer a = attention();
        if (a instanceof Attention at) {
            b.append(", ").append(at.heads()).append(" heads / ").append(at.kvHeads()).append(" KV heads x ").append(at.headDim());
        } else if (a instanceof LatentAttention la) {
            b.append(", MLA ").append(la.heads()).append(" heads, latent ").append(la.kvLoraRank() + la.qkRopeHeadDim());
        }
        long recurrent = layers.stream().filter(l -> l.mixer().stateBytesPerSequence(Precision.BF16, 1) > 0).count();
        if (recurrent > 0) {
            b.append(", ").append(recurrent).append(" recurrent layers");
        }
        moe().ifPresent(m -> b.append(", ").append(m.experts()).append(" experts top-").append(m.topK()));
        return b.toString();
    }

    /** The layers by kind, in order of first appearance: "mixers 23 mamba-2, 6 attention, 23 none; feed-forward 23 moe 128x top-6, 29 none". */
    public String layerSummary() {
        return "mixers " + census(layers.stream().map(l -> l.mixer().kind()).toList())
                + "; feed-forward " + census(layers.stream().map(l -> l.ffn().kind()).toList());
    }

    private static String census(List<String> kinds) {
        java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        kinds.forEach(k -> counts.merge(k, 1, Integer::sum));
        StringBuilder b = new StringBuilder();
        counts.forEach((k, n) -> b.append(b.length() == 0 ? "" : ", ").append(n).append(' ').append(k));
        return b.toString();
    }

    @Override
    public String toString() {
        return id + " (" + hfRepo + "): " + describe();
    }
}
