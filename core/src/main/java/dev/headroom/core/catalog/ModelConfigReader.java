package dev.headroom.core.catalog;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.base.Provenance;
import dev.headroom.core.model.Layer;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.precision.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Reads a Hugging Face style config.json into a {@link ModelSpec}: a list of layers, each a token mixer and a
 * feed-forward block, built from the fields each family's modeling code reads (transformers' configuration_*.py
 * and modeling_*.py). Families that list their layers one by one have their own readers (Nemotron-H, Nemotron-NAS,
 * pure state-space models); the rest share {@link StandardLayers}. Catalog entries are the same JSON plus {@code id}, {@code hf_repo}, {@code source} and
 * {@code verified}; a user's own config.json works too. Errors name the file and the field.
 */
public final class ModelConfigReader {
    /** Larger than any config.json: a bigger file is a mistake, not a model. */
    static final long MAX_FILE_BYTES = 16L << 20;

    /**
     * Far beyond any published model (widest: hidden 16,384 and FFN 53,248; deepest: 126 layers; vocabularies to 256k;
     * 384 experts): a larger value is a typo or a unit slip, and the tensor sizes it implies would not fit a long.
     */
    private static final java.util.Map<String, Integer> SIZE_LIMITS = java.util.Map.ofEntries(
            java.util.Map.entry("hidden_size", 1 << 20), java.util.Map.entry("n_embd", 1 << 20), java.util.Map.entry("d_model", 1 << 20),
            java.util.Map.entry("intermediate_size", 1 << 22), java.util.Map.entry("moe_intermediate_size", 1 << 22),
            java.util.Map.entry("head_dim", 1 << 16), java.util.Map.entry("num_attention_heads", 1 << 16),
            java.util.Map.entry("num_key_value_heads", 1 << 16), java.util.Map.entry("num_hidden_layers", 1 << 16),
            java.util.Map.entry("n_layer", 1 << 16), java.util.Map.entry("num_layers", 1 << 16), java.util.Map.entry("vocab_size", 1 << 24),
            java.util.Map.entry("num_local_experts", 1 << 16), java.util.Map.entry("n_routed_experts", 1 << 16),
            java.util.Map.entry("num_experts", 1 << 16));

    private ModelConfigReader() {}

    /** Refuses sizes no model has, naming the file, the field and the value. */
    private static void requirePlausibleSizes(Json j) {
        for (var limit : SIZE_LIMITS.entrySet()) {
            if (j.raw(limit.getKey()) instanceof Long v && v > limit.getValue()) {
                throw new InvalidInputException(j.file() + ": field '" + limit.getKey() + "' = " + v
                        + " is larger than any model has (at most " + limit.getValue() + ")");
            }
        }
    }

    /** A user's config.json on disk; the id is the file's folder (Hugging Face snapshots keep one config per folder). */
    public static ModelSpec read(Path path) {
        Path parent = path.toAbsolutePath().getParent();
        return read(path, parent == null ? path.getFileName().toString() : parent.getFileName().toString());
    }

    /**
     * A config.json named {@code name} unless it names itself: a Hugging Face cache snapshot's folder is a commit
     * hash, so a config found there is named after the repo the user asked for.
     */
    public static ModelSpec read(Path path, String name) {
        Json json = Json.parse(readText(path, "model config"), path.toString());
        String id = json.text("id", name);
        // transformers writes _name_or_path, sometimes as "" (or a local path) when the model was saved from memory
        String saved = json.raw("_name_or_path") instanceof String s && !s.isBlank() ? s : id;
        String repo = json.text("hf_repo", name.contains("/") ? name : saved);
        Provenance provenance = json.has("source")
                ? new Provenance(json.text("source"), json.text("verified", "unverified"))
                : Provenance.userFile(path.toString());
        return parse(json, id, repo, provenance);
    }

