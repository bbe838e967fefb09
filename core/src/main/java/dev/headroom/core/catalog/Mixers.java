package dev.headroom.core.catalog;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.model.Attention;
import dev.headroom.core.model.GatedDeltaNet;
import dev.headroom.core.model.LatentAttention;
import dev.headroom.core.model.Mamba;

/** Token mixers built from config.json fields, shared by the layer readers of every family. */
final class Mixers {
    private Mixers() {}

    /** Multi-head attention with the family's biases and norms; head_dim as published, else hidden / heads. */
    static Attention attention(Json j, FamilyTraits f) {
        int heads = ConfigFields.heads(j);
        int kvHeads;
        if (f.type.equals("falcon") && !ConfigFields.falconNewDecoderArchitecture(j)) {
            kvHeads = j.bool("multi_query", true) ? 1 : heads;
        } else {
            kvHeads = ConfigFields.kvHeads(j, heads);
        }
        return attention(j, f, heads, kvHeads);
    }

    static Attention attention(Json j, FamilyTraits f, int heads, int kvHeads) {
        if (heads % kvHeads != 0) {
            throw new InvalidInputException(j.file() + ": num_key_value_heads = " + kvHeads + " must divide num_attention_heads = " + heads);
        }
        int headDim = j.has("head_dim") ? j.positiveInt("head_dim")
                : j.has("attention_head_dim") ? j.positiveInt("attention_head_dim") : f.hidden / heads;
        if (headDim <= 0) {
            throw new InvalidInputException(j.file() + ": hidden_size = " + f.hidden + " is smaller than num_attention_heads = " + heads);
        }
        boolean queryGate = f.type.equals("qwen3_next") || j.bool("attn_output_gate", false);
        int valueHeadDim = j.positiveInt("v_head_dim", headDim);
        return new Attention(heads, kvHeads, headDim, valueHeadDim, f.qkvBias, f.outputBias, f.qkNorm, "gpt_oss".equals(f.type),
                queryGate, 0);
    }

    /**
     * MiMo-V2-Flash's sliding-window layers (hybrid_layer_pattern 1): their own heads, KV heads and head widths
     * (swa_*), the sliding_window_size window, and a learned sink logit per head when add_swa_attention_sink_bias
     * (vLLM mimo_v2_flash.py, MiMoV2Attention).
     */
    static Attention mimoSlidingAttention(Json j, FamilyTraits f) {
        int heads = j.positiveInt("swa_num_attention_heads");
        int kvHeads = j.positiveInt("swa_num_key_value_heads");
        if (heads % kvHeads != 0) {
            throw new InvalidInputException(j.file() + ": swa_num_key_value_heads = " + kvHeads + " must divide swa_num_attention_heads = " + heads);
        }
        int headDim = j.positiveInt("swa_head_dim");
        return new Attention(heads, kvHeads, headDim, j.positiveInt("swa_v_head_dim", headDim), f.qkvBias, false, f.qkNorm,
                j.bool("add_swa_attention_sink_bias", false), false, j.positiveInt("sliding_window_size"));
    }

    /** DeepSeek's multi-head latent attention; with {@code indexer}, DeepSeek sparse attention's lightning indexer. */
    static LatentAttention latent(Json j, boolean indexer) {
        int heads = j.positiveInt("num_attention_heads");
        int qLora = j.nonNegativeInt("q_lora_rank", 0);
        if (indexer && qLora == 0) {
            throw new InvalidInputException(j.file() + ": the sparse-attention indexer reads the query latent; q_lora_rank is missing");
        }
        return new LatentAttention(heads, qLora, j.positiveInt("kv_lora_rank"), j.positiveInt("qk_nope_head_dim"),
                j.positiveInt("qk_rope_head_dim"), j.positiveInt("v_head_dim"), 0,
                indexer ? j.positiveInt("index_n_heads") : 0, indexer ? j.positiveInt("index_head_dim") : 0);
    }

    /** Jamba's Mamba-1 layers (mamba_* fields, dt/B/C layer norms). */
    static Mamba jambaMamba(Json j, FamilyTraits f) {
        int expand = j.positiveInt("mamba_expand", 2);
        int dtRank = j.raw("mamba_dt_rank") instanceof Long ? j.positiveInt("mamba_dt_rank") : autoDtRank(f.hidden);
        return new Mamba(1, expand * f.hidden, 0, j.positiveInt("mamba_d_state", 16), 1, j.positiveInt("mamba_d_conv", 4), dtRank,
                j.bool("mamba_proj_bias", false), true);
    }

    /** "auto": ceil(hidden / 16) (MambaConfig, JambaConfig). */
    static int autoDtRank(int hidden) {
        return (hidden + 15) / 16;
    }

    /** The Mamba-2 layers of hybrids (Nemotron-H, Falcon-H1, Bamba), under their mamba_* field names. */
    static Mamba hybridMamba2(Json j, FamilyTraits f) {
        int heads = j.has("mamba_n_heads") ? j.positiveInt("mamba_n_heads") : j.positiveInt("mamba_num_heads");
        int headDim = j.positiveInt("mamba_d_head", j.positiveInt("mamba_head_dim", 64));
        int state = j.has("mamba_d_state") ? j.positiveInt("mamba_d_state") : j.positiveInt("ssm_state_size");
        int groups = j.has("mamba_n_groups") ? j.positiveInt("mamba_n_groups") : j.positiveInt("n_groups", 1);
        int conv = j.has("mamba_d_conv") ? j.positiveInt("mamba_d_conv") : j.positiveInt("conv_kernel", 4);
        return new Mamba(2, heads * headDim, heads, state, groups, conv, 0, j.bool("mamba_proj_bias", j.bool("use_bias", false)), false);
    }

    /** Qwen3-Next / Qwen3.5 linear-attention layers; Qwen3.5 checkpoints store the input projections split. */
    static GatedDeltaNet gatedDeltaNet(Json j, FamilyTraits f) {
        return new GatedDeltaNet(j.positiveInt("linear_num_key_heads"), j.positiveInt("linear_num_value_heads"),
                j.positiveInt("linear_key_head_dim"), j.positiveInt("linear_value_head_dim"),
                j.positiveInt("linear_conv_kernel_dim", 4), f.type.startsWith("qwen3_5"));
    }
}
