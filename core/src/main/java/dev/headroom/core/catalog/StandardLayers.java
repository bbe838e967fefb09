package dev.headroom.core.catalog;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.model.Attention;
import dev.headroom.core.model.DenseFfn;
import dev.headroom.core.model.Ffn;
import dev.headroom.core.model.Layer;
import dev.headroom.core.model.LightningAttention;
import dev.headroom.core.model.MoeFfn;
import dev.headroom.core.model.ParallelMixers;
import dev.headroom.core.model.TokenMixer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The layers of the decoder families that share one shape — attention (full, windowed, latent, or a linear
 * mixer on some layers) followed by a dense or mixture-of-experts MLP — read from the fields each family's
 * modeling code reads. Families whose layers are listed one by one have their own readers.
 */
final class StandardLayers {
    private static final Set<String> QWEN_WINDOW_TYPES = Set.of("qwen2", "qwen2_moe", "qwen3", "qwen3_moe", "mimo");
    /** DeepSeek sparse attention: MLA plus a lightning indexer (modeling_glm_moe_dsa.py, DeepSeek-V3.2). */
    private static final Set<String> SPARSE_ATTENTION_TYPES = Set.of("deepseek_v32", "glm_moe_dsa");

    private StandardLayers() {}

    static List<Layer> read(Json j, FamilyTraits f) {
        int n = ConfigFields.layers(j);
        List<TokenMixer> mixers = mixers(j, f, n);
        List<Ffn> ffns = ffns(j, f, n);
        List<Layer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Layer(mixers.get(i), ffns.get(i), f.normValuesPerLayer()));
        }
        return out;
    }

    // ---- token mixers -------------------------------------------------------------------------------

    private static List<TokenMixer> mixers(Json j, FamilyTraits f, int n) {
        List<TokenMixer> out = new ArrayList<>(n);
        if (f.type.equals("dbrx")) {
            Json a = j.child("attn_config");
            int heads = j.positiveInt("n_heads");
            Attention at = Attention.of(heads, a.positiveInt("kv_n_heads", heads), f.hidden / heads);
            for (int i = 0; i < n; i++) {
                out.add(at);
            }
            return out;
        }
        if (isLightningFamily(f.type) && j.longs("attn_type_list").size() != n) {
            throw new InvalidInputException(j.file() + ": attn_type_list lists " + j.longs("attn_type_list").size()
                    + " layers but num_hidden_layers = " + n);
        }
        if (f.type.equals("mimo_v2_flash") && j.longs("hybrid_layer_pattern").size() != n) {
            throw new InvalidInputException(j.file() + ": hybrid_layer_pattern lists " + j.longs("hybrid_layer_pattern").size()
                    + " layers but num_hidden_layers = " + n);
        }
        boolean latent = j.has("kv_lora_rank");
        List<String> indexers = SPARSE_ATTENTION_TYPES.contains(f.type) ? indexerTypes(j, n) : List.of();
        TokenMixer attention = latent ? Mixers.latent(j, false) : Mixers.attention(j, f);
        int[] windows = windows(j, f.type, n);
        for (int i = 0; i < n; i++) {
            TokenMixer m = attention instanceof Attention a && windows[i] > 0 ? a.withWindow(windows[i]) : attention;
            if (latent && !indexers.isEmpty() && indexers.get(i).equals("full")) {
                m = Mixers.latent(j, true);
            }
            if (f.type.equals("mimo_v2_flash") && j.longs("hybrid_layer_pattern").get(i) == 1) {
                m = Mixers.mimoSlidingAttention(j, f);
            } else if (isLightningFamily(f.type) && j.longs("attn_type_list").get(i) == 0) {
                m = new LightningAttention(ConfigFields.heads(j), ((Attention) attention).headDim());
            } else if (f.type.equals("jamba") && !isJambaAttention(j, i)) {
                m = Mixers.jambaMamba(j, f);
            } else if (isGatedDeltaNetFamily(f.type) && isLinearLayer(j, i)) {
                m = Mixers.gatedDeltaNet(j, f);
            } else if (f.type.equals("falcon_h1")) {
                m = new ParallelMixers(m, Mixers.hybridMamba2(j, f));
            }
            out.add(m);
        }
        return out;
    }

    /** MiniMax-Text-01 and MiniMax-M1: attn_type_list marks each layer 0 (lightning attention) or 1 (softmax). */
    private static boolean isLightningFamily(String type) {
        return type.equals("minimax_text_01") || type.equals("minimax_m1");
    }

    private static boolean isGatedDeltaNetFamily(String type) {
        return type.equals("qwen3_next") || type.startsWith("qwen3_5");
    }

    /**
     * Which layers run their own indexer: "full" ones do; GLM-5.2's "shared" layers reuse the previous full layer's
     * selection and carry no indexer weights (indexer_types; without it every layer has one).
     */
    private static List<String> indexerTypes(Json j, int n) {
        List<String> types = j.texts("indexer_types");
        if (types.isEmpty()) {
            return java.util.Collections.nCopies(n, "full");
        }
        if (types.size() != n) {
            throw new InvalidInputException(j.file() + ": indexer_types lists " + types.size() + " layers but num_hidden_layers = " + n);
        }
        for (String t : types) {
            if (!t.equals("full") && !t.equals("shared")) {
                throw InvalidInputException.unknown("indexer type in " + j.file(), t, List.of("full", "shared"));
            }
        }
        return types;
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
        if (!usesWindow(j, type) || type.equals("mimo_v2_flash")) {
            return w; // MiMo-V2-Flash's windowed layers are their own attention kind (Mixers.mimoSlidingAttention)
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

    private static List<Ffn> ffns(Json j, FamilyTraits f, int n) {
        List<Ffn> out = new ArrayList<>(n);
        if (f.type.equals("dbrx")) {
            Json ffn = j.child("ffn_config");
            MoeFfn moe = MoeFfn.gatedExperts(ffn.positiveInt("moe_num_experts"), ffn.positiveInt("moe_top_k"),
                    ffn.positiveInt("ffn_hidden_size"), 0, false, false, false, new MoeFfn.Names("ffn", "router", "shared_experts"));
            for (int i = 0; i < n; i++) {
                out.add(moe);
            }
            return out;
        }
        MoeFfn moe = moe(j, f.type);
        DenseFfn dense = denseFfn(j, f, moe != null);
        Set<Integer> denseLayers = moe == null ? Set.of() : denseLayers(j, f.type, n);
        for (int i = 0; i < n; i++) {
            out.add(moe != null && !denseLayers.contains(i) ? moe : dense);
        }
        return out;
    }

    private static DenseFfn denseFfn(Json j, FamilyTraits f, boolean moe) {
        String field = f.type.startsWith("llama4") ? "intermediate_size_mlp" : "intermediate_size";
        int size;
        if (j.has(field)) {
            size = j.positiveInt(field);
        } else if (j.has("ff_intermediate_size")) {
            size = j.positiveInt("ff_intermediate_size"); // phi-3-small's name for it
        } else if (f.type.equals("phi3small") && j.has("ff_dim_multiplier")) {
            size = phi3SmallIntermediate(j, f.hidden);
        } else if (j.has("n_inner") || j.has("ffn_hidden_size")) {
            size = ConfigFields.firstInt(j, "n_inner", "ffn_hidden_size");
        } else if (moe) {
            size = 1; // never used: every layer is MoE
        } else if (!f.gatedMlp) {
            size = 4 * f.hidden; // GPT-2, GPT-NeoX, GPT-J, Falcon: the 4h MLP when the config states none (n_inner null)
        } else {
            size = j.positiveInt("intermediate_size"); // names the missing field
        }
        return new DenseFfn(size, f.gatedMlp, f.mlpBias);
    }

    /**
     * Phi3SmallConfig.intermediate_size when only ff_dim_multiplier is given: multiplier x (hidden // 3) x 2,
     * rounded up to a multiple of 256 when gegelu_pad_to_256 (configuration_phi3_small.py).
     */
    private static int phi3SmallIntermediate(Json j, int hidden) {
        double size = j.positiveDouble("ff_dim_multiplier") * (hidden / 3) * 2;
        int whole = (int) size;
        if (j.bool("gegelu_pad_to_256", false) && whole % 256 != 0) {
            whole += 256 - whole % 256;
        }
        return whole;
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
            case "mixtral", "phimoe", "minimax_m2", "minimax_m1", "minimax_text_01" -> new MoeFfn.Names("block_sparse_moe", "gate", "shared_experts");
            case "gpt_oss" -> new MoeFfn.Names("mlp", "router", "shared_experts");
            case "qwen2_moe", "qwen3_next", "qwen3_5_moe_text" -> new MoeFfn.Names("mlp", "gate", "shared_expert");
            case "llama4_text", "llama4" -> new MoeFfn.Names("feed_forward", "router", "shared_expert");
            case "jamba" -> new MoeFfn.Names("feed_forward", "router", "shared_experts");
            default -> MoeFfn.Names.DEFAULT;
        };
        boolean sharedGate = type.equals("qwen2_moe") || type.equals("qwen3_next") || type.equals("qwen3_5_moe_text");
        boolean routerBias = type.equals("gpt_oss") || type.equals("deepseek_v3") || type.equals("glm4_moe")
                || "noaux_tc".equals(j.text("topk_method", "")) || j.bool("use_routing_bias", false);
        return MoeFfn.gatedExperts(experts, topK, expertIntermediate, shared, sharedGate, type.equals("gpt_oss"), routerBias, names);
    }

    private static Set<Integer> denseLayers(Json j, String type, int layers) {
        Set<Integer> dense = new HashSet<>();
        List<String> mlpTypes = j.texts("mlp_layer_types");
        if (!mlpTypes.isEmpty()) { // GLM-5.x: "dense" or "sparse" per layer
            for (int i = 0; i < layers; i++) {
                if (i >= mlpTypes.size() || !mlpTypes.get(i).equals("sparse")) {
                    dense.add(i);
                }
            }
            return dense;
        }
        List<Long> moeByLayer = j.raw("moe_layer_freq") instanceof List<?> ? j.longs("moe_layer_freq") : List.of();
        if (!moeByLayer.isEmpty() && moeByLayer.size() != layers) {
            throw new InvalidInputException(j.file() + ": moe_layer_freq lists " + moeByLayer.size()
                    + " layers but num_hidden_layers = " + layers);
        }
        int firstMoe = j.nonNegativeInt("first_k_dense_replace", 0);
        int freq = moeByLayer.isEmpty() ? j.positiveInt("moe_layer_freq", 1) : 1;
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
            if (!moeByLayer.isEmpty()) {
                moeLayer = moeByLayer.get(i) != 0; // a 0/1 flag per layer (MiniMax-M3, MiMo-V2-Flash)
            }
            if (!moeLayer) {
                dense.add(i);
            }
        }
        j.longs("mlp_only_layers").forEach(l -> dense.add(l.intValue()));
        return dense;
    }
}
