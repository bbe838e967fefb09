package dev.headroom.core.catalog;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.base.Provenance;
import dev.headroom.core.model.Attention;
import dev.headroom.core.model.CheckpointQuantization;
import dev.headroom.core.model.DenseFfn;
import dev.headroom.core.model.Ffn;
import dev.headroom.core.model.GatedDeltaNet;
import dev.headroom.core.model.LatentAttention;
import dev.headroom.core.model.Layer;
import dev.headroom.core.model.Mamba;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.model.MoeFfn;
import dev.headroom.core.model.NoMixer;
import dev.headroom.core.model.ParallelMixers;
import dev.headroom.core.model.TokenMixer;
import dev.headroom.core.precision.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a Hugging Face style config.json into a {@link ModelSpec}: a list of layers, each a token mixer and a
 * feed-forward block, built from the fields each family's modeling code reads (transformers' configuration_*.py
 * and modeling_*.py). Catalog entries are the same JSON plus {@code id}, {@code hf_repo}, {@code source} and
 * {@code verified}; a user's own config.json works too. Errors name the file and the field.
 */
public final class ModelConfigReader {
    /** Larger than any config.json: a bigger file is a mistake, not a model. */
    static final long MAX_FILE_BYTES = 16L << 20;
    private static final Set<String> FOUR_NORM_TYPES = Set.of("gemma2", "gemma3", "gemma3_text", "glm4");
    private static final Set<String> QK_NORM_TYPES = Set.of("qwen3", "qwen3_moe", "qwen3_next", "gemma3", "gemma3_text", "olmo2", "glm4_moe");
    private static final Set<String> QKV_BIAS_TYPES = Set.of("qwen2", "qwen2_moe");
    private static final Set<String> QWEN_WINDOW_TYPES = Set.of("qwen2", "qwen2_moe", "qwen3", "qwen3_moe");
    /** Families whose configuration class ties input and output embeddings unless the config says otherwise. */
    private static final Set<String> TIED_BY_DEFAULT = Set.of("gemma", "gemma2", "gemma3", "gemma3_text", "falcon",
            "starcoder2", "cohere", "cohere2");
    private static final List<String> QUANT_METHODS = List.of("fp8", "fbgemm_fp8", "mxfp4", "awq", "gptq", "bitsandbytes",
            "compressed-tensors", "modelopt");

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
        Json json = Json.parse(readText(path, "model config"), path.toString());
        Path parent = path.toAbsolutePath().getParent();
        String fallbackId = parent == null ? path.getFileName().toString() : parent.getFileName().toString();
        String id = json.text("id", fallbackId);
        String repo = json.text("hf_repo", json.text("_name_or_path", id));
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
        // Multimodal configs (Llama 4, Gemma 3, Mistral 3) nest the language model under text_config.
        Json j = top.has("text_config") ? top.child("text_config") : top;
        requirePlausibleSizes(j);
        String type = (j.has("model_type") ? j.text("model_type") : top.text("model_type")).toLowerCase(Locale.ROOT);
        Family f = Family.of(type, j);
        int layers = f.layers;
        List<TokenMixer> mixers = mixers(j, type, f);
        List<Ffn> ffns = ffns(j, type, f);
        List<Layer> list = new ArrayList<>(layers);
        for (int i = 0; i < layers; i++) {
            list.add(new Layer(mixers.get(i), ffns.get(i), f.normValuesPerLayer(i, mixers.get(i), ffns.get(i))));
        }
        boolean tied = top.bool("tie_word_embeddings", j.bool("tie_word_embeddings", TIED_BY_DEFAULT.contains(type)));
        int maxPositions = firstInt(j, "max_position_embeddings", "n_positions", "max_seq_len", "seq_length");
        return new ModelSpec(id, hfRepo, top.texts("aliases"), top.text("family", type), type, f.hidden,
                firstInt(j, "vocab_size", "padded_vocab_size"), tied, maxPositions, list, f.finalNormValues(),
                f.lmHeadBias, dtype(top), quantization(top), top.has("published_params") ? top.longValue("published_params") : null,
                provenance);
    }

    private static int firstInt(Json j, String... fields) {
        for (String f : fields) {
            if (j.has(f)) {
                return j.positiveInt(f);
            }
        }
        return j.positiveInt(fields[0]); // names the missing field
    }

    /** What a family's modeling code implies beyond the shapes: norms, biases, gating, layer count. */
    private static final class Family {
        int hidden;
        int layers;
        /** RMSNorm: 1 vector of hidden per norm; LayerNorm with bias: 2. */
        int vectorsPerNorm = 1;
        int normsPerLayer = 2;
        boolean gatedMlp = true;
        boolean mlpBias;
        boolean lmHeadBias;
        boolean qkvBias;
        boolean outputBias;

        static Family of(String type, Json j) {
            Family f = new Family();
            f.hidden = firstInt(j, "hidden_size", "n_embd", "d_model");
            f.layers = firstInt(j, "num_hidden_layers", "n_layer", "num_layers", "n_layers");
            boolean attentionBias = j.bool("attention_bias", false);
            f.qkvBias = attentionBias || QKV_BIAS_TYPES.contains(type);
            f.outputBias = attentionBias;
            f.mlpBias = j.bool("mlp_bias", false);
            if (FOUR_NORM_TYPES.contains(type)) {
                f.normsPerLayer = 4;
            }
            switch (type) {
                case "gpt_neox" -> { // LayerNorms with bias; biased projections; plain GELU MLP (modeling_gpt_neox.py)
                    f.vectorsPerNorm = 2;
                    f.gatedMlp = false;
                    f.mlpBias = true;
                    f.qkvBias = j.bool("attention_bias", true);
                    f.outputBias = f.qkvBias;
                }
                case "gptj" -> { // one LayerNorm (ln_1) before parallel attention and MLP; biased MLP and lm_head
                    f.vectorsPerNorm = 2;
                    f.normsPerLayer = 1;
                    f.gatedMlp = false;
                    f.mlpBias = true;
                    f.lmHeadBias = true;
                }
                case "phi" -> { // phi-1/2: one LayerNorm, biased q/k/v/dense and MLP, biased lm_head
                    f.vectorsPerNorm = 2;
                    f.normsPerLayer = 1;
                    f.gatedMlp = false;
                    f.mlpBias = true;
                    f.qkvBias = true;
                    f.outputBias = true;
                    f.lmHeadBias = true;
                }
                case "falcon" -> { // LayerNorm with bias; one norm (parallel attention) or two (new decoder architecture)
                    f.vectorsPerNorm = 2;
                    f.normsPerLayer = j.bool("new_decoder_architecture", false) ? j.positiveInt("num_ln_in_parallel_attn", 2) : 1;
                    f.gatedMlp = false;
                    f.mlpBias = j.bool("bias", false);
                    f.qkvBias = j.bool("bias", false);
                    f.outputBias = f.qkvBias;
                }
                case "starcoder2" -> { // LayerNorm with bias, biased projections, plain GELU MLP
                    f.vectorsPerNorm = 2;
                    f.gatedMlp = false;
                    f.mlpBias = j.bool("use_bias", true);
                    f.qkvBias = f.mlpBias;
                    f.outputBias = f.mlpBias;
                }
                case "cohere", "cohere2" -> f.normsPerLayer = 1; // one LayerNorm (weight only) before parallel attention and MLP
                case "dbrx" -> { /* LayerNorm without bias: one vector per norm, as RMSNorm */ }
                case "nemotron_h" -> {
                    f.normsPerLayer = 1;
                    f.gatedMlp = false;
                }
                case "olmo2" -> { /* post-attention and post-feed-forward norms: two per layer */ }
                case "glm4" -> f.qkvBias = j.bool("attention_bias", true);
                default -> { }
            }
            return f;
        }

        long normValuesPerLayer(int i, TokenMixer m, Ffn ffn) {
            return (long) normsPerLayer * vectorsPerNorm * hidden;
        }

        long finalNormValues() {
            return (long) vectorsPerNorm * hidden;
        }
    }

    // ---- token mixers -------------------------------------------------------------------------------

    private static List<TokenMixer> mixers(Json j, String type, Family f) {
        int n = f.layers;
        List<TokenMixer> out = new ArrayList<>(n);
        if (type.equals("nemotron_h")) {
            String pattern = j.text("hybrid_override_pattern");
            if (pattern.length() != n) {
                throw new InvalidInputException(j.file() + ": hybrid_override_pattern has " + pattern.length()
                        + " layers but num_hidden_layers = " + n);
            }
            for (int i = 0; i < n; i++) {
                char c = pattern.charAt(i);
                out.add(c == 'M' ? mamba2(j, f) : c == '*' ? attention(j, type, f, 0) : new NoMixer());
            }
            return out;
        }
        if (type.equals("dbrx")) {
            Json a = j.child("attn_config");
            int heads = j.positiveInt("n_heads");
            Attention at = new Attention(heads, a.positiveInt("kv_n_heads", heads), f.hidden / heads, false, false, false, false, false, 0);
            for (int i = 0; i < n; i++) {
                out.add(at);
            }
            return out;
        }
        TokenMixer attention = j.has("kv_lora_rank") ? latent(j) : attention(j, type, f, 0);
        int[] windows = windows(j, type, n);
        for (int i = 0; i < n; i++) {
            TokenMixer m = attention instanceof Attention a && windows[i] > 0 ? a.withWindow(windows[i]) : attention;
            if (type.equals("jamba") && !isJambaAttention(j, i)) {
                m = mamba1(j, f);
            } else if (type.equals("qwen3_next") && isLinearLayer(j, i)) {
                m = new GatedDeltaNet(j.positiveInt("linear_num_key_heads"), j.positiveInt("linear_num_value_heads"),
                        j.positiveInt("linear_key_head_dim"), j.positiveInt("linear_value_head_dim"), j.positiveInt("linear_conv_kernel_dim", 4));
            } else if (type.equals("falcon_h1")) {
                m = new ParallelMixers(m, mamba2(j, f));
            }
            out.add(m);
        }
        return out;
    }

    private static Attention attention(Json j, String type, Family f, int window) {
        int heads = firstInt(j, "num_attention_heads", "n_head", "num_heads");
        int kvHeads;
        if (type.equals("falcon") && !j.bool("new_decoder_architecture", false)) {
            kvHeads = j.bool("multi_query", true) ? 1 : heads;
        } else {
            kvHeads = j.has("num_key_value_heads") ? j.positiveInt("num_key_value_heads")
                    : j.has("num_kv_heads") ? j.positiveInt("num_kv_heads") : heads;
        }
        if (heads % kvHeads != 0) {
            throw new InvalidInputException(j.file() + ": num_key_value_heads = " + kvHeads + " must divide num_attention_heads = " + heads);
        }
        int headDim = j.has("head_dim") ? j.positiveInt("head_dim") : j.has("attention_head_dim") ? j.positiveInt("attention_head_dim") : f.hidden / heads;
        if (headDim <= 0) {
            throw new InvalidInputException(j.file() + ": hidden_size = " + f.hidden + " is smaller than num_attention_heads = " + heads);
        }
        return new Attention(heads, kvHeads, headDim, f.qkvBias, f.outputBias, QK_NORM_TYPES.contains(type),
                "gpt_oss".equals(type), "qwen3_next".equals(type), window);
    }

    private static LatentAttention latent(Json j) {
        return new LatentAttention(j.positiveInt("num_attention_heads"), j.nonNegativeInt("q_lora_rank", 0), j.positiveInt("kv_lora_rank"),
                j.positiveInt("qk_nope_head_dim"), j.positiveInt("qk_rope_head_dim"), j.positiveInt("v_head_dim"), 0);
    }

    private static Mamba mamba1(Json j, Family f) {
        int expand = j.positiveInt("mamba_expand", 2);
        int dtRank = j.has("mamba_dt_rank") && j.raw("mamba_dt_rank") instanceof Long ? j.positiveInt("mamba_dt_rank")
                : (f.hidden + 15) / 16; // "auto": ceil(hidden / 16)
        return new Mamba(1, expand * f.hidden, 0, j.positiveInt("mamba_d_state", 16), 1, j.positiveInt("mamba_d_conv", 4), dtRank,
                j.bool("mamba_proj_bias", false), true);
    }

    private static Mamba mamba2(Json j, Family f) {
        int heads = j.has("mamba_n_heads") ? j.positiveInt("mamba_n_heads") : j.positiveInt("mamba_num_heads");
        int headDim = j.positiveInt("mamba_d_head", j.positiveInt("mamba_head_dim", 64));
        int state = j.has("mamba_d_state") ? j.positiveInt("mamba_d_state") : j.positiveInt("ssm_state_size");
        int groups = j.has("mamba_n_groups") ? j.positiveInt("mamba_n_groups") : j.positiveInt("n_groups", 1);
        int conv = j.has("mamba_d_conv") ? j.positiveInt("mamba_d_conv") : j.positiveInt("conv_kernel", 4);
        return new Mamba(2, heads * headDim, heads, state, groups, conv, 0, j.bool("mamba_proj_bias", j.bool("use_bias", false)), false);
    }

    private static boolean isJambaAttention(Json j, int i) {
        List<String> types = j.texts("layers_block_type");
        if (!types.isEmpty()) {
            return i < types.size() && types.get(i).equals("attention");
        }
        return i % j.positiveInt("attn_layer_period", 8) == j.nonNegativeInt("attn_layer_offset", 4);
    }

    private static boolean isLinearLayer(Json j, int i) {
        List<String> types = j.texts("layer_types");
        if (!types.isEmpty()) {
            return i < types.size() && types.get(i).equals("linear_attention");
        }
        return (i + 1) % j.positiveInt("full_attention_interval", 4) != 0;
    }

    /** Window per layer (0 = full attention): sliding windows, Llama 4's chunked attention. */
    private static int[] windows(Json j, String type, int n) {
        int[] w = new int[n];
        if (type.equals("llama4_text") || type.equals("llama4")) {
            if (j.has("attention_chunk_size")) {
                int chunk = j.positiveInt("attention_chunk_size");
                List<Long> noRope = j.longs("no_rope_layers");
                int interval = j.positiveInt("no_rope_layer_interval", 4);
                for (int i = 0; i < n; i++) {
                    // Layers that use rope attend within their chunk; every interval-th layer is NoPE and global.
                    boolean rope = noRope.isEmpty() ? (i + 1) % interval != 0 : i < noRope.size() && noRope.get(i) != 0;
                    w[i] = rope ? chunk : 0;
                }
            }
            return w;
        }
        if (!usesWindow(j, type)) {
            return w;
        }
        int window = j.positiveInt("sliding_window");
        List<String> types = j.texts("layer_types");
        if (!types.isEmpty()) {
            for (int i = 0; i < n && i < types.size(); i++) {
                w[i] = "sliding_attention".equals(types.get(i)) ? window : 0;
            }
            return w;
        }
        if (type.startsWith("gemma2")) {
            for (int i = 0; i < n; i += 2) {
                w[i] = window; // Gemma 2 alternates: even layers are local (sliding), odd are global
            }
            return w;
        }
        if (type.startsWith("gemma3")) {
            int pattern = j.positiveInt("sliding_window_pattern", 6);
            for (int i = 0; i < n; i++) {
                w[i] = (i + 1) % pattern != 0 ? window : 0; // five local layers, then one global
            }
            return w;
        }
        int from = QWEN_WINDOW_TYPES.contains(type) ? Math.min(n, j.positiveInt("max_window_layers", n)) : 0;
        for (int i = from; i < n; i++) {
            w[i] = window; // Qwen's windows start at max_window_layers; Mistral slides on every layer
        }
        return w;
    }

    private static boolean usesWindow(Json j, String type) {
        if (!j.has("sliding_window")) {
            return false;
        }
        // Qwen configs carry a sliding_window value that only applies when use_sliding_window is set.
        return !QWEN_WINDOW_TYPES.contains(type) || j.bool("use_sliding_window", false);
    }

    // ---- feed-forward ---------------------------------------------------------------------------------

    private static List<Ffn> ffns(Json j, String type, Family f) {
        int n = f.layers;
        List<Ffn> out = new ArrayList<>(n);
        if (type.equals("dbrx")) {
            Json ffn = j.child("ffn_config");
            MoeFfn moe = new MoeFfn(ffn.positiveInt("moe_num_experts"), ffn.positiveInt("moe_top_k"), ffn.positiveInt("ffn_hidden_size"),
                    0, false, false, false, new MoeFfn.Names("ffn", "router", "shared_experts"));
            for (int i = 0; i < n; i++) {
                out.add(moe);
            }
            return out;
        }
        if (type.equals("nemotron_h")) {
            String pattern = j.text("hybrid_override_pattern");
            DenseFfn mlp = new DenseFfn(j.positiveInt("intermediate_size"), false, j.bool("mlp_bias", false));
            for (int i = 0; i < n; i++) {
                out.add(pattern.charAt(i) == '-' ? mlp : new Ffn.None());
            }
            return out;
        }
        MoeFfn moe = moe(j, type);
        DenseFfn dense = denseFfn(j, type, f, moe != null);
        Set<Integer> denseLayers = moe == null ? Set.of() : denseLayers(j, type, n);
        for (int i = 0; i < n; i++) {
            out.add(moe != null && !denseLayers.contains(i) ? moe : dense);
        }
        return out;
    }

    private static DenseFfn denseFfn(Json j, String type, Family f, boolean moe) {
        String field = type.startsWith("llama4") ? "intermediate_size_mlp" : "intermediate_size";
        int size;
        if (j.has(field)) {
            size = j.positiveInt(field);
        } else if (j.has("n_inner") || j.has("ffn_hidden_size")) {
            size = firstInt(j, "n_inner", "ffn_hidden_size");
        } else if (moe) {
            size = 1; // never used: every layer is MoE
        } else if (!f.gatedMlp) {
            size = 4 * f.hidden; // GPT-NeoX, GPT-J, Falcon: the 4h MLP when the config states none
        } else {
            size = j.positiveInt("intermediate_size"); // names the missing field
        }
        return new DenseFfn(size, f.gatedMlp, f.mlpBias);
    }

    private static MoeFfn moe(Json j, String type) {
        String field = j.has("num_local_experts") ? "num_local_experts"
                : j.has("n_routed_experts") ? "n_routed_experts" : j.has("num_experts") ? "num_experts" : null;
        if (field == null || j.positiveInt(field) <= 1) {
            return null;
        }
        int experts = j.positiveInt(field);
        String topKField = j.has("num_experts_per_tok") ? "num_experts_per_tok" : "experts_per_token";
        int topK = j.positiveInt(topKField);
        if (topK > experts) { // more experts per token than exist: active parameters would exceed the total
            throw new InvalidInputException(j.file() + ": field '" + topKField + "' = " + topK + " exceeds " + field + " = " + experts);
        }
        int expertIntermediate = j.has("moe_intermediate_size") ? j.positiveInt("moe_intermediate_size") : j.positiveInt("intermediate_size");
        int shared = j.has("n_shared_experts") ? j.nonNegativeInt("n_shared_experts", 0) * expertIntermediate
                : j.has("shared_expert_intermediate_size") ? j.nonNegativeInt("shared_expert_intermediate_size", 0)
                : type.startsWith("llama4") ? expertIntermediate : 0; // Llama 4: one shared expert as wide as a routed one
        MoeFfn.Names names = switch (type) {
            case "mixtral" -> new MoeFfn.Names("block_sparse_moe", "gate", "shared_experts");
            case "gpt_oss" -> new MoeFfn.Names("mlp", "router", "shared_experts");
            case "qwen2_moe", "qwen3_next" -> new MoeFfn.Names("mlp", "gate", "shared_expert");
            case "llama4_text", "llama4" -> new MoeFfn.Names("feed_forward", "router", "shared_expert");
            case "jamba" -> new MoeFfn.Names("feed_forward", "router", "shared_experts");
            default -> MoeFfn.Names.DEFAULT;
        };
        boolean sharedGate = type.equals("qwen2_moe") || type.equals("qwen3_next");
        boolean routerBias = type.equals("gpt_oss") || type.equals("deepseek_v3") || type.equals("glm4_moe")
                || "noaux_tc".equals(j.text("topk_method", ""));
        return new MoeFfn(experts, topK, expertIntermediate, shared, sharedGate, type.equals("gpt_oss"), routerBias, names);
    }

    private static Set<Integer> denseLayers(Json j, String type, int layers) {
        Set<Integer> dense = new HashSet<>();
        int firstMoe = j.nonNegativeInt("first_k_dense_replace", 0);
        int freq = j.positiveInt("moe_layer_freq", 1);
        int step = j.positiveInt("decoder_sparse_step", 1);
        int interleave = j.positiveInt("interleave_moe_layer_step", 1);
        int period = j.positiveInt("expert_layer_period", 1);
        int offset = j.nonNegativeInt("expert_layer_offset", 0);
        List<Long> moeLayers = type.startsWith("llama4") ? j.longs("moe_layers") : List.of();
        for (int i = 0; i < layers; i++) {
            boolean moeLayer = i >= firstMoe && i % freq == 0 && (i + 1) % step == 0 && (i + 1) % interleave == 0
                    && i % period == offset % period;
            if (!moeLayers.isEmpty()) {
                moeLayer = moeLayers.contains((long) i);
            }
            if (!moeLayer) {
                dense.add(i);
            }
        }
        j.longs("mlp_only_layers").forEach(l -> dense.add(l.intValue()));
        return dense;
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
                case 4 -> Precision.int4(q.has("group_size") && q.longValue("group_size") > 0 ? q.positiveInt("group_size") : 128);
                case 8 -> Precision.INT8;
                default -> throw new InvalidInputException(q.file() + ": field 'bits' = " + q.longValue("bits") + " — supported: 4, 8");
            };
            case "bitsandbytes" -> q.bool("load_in_4bit", false)
                    ? (q.bool("bnb_4bit_use_double_quant", false) ? Precision.NF4 : Precision.NF4_SINGLE) : Precision.BNB_INT8;
            case "compressed-tensors", "modelopt" -> compressedTensors(q);
            default -> throw InvalidInputException.unknown("quant_method in " + q.file(), method, QUANT_METHODS);
        };
        List<String> kept = new ArrayList<>();
        for (String field : List.of("modules_to_not_convert", "ignored_layers", "ignore", "exclude_modules")) {
            kept.addAll(q.texts(field));
        }
        return new CheckpointQuantization(method, weights, kept);
    }

    /** llm-compressor / ModelOpt checkpoints: FP8 (W8A8), NVFP4, or int4 weight-only, read from the quant_algo or config groups. */
    private static Precision compressedTensors(Json q) {
        String algo = q.text("quant_algo", q.text("format", "")).toLowerCase(Locale.ROOT);
        if (algo.contains("nvfp4") || algo.contains("fp4")) {
            return Precision.NVFP4;
        }
        if (algo.contains("fp8") || algo.contains("float-quantized")) {
            return Precision.FP8;
        }
        if (algo.contains("int4") || algo.contains("pack-quantized") || algo.contains("w4a16")) {
            return Precision.INT4;
        }
        if (algo.contains("int8") || algo.contains("int-quantized")) {
            return Precision.INT8;
        }
        throw new InvalidInputException(q.file() + ": cannot tell the weight format of this " + q.text("quant_method")
                + " checkpoint (quant_algo/format = '" + algo + "'); give --weights");
    }
}
