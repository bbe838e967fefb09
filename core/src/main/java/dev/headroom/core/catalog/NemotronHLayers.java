package dev.headroom.core.catalog;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.model.DenseFfn;
import dev.headroom.core.model.Ffn;
import dev.headroom.core.model.Layer;
import dev.headroom.core.model.MoeFfn;
import dev.headroom.core.model.NoMixer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Nemotron-H (nemotron_h): every layer is one block behind one RMSNorm — a Mamba-2 mixer, attention, a relu2
 * MLP or a mixture of relu2 experts — listed as hybrid_override_pattern ("M", "*", "-", "E") or, in newer
 * configs, as layers_block_type ("mamba", "attention", "mlp", "moe"; configuration_nemotron_h.py maps
 * one to the other and takes the layer count from the list). The MoE block (vLLM nemotron_h.py, NemotronHMoE):
 * a router with a score-correction bias, plain up/down experts, shared experts of
 * moe_shared_expert_intermediate_size x n_shared_experts, and with moe_latent_size (Nemotron 3 Super/Ultra)
 * the routed experts work in that latent width between fc1_latent_proj and fc2_latent_proj.
 */
final class NemotronHLayers {
    private static final Map<String, Character> BLOCK_LETTERS = Map.of("mamba", 'M', "attention", '*', "mlp", '-', "moe", 'E');
    private static final Pattern CHECKPOINT_LAYER = Pattern.compile("backbone\\.layers\\.(\\d+)\\.mixer(\\..*)?");

    private NemotronHLayers() {}

    static boolean handles(String type) {
        return type.equals("nemotron_h");
    }

    /** One letter per layer, from whichever of the two spellings the config uses. */
    static String pattern(Json j) {
        List<String> blocks = j.texts("layers_block_type");
        String pattern;
        if (!blocks.isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (String block : blocks) {
                Character c = BLOCK_LETTERS.get(block);
                if (c == null) {
                    throw InvalidInputException.unknown("layers_block_type entry in " + j.file(), block, BLOCK_LETTERS.keySet());
                }
                b.append(c);
            }
            pattern = b.toString();
        } else {
            pattern = j.text("hybrid_override_pattern");
        }
        if (j.has("num_hidden_layers") && j.positiveInt("num_hidden_layers") != pattern.length()) {
            throw new InvalidInputException(j.file() + ": the layer pattern has " + pattern.length()
                    + " layers but num_hidden_layers = " + j.positiveInt("num_hidden_layers"));
        }
        return pattern;
    }

    static List<Layer> read(Json j, FamilyTraits f) {
        String pattern = pattern(j);
        List<Layer> out = new ArrayList<>(pattern.length());
        MoeFfn moe = pattern.indexOf('E') >= 0 ? moe(j) : null;
        int mlpIndex = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            long norm = f.normValues(1);
            Layer layer = switch (c) {
                case 'M' -> new Layer(Mixers.hybridMamba2(j, f), new Ffn.None(), norm);
                case '*' -> new Layer(Mixers.attention(j, f), new Ffn.None(), norm);
                case '-' -> new Layer(new NoMixer(), new DenseFfn(mlpIntermediate(j, mlpIndex++), false, j.bool("mlp_bias", false)), norm);
                case 'E' -> new Layer(new NoMixer(), moe, norm);
                default -> throw InvalidInputException.unknown("hybrid_override_pattern letter in " + j.file(),
                        String.valueOf(c), List.of("M", "*", "-", "E"));
            };
            out.add(layer);
        }
        return out;
    }

    /** intermediate_size, or one per MLP layer when heterogeneous configs list them (vLLM NemotronHMLPDecoderLayer). */
    private static int mlpIntermediate(Json j, int mlpIndex) {
        if (!(j.raw("intermediate_size") instanceof List<?>)) {
            return j.positiveInt("intermediate_size");
        }
        List<Long> sizes = j.longs("intermediate_size");
        long size = sizes.size() == 1 ? sizes.get(0) : mlpIndex < sizes.size() ? sizes.get(mlpIndex) : -1;
        if (size <= 0 || size > Integer.MAX_VALUE) {
            throw new InvalidInputException(j.file() + ": intermediate_size lists " + sizes.size()
                    + " sizes, none for MLP layer " + mlpIndex);
        }
        return (int) size;
    }

    private static MoeFfn moe(Json j) {
        int latent = j.nonNegativeInt("moe_latent_size", 0);
        if (latent > 0 && j.bool("mlp_bias", false)) {
            throw new InvalidInputException(j.file() + ": biased latent projections (mlp_bias with moe_latent_size) are not modelled");
        }
        // NemotronHConfig defaults: one shared expert of 7688 when the config names neither.
        int sharedExperts = j.nonNegativeInt("n_shared_experts", 1);
        int shared = sharedExperts * j.positiveInt("moe_shared_expert_intermediate_size", 7688);
        return new MoeFfn(j.positiveInt("n_routed_experts"), j.positiveInt("num_experts_per_tok"), j.positiveInt("moe_intermediate_size"),
                shared, false, false, true, false, latent, MoeFfn.Names.DEFAULT);
    }

    /**
     * Checkpoint module names to this reader's tensor names: "backbone.layers.7.mixer.q_proj" is the attention of
     * layer 7 here ("model.layers.7.self_attn.q_proj"), and a Mamba, MLP or MoE mixer maps the same way.
     */
    static String tensorName(String module, String pattern) {
        if (module.equals("backbone.embeddings")) {
            return "model.embed_tokens";
        }
        Matcher m = CHECKPOINT_LAYER.matcher(module);
        if (!m.matches()) {
            return module.startsWith("backbone.") ? "model." + module.substring("backbone.".length()) : module;
        }
        int layer = Integer.parseInt(m.group(1));
        String rest = m.group(2) == null ? "" : m.group(2);
        String block = layer >= pattern.length() ? "mixer" : switch (pattern.charAt(layer)) {
            case 'M' -> "mamba";
            case '*' -> "self_attn";
            default -> "mlp";
        };
        return "model.layers." + layer + "." + block + rest;
    }
}
