package dev.headroom.core.catalog;

import dev.headroom.core.base.InvalidInputException;
import java.util.Locale;

/**
 * The names families give the same quantity in config.json (GPT-2's n_embd, Falcon's n_head_kv, Mamba's
 * state_size), read in one place so each layer reader asks for "the KV heads", not for a spelling.
 */
final class ConfigFields {
    private ConfigFields() {}

    /** The first of {@code fields} the config has; a missing one is named by the first spelling. */
    static int firstInt(Json j, String... fields) {
        for (String f : fields) {
            if (j.has(f)) {
                return j.positiveInt(f);
            }
        }
        return j.positiveInt(fields[0]); // names the missing field
    }

    /**
     * The model type as the modeling code knows it. Falcon's checkpoints from before its transformers port say
     * RefinedWebModel (7B) or RefinedWeb (40B, 180B); transformers' convert_custom_code_checkpoint.py rewrites
     * both to falcon.
     */
    static String modelType(String raw) {
        String type = raw.toLowerCase(Locale.ROOT);
        return type.equals("refinedwebmodel") || type.equals("refinedweb") ? "falcon" : type;
    }

    static int layers(Json j) {
        return firstInt(j, "num_hidden_layers", "n_layer", "num_layers", "n_layers");
    }

    static int heads(Json j) {
        return firstInt(j, "num_attention_heads", "n_head", "num_heads");
    }

    static int kvHeads(Json j, int heads) {
        for (String f : new String[] {"num_key_value_heads", "num_kv_heads", "n_head_kv"}) {
            if (j.has(f)) {
                return j.positiveInt(f);
            }
        }
        return heads;
    }

    /**
     * Falcon-40B/180B's decoder: grouped KV heads and two norms. The RefinedWeb configs mark it only by carrying
     * n_head_kv (convert_custom_code_checkpoint.py sets new_decoder_architecture from it).
     */
    static boolean falconNewDecoderArchitecture(Json j) {
        return j.bool("new_decoder_architecture", j.has("n_head_kv"));
    }

    /**
     * The context the model is served at. FalconConfig defaults max_position_embeddings to 2048 ("Pretrained
     * Falcon models with RoPE support up to 2048 tokens", configuration_falcon.py), and pre-port Falcon configs
     * do not write it.
     */
    static int maxPositions(Json j, String type) {
        for (String f : new String[] {"max_position_embeddings", "n_positions", "max_seq_len", "seq_length"}) {
            if (j.has(f)) {
                return j.positiveInt(f);
            }
        }
        if (type.equals("falcon")) {
            return 2048;
        }
        if (StateSpaceLayers.handles(type)) {
            throw new InvalidInputException(j.file() + ": field 'max_position_embeddings' is missing — a " + type
                    + " model has no position limit of its own; give the context it was trained or tested at"
                    + " (its model card states it) as max_position_embeddings");
        }
        return j.positiveInt("max_position_embeddings"); // names the missing field
    }
}
