package dev.headroom.core.catalog;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.model.DenseFfn;
import dev.headroom.core.model.Ffn;
import dev.headroom.core.model.Layer;
import dev.headroom.core.model.LinearReplacement;
import dev.headroom.core.model.NoMixer;
import dev.headroom.core.model.TokenMixer;
import java.util.ArrayList;
import java.util.List;

/**
 * Nemotron-NAS (DeciLM, model_type nemotron-nas: Llama-3.1/3.3-Nemotron Nano/Super/Ultra): a Llama whose layers
 * architecture search reshaped one by one. Each block_configs entry gives the layer's attention (KV heads =
 * num_attention_heads / n_heads_in_group, or no_op, or replace_with_linear) and its FFN (ffn_mult, or no_op, or
 * replace_with_linear). A block that is no_op has no norm either; the others keep their RMSNorm
 * (vLLM nemotron_nas.py, DeciLMDecoderLayer; the HF checkpoint's DeciLMLinearAttention / DeciLMLinearMLP are one
 * bias-free hidden x hidden linear each).
 */
final class DeciLmLayers {
    private DeciLmLayers() {}

    static boolean handles(String type) {
        return type.equals("nemotron-nas") || type.equals("deci");
    }

    static List<Layer> read(Json j, FamilyTraits f) {
        List<Json> blocks = j.objects("block_configs");
        int n = ConfigFields.layers(j);
        if (blocks.size() != n) {
            throw new InvalidInputException(j.file() + ": block_configs lists " + blocks.size() + " layers but num_hidden_layers = " + n);
        }
        int heads = ConfigFields.heads(j);
        List<Layer> out = new ArrayList<>(n);
        for (Json block : blocks) {
            Json attention = block.child("attention");
            Json ffn = block.child("ffn");
            int norms = 0;
            TokenMixer mixer;
            if (attention.bool("no_op", false)) {
                mixer = new NoMixer();
            } else {
                norms++;
                mixer = attention.bool("replace_with_linear", false) ? LinearReplacement.ofAttention()
                        : Mixers.attention(j, f, heads, kvHeads(attention, heads));
            }
            Ffn mlp;
            if (ffn.bool("no_op", false)) {
                mlp = new Ffn.None();
            } else {
                norms++;
                mlp = ffn.bool("replace_with_linear", false) ? LinearReplacement.ofMlp()
                        : new DenseFfn(intermediate(ffn, f.hidden), true, f.mlpBias);
            }
            out.add(new Layer(mixer, mlp, f.normValues(norms)));
        }
        return out;
    }

    private static int kvHeads(Json attention, int heads) {
        int group = attention.positiveInt("n_heads_in_group");
        if (heads % group != 0) {
            throw new InvalidInputException(attention.file() + ": n_heads_in_group = " + group + " must divide num_attention_heads = " + heads);
        }
        return heads / group;
    }

    /**
     * _ffn_mult_to_intermediate_size: int(2 x ffn_mult x hidden / 3), rounded up to a multiple of 256 (vLLM
     * nemotron_nas.py); a block may state intermediate_size instead.
     */
    static int intermediate(Json ffn, int hidden) {
        if (!ffn.has("ffn_mult")) {
            return ffn.positiveInt("intermediate_size");
        }
        int size = (int) (2 * ffn.positiveDouble("ffn_mult") * hidden / 3);
        return size % 256 == 0 ? size : size + 256 - size % 256;
    }
}
