package dev.headroom.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.model.Attention;
import dev.headroom.core.model.Layer;
import dev.headroom.core.model.LatentAttention;
import dev.headroom.core.model.LightningAttention;
import dev.headroom.core.model.Mamba;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.model.MoeFfn;
import dev.headroom.core.model.NoMixer;
import dev.headroom.core.model.Tensor;
import dev.headroom.core.precision.Precision;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The families the reader learned for the catalog, each counted from its catalog entry and held to the figure its
 * publisher states (the source next to each assertion), or to the modeling code's shapes written out.
 */
class ModelConfigReader_familiesTest {

    private static long params(String id) {
        return Catalog.profile(id).params();
    }

    private static void assertRounded(long published, long halfUnit, String id) {
        long counted = params(id);
        assertTrue(Math.abs(counted - published) <= halfUnit, id + ": counted " + counted + ", published " + published + " ±" + halfUnit);
    }

    @Test
    void should_count_gpt2_with_its_learned_position_table() {
        // KerasHub gpt2_presets.py (keras-team/keras-hub@0e1444fd): gpt2_base_en 124439808, gpt2_medium_en 354823168 params.
        assertEquals(124_439_808L, params("gpt2"));
        assertEquals(354_823_168L, params("gpt2-medium"));
        // config.json: n_positions 1024 x n_embd 768 (modeling_gpt2.py: wpe = nn.Embedding(max_position_embeddings, embed_dim)).
        assertEquals(1024L * 768, Catalog.model("gpt2").positionEmbeddingParams());
    }

    @Test
    void should_read_a_pre_port_refined_web_config_as_falcon() {
        ModelSpec m = Catalog.model("falcon-7b");
        Attention a = (Attention) m.attention();

        assertEquals("falcon", m.modelType());
        assertEquals(1, a.kvHeads(), "multi_query without n_head_kv: one shared KV head");
        assertEquals(2048, m.maxPositions(), "configuration_falcon.py: max_position_embeddings defaults to 2048");
        // modeling_falcon.py, old decoder: query_key_value (71 + 2) x 64 x 4544, dense 4544^2, a 4h MLP, one LayerNorm
        // (weight and bias) per layer and a final one, word embeddings tied to the lm_head.
        long h = 4544;
        long layer = (71 + 2) * 64 * h + h * h + 2 * h * 4 * h + 2 * h;
        assertEquals(32 * layer + 65024 * h + 2 * h, params("falcon-7b"));
        // Model card: "Falcon-7B is a 7B parameters causal decoder-only model" (rounded).
        assertRounded(7_000_000_000L, 500_000_000L, "falcon-7b");
    }

    @Test
    void should_give_falcon_40b_grouped_kv_heads_and_two_norms() {
        ModelSpec m = Catalog.model("falcon-40b-instruct");
        assertEquals(8, ((Attention) m.attention()).kvHeads());
        assertEquals(2 * 2 * 8192L, m.layers().get(0).normValues(), "ln_attn and ln_mlp, each weight and bias");
    }

    @Test
    void should_count_phi_3_small_with_biases_gegelu_and_tied_embeddings() {
        // vLLM phi3_small.py: query_key_value (32 + 2 x 8) x 128 with bias, dense with bias, up_proj to 2 x 14336 with
        // bias, down_proj with bias, two LayerNorms per layer; Phi3SmallForCausalLM ties lm_head to the embeddings.
        long h = 4096;
        long i = 14336;
        long qkv = (32 + 2 * 8) * 128L;
        long layer = h * qkv + qkv + h * h + h + h * 2 * i + 2 * i + i * h + h + 2 * 2 * h;
        assertEquals(32 * layer + 100352 * h + 2 * h, params("phi-3-small-8k-instruct"));
        assertEquals(7_392_272_384L, params("phi-3-small-8k-instruct"), "7.39B, the figure the issue quotes");
    }

