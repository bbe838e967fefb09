package dev.headroom.core.catalog;

import dev.headroom.core.model.QkNorm;
import java.util.Set;

/**
 * What a family's modeling code implies beyond the shapes config.json states: the kind and number of norms, which
 * projections carry biases, whether the MLP is gated, whether embeddings are tied when the config does not say.
 * One place per family, each rule with the modeling file it was read from.
 */
final class FamilyTraits {
    private static final Set<String> FOUR_NORM_TYPES = Set.of("gemma2", "gemma3", "gemma3_text", "glm4");
    /** Per-head q/k RMSNorms of head_dim ("only on the head dim", modeling_qwen3.py). */
    private static final Set<String> PER_HEAD_QK_NORM_TYPES = Set.of("qwen3", "qwen3_moe", "qwen3_next", "gemma3", "gemma3_text",
            "qwen3_vl_text", "qwen3_vl_moe_text", "qwen3_5_text", "qwen3_5_moe_text");
    private static final Set<String> QKV_BIAS_TYPES = Set.of("qwen2", "qwen2_moe", "mimo");
    /** Families whose configuration class ties input and output embeddings unless the config says otherwise. */
    private static final Set<String> TIED_BY_DEFAULT = Set.of("gemma", "gemma2", "gemma3", "gemma3_text", "falcon",
            "starcoder2", "cohere", "cohere2", "gpt2", "phi3small", "falcon_mamba", "mamba");

    final String type;
    final int hidden;
    /** RMSNorm: 1 vector of hidden per norm; LayerNorm with bias: 2. */
    int vectorsPerNorm = 1;
    int normsPerLayer = 2;
    boolean gatedMlp = true;
    boolean mlpBias;
    boolean lmHeadBias;
    boolean qkvBias;
    boolean outputBias;
    QkNorm qkNorm = QkNorm.NONE;
    final boolean tiedByDefault;

    private FamilyTraits(String type, int hidden) {
        this.type = type;
        this.hidden = hidden;
        this.tiedByDefault = TIED_BY_DEFAULT.contains(type);
    }

