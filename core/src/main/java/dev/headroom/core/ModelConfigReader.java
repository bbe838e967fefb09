package dev.headroom.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a Hugging Face style config.json into a {@link ModelSpec}. Catalog entries are the same JSON
 * plus {@code id}, {@code hf_repo}, {@code source} and {@code verified}; a user's own config.json works
 * too. Errors name the file and the missing or malformed field.
 */
public final class ModelConfigReader {
    private static final Set<String> FOUR_NORM_TYPES = Set.of("gemma2", "gemma3", "gemma3_text");
    private static final Set<String> QK_NORM_TYPES = Set.of("qwen3", "qwen3_moe", "gemma3", "gemma3_text", "olmo2");
    private static final Set<String> QKV_BIAS_TYPES = Set.of("qwen2", "qwen2_moe");
    private static final Set<String> QWEN_WINDOW_TYPES = Set.of("qwen2", "qwen2_moe", "qwen3", "qwen3_moe");
    private static final List<String> QUANT_METHODS = List.of("fp8", "fbgemm_fp8", "mxfp4", "awq", "gptq", "bitsandbytes");

    private ModelConfigReader() {}

    /** A user's config.json on disk; the id is the file's folder (Hugging Face snapshots keep one config per folder). */
    public static ModelSpec read(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read model config '" + path + "': " + e.getMessage());
        }
        Json json = Json.parse(text, path.toString());
        Path parent = path.toAbsolutePath().getParent();
        String fallbackId = parent == null ? path.getFileName().toString() : parent.getFileName().toString();
        String id = json.text("id", fallbackId);
        String repo = json.text("hf_repo", json.text("_name_or_path", id));
        Provenance provenance = json.has("source")
                ? new Provenance(json.text("source"), json.text("verified", "unverified"))
                : Provenance.userFile(path.toString());
        return parse(json, id, repo, provenance);
    }

    /** A catalog entry: provenance is mandatory. */
    static ModelSpec readCatalogEntry(String text, String file) {
        Json json = Json.parse(text, file);
        return parse(json, json.text("id"), json.text("hf_repo"), new Provenance(json.text("source"), json.text("verified")));
    }

    static ModelSpec parse(Json j, String id, String hfRepo, Provenance provenance) {
        String type = j.text("model_type").toLowerCase(Locale.ROOT);
        int hidden = j.positiveInt("hidden_size");
        int layers = j.positiveInt("num_hidden_layers");
        int heads = j.positiveInt("num_attention_heads");
        int kvHeads = j.positiveInt("num_key_value_heads", heads);
        if (heads % kvHeads != 0) {
            throw new InvalidInputException(j.file() + ": num_key_value_heads = " + kvHeads
                    + " must divide num_attention_heads = " + heads);
        }
        int headDim = j.has("head_dim") ? j.positiveInt("head_dim") : hidden / heads;
        boolean attentionBias = j.bool("attention_bias", false);
        Attention attention = new Attention(heads, kvHeads, headDim,
                attentionBias || QKV_BIAS_TYPES.contains(type), attentionBias,
                QK_NORM_TYPES.contains(type), "gpt_oss".equals(type), mla(j),
                slidingWindow(j, type), slidingLayers(j, type, layers));
        Moe moe = moe(j, type, layers);
        int intermediate = moe != null && !j.has("intermediate_size") ? 0 : j.positiveInt("intermediate_size");
        return new ModelSpec(id, hfRepo, type, hidden, layers, j.positiveInt("vocab_size"), intermediate,
                j.bool("tie_word_embeddings", type.startsWith("gemma")), j.positiveInt("max_position_embeddings"),
                FOUR_NORM_TYPES.contains(type) ? 4 : 2, attention, moe, dtype(j), quantization(j),
                j.has("published_params") ? j.longValue("published_params") : null, provenance);
    }

    private static Mla mla(Json j) {
        if (!j.has("kv_lora_rank")) {
            return null;
        }
        return new Mla(j.has("q_lora_rank") ? j.positiveInt("q_lora_rank") : 0, j.positiveInt("kv_lora_rank"),
                j.positiveInt("qk_nope_head_dim"), j.positiveInt("qk_rope_head_dim"), j.positiveInt("v_head_dim"));
    }

    private static boolean usesWindow(Json j, String type) {
        if (!j.has("sliding_window")) {
            return false;
        }
        // Qwen configs carry a sliding_window value that only applies when use_sliding_window is set.
        return !QWEN_WINDOW_TYPES.contains(type) || j.bool("use_sliding_window", false);
    }

    private static int slidingWindow(Json j, String type) {
        return usesWindow(j, type) ? j.positiveInt("sliding_window") : 0;
    }

    private static int slidingLayers(Json j, String type, int layers) {
        if (!usesWindow(j, type)) {
            return 0;
        }
        JsonNode types = j.node().get("layer_types");
        if (types != null && types.isArray()) {
            int n = 0;
            for (JsonNode t : types) {
                n += "sliding_attention".equals(t.asText()) ? 1 : 0;
            }
            return n;
        }
        if (type.startsWith("gemma2")) {
            return (layers + 1) / 2; // Gemma 2 alternates: even layers are local (sliding), odd are global
        }
        if (QWEN_WINDOW_TYPES.contains(type)) {
            return layers - Math.min(layers, j.positiveInt("max_window_layers", layers)); // windows start at max_window_layers
        }
        return layers;
    }

    private static Moe moe(Json j, String type, int layers) {
        String field = j.has("num_local_experts") ? "num_local_experts"
                : j.has("n_routed_experts") ? "n_routed_experts" : j.has("num_experts") ? "num_experts" : null;
        if (field == null || j.positiveInt(field) <= 1) {
            return null;
        }
        int experts = j.positiveInt(field);
        int expertIntermediate = j.has("moe_intermediate_size") ? j.positiveInt("moe_intermediate_size")
                : j.positiveInt("intermediate_size");
        int shared = j.has("n_shared_experts") ? j.positiveInt("n_shared_experts") * expertIntermediate
                : j.has("shared_expert_intermediate_size") ? (int) j.longValue("shared_expert_intermediate_size") : 0;
        return new Moe(experts, j.positiveInt("num_experts_per_tok"), expertIntermediate, shared,
                "qwen2_moe".equals(type), denseLayers(j, layers), "gpt_oss".equals(type),
                "gpt_oss".equals(type) || "deepseek_v3".equals(type));
    }

    private static Set<Integer> denseLayers(Json j, int layers) {
        Set<Integer> dense = new HashSet<>();
        int firstMoe = j.has("first_k_dense_replace") ? (int) j.longValue("first_k_dense_replace") : 0;
        int freq = j.positiveInt("moe_layer_freq", 1);
        int step = j.positiveInt("decoder_sparse_step", 1);
        for (int i = 0; i < layers; i++) {
            boolean moeLayer = i >= firstMoe && i % freq == 0 && (i + 1) % step == 0;
            if (!moeLayer) {
                dense.add(i);
            }
        }
        JsonNode only = j.node().get("mlp_only_layers");
        if (only != null && only.isArray()) {
            only.forEach(n -> dense.add(n.asInt()));
        }
        return dense;
    }

    private static Precision dtype(Json j) {
        String field = j.has("torch_dtype") ? "torch_dtype" : "dtype";
        String name = j.text(field, "bfloat16");
        return switch (name) {
            case "bfloat16" -> Precision.BF16;
            case "float16" -> Precision.FP16;
            case "float32" -> Precision.FP32;
            default -> throw new InvalidInputException(j.file() + ": field '" + field + "' = '" + name
                    + "' — expected bfloat16, float16 or float32");
        };
    }

    private static CheckpointQuantization quantization(Json j) {
        if (!j.has("quantization_config")) {
            return null;
        }
        Json q = j.child("quantization_config");
        String method = q.text("quant_method");
        Precision weights = switch (method) {
            case "fp8", "fbgemm_fp8" -> Precision.FP8;
            case "mxfp4" -> Precision.MXFP4;
            case "awq", "gptq" -> switch ((int) q.longValue("bits")) {
                case 4 -> Precision.int4(q.positiveInt("group_size", 128));
                case 8 -> Precision.INT8;
                default -> throw new InvalidInputException(q.file() + ": field 'bits' = " + q.longValue("bits")
                        + " — supported: 4, 8");
            };
            case "bitsandbytes" -> q.bool("load_in_4bit", false) ? Precision.NF4 : Precision.INT8;
            default -> throw InvalidInputException.unknown("quant_method in " + q.file(), method, QUANT_METHODS);
        };
        List<String> kept = new ArrayList<>();
        for (String field : List.of("modules_to_not_convert", "ignored_layers", "ignore")) {
            JsonNode list = q.node().get(field);
            if (list != null && list.isArray()) {
                list.forEach(n -> kept.add(n.asText()));
            }
        }
        return new CheckpointQuantization(method, weights, kept);
    }
}