    @Test
    void should_shape_nemotron_nas_layers_one_by_one() {
        ModelSpec m = Catalog.model("llama-3.3-nemotron-super-49b-v1");
        Layer first = m.layers().get(0);
        // block_configs[0]: n_heads_in_group 8 -> 64 / 8 KV heads; ffn_mult 2.625 -> int(2 x 2.625 x 8192 / 3) = 14336.
        assertEquals(8, ((Attention) first.mixer()).kvHeads());
        long noOpLayers = m.layers().stream().filter(l -> l.mixer() instanceof NoMixer).count();
        assertEquals(31, noOpLayers, "block_configs: 31 layers with attention no_op");
        m.layers().stream().filter(l -> l.mixer() instanceof NoMixer)
                .forEach(l -> assertEquals(8192L, l.normValues(), "a no_op block has no norm"));
        // NVIDIA calls it a 49B model; the block_configs count 49.87B (truncated, not rounded).
        long counted = params("llama-3.3-nemotron-super-49b-v1");
        assertTrue(counted >= 49_000_000_000L && counted < 50_000_000_000L, "counted " + counted);
    }

    @Test
    void should_round_ffn_mult_up_to_a_multiple_of_256() {
        // vLLM nemotron_nas.py _ffn_mult_to_intermediate_size: int(2 * ffn_mult * n_embd / 3), next multiple of 256.
        Json ffn = Json.parse("{\"ffn_mult\": 1.3125}", "test");
        assertEquals(7168, DeciLmLayers.intermediate(ffn, 8192)); // 7168.0 is already a multiple of 256
        assertEquals(1536, DeciLmLayers.intermediate(Json.parse("{\"ffn_mult\": 1.0}", "test"), 2048)); // 1365 -> 1536
    }

    @Test
    void should_count_nemotron_3_nano_with_relu2_experts() {
        // Replicate's model readme: "31.6 billion total parameters" (rounded to 0.1B).
        assertRounded(31_600_000_000L, 50_000_000L, "nemotron-3-nano-30b-a3b");
        MoeFfn moe = Catalog.model("nemotron-3-nano-30b-a3b").moe().orElseThrow();
        assertTrue(!moe.gated(), "NemotronHMoE: up/down experts, relu2");
    }

    @Test
    void should_read_layers_block_type_as_the_pattern_it_replaces() {
        // Nemotron 3.5 Lightning lists layers_block_type where Nano writes hybrid_override_pattern, with the same shapes.
        assertEquals(params("nemotron-3-nano-30b-a3b"), params("nemotron-3.5-lightning-30b-a3b-nvfp4"));
        // Ultra's config has no num_hidden_layers: configuration_nemotron_h.py takes the count from the list (108 entries:
        // 48 mamba, 48 moe, 12 attention).
        ModelSpec ultra = Catalog.model("nemotron-3-ultra-550b-a55b");
        assertEquals(108, ultra.layerCount());
        assertEquals(12, ultra.layers().stream().filter(l -> l.mixer() instanceof Attention).count());
    }

    @Test
    void should_route_super_experts_through_the_latent_width() {
        // vLLM nemotron_h.py NemotronHMoE: fc1_latent_proj hidden -> 1024, experts 2 x 1024 x 2688 each, fc2 back.
        ModelProfile p = Catalog.profile("nemotron-3-super-120b-a12b-fp8");
        Tensor experts = p.tensors().stream().filter(t -> t.name().endsWith("mlp.experts")).findFirst().orElseThrow();
        assertEquals(512L * 2 * 1024 * 2688, experts.params());
        assertTrue(p.tensors().stream().anyMatch(t -> t.name().endsWith("fc1_latent_proj") && t.params() == 4096L * 1024));
    }