    /** Reads a user's file, refusing what cannot be a config: missing, a directory, empty, or larger than 16 MiB. */
    static String readText(Path path, String what) {
        try {
            if (Files.isDirectory(path)) {
                throw new InvalidInputException(path + ": is a directory, not a " + what + "; give the JSON file");
            }
            if (!Files.isRegularFile(path)) {
                throw new InvalidInputException(path + ": " + what + " not found");
            }
            long size = Files.size(path);
            if (size == 0) {
                throw new InvalidInputException(path + ": the " + what + " is empty");
            }
            if (size > MAX_FILE_BYTES) {
                throw new InvalidInputException(path + ": the " + what + " is " + size + " bytes; a JSON config is far smaller (limit 16 MiB)");
            }
            return Files.readString(path);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InvalidInputException(path + ": the " + what + " is not UTF-8 text");
        } catch (IOException e) {
            throw new InvalidInputException(path + ": cannot read the " + what + " (" + e.getMessage() + ")");
        }
    }

    /** A catalog entry: provenance is mandatory. */
    static ModelSpec readCatalogEntry(String text, String file) {
        Json json = Json.parse(text, file);
        return parse(json, json.text("id"), json.text("hf_repo"), new Provenance(json.text("source"), json.text("verified")));
    }

    static ModelSpec parse(Json top, String id, String hfRepo, Provenance provenance) {
        // Multimodal configs (Llama 4, Gemma 3, Qwen3-VL, Kimi K2.5) nest the language model under text_config.
        Json j = top.has("text_config") ? top.child("text_config") : top;
        requirePlausibleSizes(j);
        String type = ConfigFields.modelType(j.has("model_type") ? j.text("model_type") : top.text("model_type"));
        UnmodelledFamilies.refuse(type, j);
        FamilyTraits f = FamilyTraits.of(type, j);
        List<Layer> layers;
        UnaryOperator<String> moduleNames = UnaryOperator.identity();
        if (NemotronHLayers.handles(type)) {
            layers = NemotronHLayers.read(j, f);
            String pattern = NemotronHLayers.pattern(j);
            moduleNames = module -> NemotronHLayers.tensorName(module, pattern);
        } else if (DeciLmLayers.handles(type)) {
            layers = DeciLmLayers.read(j, f);
        } else if (StateSpaceLayers.handles(type)) {
            layers = StateSpaceLayers.read(j, f);
        } else {
            layers = StandardLayers.read(j, f);
        }
        boolean tied = top.bool("tie_word_embeddings", j.bool("tie_word_embeddings", f.tiedByDefault));
        int maxPositions = ConfigFields.maxPositions(j, type);
        // GPT-2 learns a table of n_positions x n_embd (modeling_gpt2.py, wpe); rotary and ALiBi models have none.
        long positionTable = type.equals("gpt2") ? (long) maxPositions * f.hidden : 0;
        return new ModelSpec(id, hfRepo, top.texts("aliases"), top.text("family", type), type, f.hidden,
                ConfigFields.firstInt(j, "vocab_size", "padded_vocab_size"), tied, maxPositions, layers, f.finalNormValues(),
                f.lmHeadBias, positionTable, dtype(top), QuantizationReader.read(top, j, moduleNames),
                top.has("published_params") ? top.longValue("published_params") : null, provenance);
    }

    // ---- formats --------------------------------------------------------------------------------------

    private static Precision dtype(Json j) {
        Json t = j.has("torch_dtype") || j.has("dtype") || !j.has("text_config") ? j : j.child("text_config");
        String field = t.has("torch_dtype") ? "torch_dtype" : "dtype";
        String name = t.text(field, "bfloat16");
        return switch (name) {
            case "bfloat16" -> Precision.BF16;
            case "float16" -> Precision.FP16;
            case "float32" -> Precision.FP32;
            default -> throw new InvalidInputException(t.file() + ": field '" + field + "' = '" + name
                    + "' — expected bfloat16, float16 or float32");
        };
    }
}