    static FamilyTraits of(String type, Json j) {
        FamilyTraits f = new FamilyTraits(type, ConfigFields.firstInt(j, "hidden_size", "n_embd", "d_model"));
        boolean attentionBias = j.bool("attention_bias", false);
        f.qkvBias = attentionBias || QKV_BIAS_TYPES.contains(type);
        f.outputBias = attentionBias;
        f.mlpBias = j.bool("mlp_bias", false);
        if (FOUR_NORM_TYPES.contains(type)) {
            f.normsPerLayer = 4;
        }
        if (PER_HEAD_QK_NORM_TYPES.contains(type)) {
            f.qkNorm = QkNorm.PER_HEAD;
        }
        switch (type) {
            case "gpt_neox" -> { // LayerNorms with bias; biased projections; plain GELU MLP (modeling_gpt_neox.py)
                f.layerNorms();
                f.plainBiasedMlp();
                f.qkvBias = j.bool("attention_bias", true);
                f.outputBias = f.qkvBias;
            }
            case "gptj" -> { // one LayerNorm (ln_1) before parallel attention and MLP; biased MLP and lm_head
                f.layerNorms();
                f.normsPerLayer = 1;
                f.plainBiasedMlp();
                f.lmHeadBias = true;
            }
            case "gpt2" -> { // ln_1, ln_2 LayerNorms; biased c_attn, c_proj, c_fc (Conv1D with bias); tied lm_head
                f.layerNorms();
                f.plainBiasedMlp();
                f.qkvBias = true;
                f.outputBias = true;
            }
            case "phi" -> { // phi-1/2: one LayerNorm, biased q/k/v/dense and MLP, biased lm_head
                f.layerNorms();
                f.normsPerLayer = 1;
                f.plainBiasedMlp();
                f.qkvBias = true;
                f.outputBias = true;
                f.lmHeadBias = true;
            }
            case "phi3small" -> { // vLLM phi3_small.py: LayerNorms; biased query_key_value, dense, up_proj, down_proj;
                f.layerNorms();   // gegelu: up_proj makes 2 x intermediate (gate and linear halves), so gated
                f.mlpBias = true;
                f.qkvBias = true;
                f.outputBias = true;
            }
            case "phimoe" -> { // modeling_phimoe.py: LayerNorms with bias; q/k/v/o bias = attention_bias; lm_head_bias
                f.layerNorms();
                f.lmHeadBias = j.bool("lm_head_bias", false);
            }
            case "stablelm" -> { // modeling_stablelm.py: LayerNorms with bias; q/k/v bias = use_qkv_bias, o_proj none
                f.layerNorms();
                f.qkvBias = j.bool("use_qkv_bias", false);
                f.outputBias = false;
                f.normsPerLayer = j.bool("use_parallel_residual", false) ? 1 : 2;
                // qk_layernorm: one bias-free LayerNorm per head (StableLmLayerNormPerHead), heads x head_dim weights
                f.qkNorm = j.bool("qk_layernorm", false) ? QkNorm.FULL_WIDTH : QkNorm.NONE;
            }
            case "falcon" -> { // LayerNorm with bias; ln_attn + ln_mlp (new decoder), else one norm, two if sequential
                f.layerNorms();
                boolean newArchitecture = ConfigFields.falconNewDecoderArchitecture(j);
                f.normsPerLayer = newArchitecture ? j.positiveInt("num_ln_in_parallel_attn", 2)
                        : j.bool("parallel_attn", true) ? 1 : 2;
                f.gatedMlp = false;
                f.mlpBias = j.bool("bias", false);
                f.qkvBias = f.mlpBias;
                f.outputBias = f.mlpBias;
            }
            case "starcoder2" -> { // LayerNorm with bias, biased projections, plain GELU MLP
                f.layerNorms();
                f.gatedMlp = false;
                f.mlpBias = j.bool("use_bias", true);
                f.qkvBias = f.mlpBias;
                f.outputBias = f.mlpBias;
            }
            case "cohere", "cohere2" -> { // one LayerNorm (weight only) before parallel attention and MLP
                f.normsPerLayer = 1;
                // use_qk_norm: CohereLayerNorm(hidden_size=(heads, head_dim)), a weight per head and channel (modeling_cohere.py)
                f.qkNorm = j.bool("use_qk_norm", false) ? QkNorm.FULL_WIDTH : QkNorm.NONE;
            }
            case "dbrx" -> { /* LayerNorm without bias: one vector per norm, as RMSNorm */ }
            case "nemotron" -> { // Nemotron-4 / Minitron: LayerNorm1P (weight and bias), relu2 up/down MLP (modeling_nemotron.py)
                f.layerNorms();
                f.gatedMlp = false;
            }
            case "nemotron_h" -> {
                f.normsPerLayer = 1;
                f.gatedMlp = false;
            }
            case "olmo2", "olmoe" -> f.qkNorm = QkNorm.FULL_WIDTH; // q_norm over heads x head_dim (modeling_olmo2.py, modeling_olmoe.py)
            case "mimo" -> f.outputBias = false; // Qwen2 attention: biased q/k/v, o_proj without bias (vLLM mimo.py)
            case "glm", "glm4" -> { // GlmAttention (modular_glm.py): biased q/k/v by default, o_proj without bias
                f.qkvBias = j.bool("attention_bias", true);
                f.outputBias = false;
            }
            case "glm4_moe" -> { // Glm4MoeAttention: q/k/v bias = attention_bias, o_proj none; per-head q/k norms
                f.outputBias = false;
                f.qkNorm = j.bool("use_qk_norm", false) ? QkNorm.PER_HEAD : QkNorm.NONE;
            }
            case "minimax_m2" -> { // FlexOlmo-style norms over the whole projection ("per_layer") or per head
                if (j.bool("use_qk_norm", false)) {
                    f.qkNorm = "per_head".equals(j.text("qk_norm_type", "per_layer")) ? QkNorm.PER_HEAD : QkNorm.FULL_WIDTH;
                }
            }
            default -> { }
        }
        return f;
    }

    private void layerNorms() {
        vectorsPerNorm = 2;
    }

    private void plainBiasedMlp() {
        gatedMlp = false;
        mlpBias = true;
    }

    /** Parameters of {@code norms} hidden-wide norms. */
    long normValues(int norms) {
        return (long) norms * vectorsPerNorm * hidden;
    }

    long normValuesPerLayer() {
        return normValues(normsPerLayer);
    }

    long finalNormValues() {
        return normValues(1);
    }
}