    @Test
    void should_count_pure_state_space_models_without_a_kv_cache() {
        // Mistral's model card, as relayed by ai-tldr.dev: Codestral Mamba has exactly 7,285,403,648 parameters.
        assertEquals(7_285_403_648L, params("mamba-codestral-7b"));
        // The falcon-mamba-7b listing (promptlayer.com): 7.27B, two decimals.
        assertRounded(7_270_000_000L, 5_000_000L, "falcon-mamba-7b");
        for (String id : List.of("mamba-codestral-7b", "falcon-mamba-7b")) {
            ModelSpec m = Catalog.model(id);
            assertEquals(0L, Catalog.profile(id).kvBytesPerToken(Precision.BF16), id);
            assertTrue(m.layers().stream().allMatch(l -> l.mixer() instanceof Mamba), id);
        }
    }

    @Test
    void should_count_minimax_lightning_attention_layers() {
        // MiniMax-Text-01 model card: "Total Parameters: 456B", "Activated Parameters per Token: 45.9B".
        assertRounded(456_000_000_000L, 500_000_000L, "minimax-text-01");
        ModelSpec m = Catalog.model("minimax-text-01");
        assertEquals(70, m.layers().stream().filter(l -> l.mixer() instanceof LightningAttention).count(), "attn_type_list: 70 zeros");
        ModelProfile p = Catalog.profile("minimax-text-01");
        long embeddings = 2L * m.vocabSize() * m.hiddenSize();
        assertEquals(45.9, (p.activeParams() - embeddings) / 1e9, 0.05, "the card's active count leaves out the embedding tables");
    }

    @Test
    void should_give_mimo_v2_flash_its_two_attention_kinds() {
        // MiMo-V2-Flash technical report (arXiv 2601.02780): 309B total parameters.
        assertRounded(309_000_000_000L, 500_000_000L, "mimo-v2-flash");
        ModelSpec m = Catalog.model("mimo-v2-flash");
        Attention full = (Attention) m.layers().get(0).mixer();
        Attention sliding = (Attention) m.layers().get(1).mixer();
        // config.json: full layers 4 KV heads, sliding layers 8 (swa_num_key_value_heads) in a 128-token window;
        // both with 192-wide keys and 128-wide values.
        assertEquals(4, full.kvHeads());
        assertEquals(0, full.window());
        assertEquals(8, sliding.kvHeads());
        assertEquals(128, sliding.window());
        assertEquals(4L * (192 + 128) * 2, full.kvBytesPerToken(Precision.BF16, 1));
        assertTrue(sliding.sinks(), "add_swa_attention_sink_bias");
    }

    @Test
    void should_add_the_lightning_indexer_of_sparse_attention() {
        // modeling_glm_moe_dsa.py GlmMoeDsaIndexer: wq_b q_lora x heads x dim, wk hidden x dim, LayerNorm k_norm (2 x dim),
        // weights_proj hidden x heads. DeepSeek-V3.2 (q_lora 1536, 64 x 128 indexer heads) is V3's shapes plus one per layer.
        long indexer = 1536L * 64 * 128 + 7168L * 128 + 2 * 128 + 7168L * 64;
        assertEquals(params("deepseek-v3") + 61 * indexer, params("deepseek-v3.2"));
    }

    @Test
    void should_leave_glm_5_2_shared_indexer_layers_without_an_indexer() {
        ModelSpec m = Catalog.model("glm-5.2");
        long withIndexer = m.layers().stream().filter(l -> l.mixer() instanceof LatentAttention la && la.hasIndexer()).count();
        assertEquals(21, withIndexer, "indexer_types: 21 'full' of 78");
    }

    @Test
    void should_normalise_olmo_2_queries_over_the_whole_projection() {
        // modeling_olmo2.py: q_norm = Olmo2RMSNorm(num_attention_heads * head_dim), k_norm over num_key_value_heads * head_dim.
        ModelProfile p = Catalog.profile("olmo-2-7b");
        Tensor qNorm = p.tensors().stream().filter(t -> t.name().endsWith("q_norm")).findFirst().orElseThrow();
        assertEquals(4096L, qNorm.params());
        assertInstanceOf(Attention.class, p.spec().attention());
    }
}
