package dev.headroom.core.catalog;

import dev.headroom.core.base.InvalidInputException;
import java.util.Map;

/**
 * Model types whose config.json would parse through the shared readers but whose weights or cache those readers
 * would count wrong: refused by name, with what is missing, rather than estimated silently wrong.
 */
final class UnmodelledFamilies {
    private static final Map<String, String> MISSING = Map.of(
            "gemma4", "Gemma 4's shared key/value projection (attention_k_eq_v), separate global head width and per-layer input embeddings",
            "gemma4_text", "Gemma 4's shared key/value projection (attention_k_eq_v), separate global head width and per-layer input embeddings",
            "kimi_linear", "Kimi's KDA linear-attention layers and latent MoE",
            "kimi_k3", "Kimi's KDA linear-attention layers and latent MoE",
            "deepseek_v4", "DeepSeek-V4's hyper-connections and compressed (CSA/HCA) attention, whose cache is not a per-token size",
            "deepseek_ref", "DeepSeek-V4's hyper-connections and compressed (CSA/HCA) attention, whose cache is not a per-token size",
            "step3p7", "Step-3.7's attention layout, for which no modeling code was read",
            "minimax_m3", "MiniMax-M3's sparse attention index projections");

    private UnmodelledFamilies() {}

    static void refuse(String type, Json j) {
        String missing = MISSING.get(type);
        if (missing != null) {
            throw new InvalidInputException(j.file() + ": model_type '" + type + "' is not modelled yet: " + missing
                    + " would be counted wrong");
        }
    }
}
