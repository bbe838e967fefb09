package dev.headroom.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.model.GatedDeltaNet;
import dev.headroom.core.model.LatentAttention;
import dev.headroom.core.model.Mamba;
import dev.headroom.core.model.ModelProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The weight matrices LoRA can adapt, per layer kind, against the shapes of the modeling code they come from
 * (each test names the config fields; the catalog's config.json copies carry the values).
 */
class ModelShapes_linearsTest {
    /** Shapes of a fresh profile: ModelShapes caches per profile, and each test reads the model anew. */
    private static ModelShapes shapes(String model) {
        return ModelShapes.of(ModelProfile.of(Catalog.model(model)));
    }

    private static List<Linear> layer(String model, int layer) {
        return shapes(model).linears().stream().filter(l -> l.layer() == layer).toList();
    }

    private static List<Linear> lmHead(String model) {
        return shapes(model).linears().stream().filter(l -> l.layer() == -1).toList();
    }

    @Test
    void should_read_llama_attention_and_gated_mlp_as_seven_matrices_per_layer_and_the_output_projection() {
        // Llama-3.1-8B: q 4096 -> 32 x 128, k and v 4096 -> 8 x 128, o 4096 -> 4096; gate and up 4096 -> 14336, down back
        assertEquals(List.of(new Linear("q", 0, 4096, 4096, 1), new Linear("k", 0, 4096, 1024, 1), new Linear("v", 0, 4096, 1024, 1),
                new Linear("o", 0, 4096, 4096, 1), new Linear("gate", 0, 4096, 14336, 1), new Linear("up", 0, 4096, 14336, 1),
                new Linear("down", 0, 14336, 4096, 1)), layer("llama-3.1-8b", 0));
        assertEquals(List.of(new Linear("lm_head", -1, 4096, 128_256, 1)), lmHead("llama-3.1-8b"));
        assertEquals(32 * 7 + 1, shapes("llama-3.1-8b").linears().size());
        assertEquals(4096L * 14336, new Linear("up", 0, 4096, 14336, 1).params());
        assertEquals(8L * (4096 + 14336) * 3, new Linear("up", 0, 4096, 14336, 3).adapterParams(8));
    }

    @Test
    void should_read_latent_attention_without_a_query_lora_as_one_query_matrix() {
        // DeepSeek-V2-Lite: q_lora_rank none, kv_lora_rank 512, 16 heads of 128 (nope) + 64 (rope), v_head_dim 128, hidden 2048;
        // layer 1 is MoE: router 2048 -> 64, 64 experts of 1408, 2 shared experts (2 x 1408 wide)
        LatentAttention la = (LatentAttention) Catalog.profile("deepseek-v2-lite").spec().layers().get(1).mixer();
        assertEquals(0, la.qLoraRank());
        assertEquals(List.of(new Linear("q", 1, 2048, 16 * 192, 1), new Linear("kv", 1, 2048, 512 + 64, 1),
                new Linear("kv", 1, 512, 16 * (128 + 128), 1), new Linear("o", 1, 16 * 128, 2048, 1),
                new Linear("router", 1, 2048, 64, 1),
                new Linear("gate", 1, 2048, 1408, 64), new Linear("up", 1, 2048, 1408, 64), new Linear("down", 1, 1408, 2048, 64),
                new Linear("gate", 1, 2048, 2816, 1), new Linear("up", 1, 2048, 2816, 1), new Linear("down", 1, 2816, 2048, 1)),
                layer("deepseek-v2-lite", 1));
    }

    @Test
    void should_read_latent_attention_with_a_query_lora_as_a_down_and_an_up_projection() {
        // DeepSeek-V3: q_lora_rank 1536: hidden 7168 -> 1536 -> 128 heads x 192
        List<Linear> l = layer("deepseek-v3", 0);
        assertEquals(new Linear("q", 0, 7168, 1536, 1), l.get(0));
        assertEquals(new Linear("q", 0, 1536, 128 * 192, 1), l.get(1));
        assertEquals(new Linear("kv", 0, 7168, 512 + 64, 1), l.get(2));
        // first_k_dense_replace 3: layer 0 is a dense gated MLP of 18432
        assertEquals(new Linear("gate", 0, 7168, 18432, 1), l.get(5));
    }

    @Test
    void should_read_a_mamba_1_mixer_as_in_x_dt_and_out_projections() {
        // modeling_falcon_mamba.py: in_proj h -> 2 inner, x_proj inner -> dt_rank + 2 state, dt_proj dt_rank -> inner, out_proj
        Mamba mb = (Mamba) Catalog.profile("falcon-mamba-7b").spec().layers().get(0).mixer();
        assertEquals(1, mb.version());
        long inner = mb.innerSize();
        assertEquals(8192, inner);
        assertEquals(List.of(new Linear("other", 0, 4096, 2 * inner, 1), new Linear("other", 0, inner, mb.dtRank() + 2L * mb.stateSize(), 1),
                new Linear("other", 0, mb.dtRank(), inner, 1), new Linear("other", 0, inner, 4096, 1)), layer("falcon-mamba-7b", 0));
    }

    @Test
    void should_read_a_mamba_2_mixer_as_one_fused_input_projection_and_the_output() {
        // modeling_mamba2.py: in_proj h -> 2 inner + 2 groups x state + heads; out_proj inner -> h
        Mamba mb = (Mamba) Catalog.profile("mamba-codestral-7b").spec().layers().get(0).mixer();
        assertEquals(2, mb.version());
        long inner = mb.innerSize();
        assertEquals(List.of(new Linear("other", 0, 4096, 2 * inner + 2L * mb.groups() * mb.stateSize() + mb.heads(), 1),
                new Linear("other", 0, inner, 4096, 1)), layer("mamba-codestral-7b", 0));
        assertEquals(8192, inner);
        assertEquals(8, mb.groups());
        assertEquals(128, mb.stateSize());
    }

    @Test
    void should_read_a_gated_delta_net_as_qkvz_ba_and_out_projections() {
        // Qwen3-Next linear attention: 16 key heads x 128, 32 value heads x 128; in_proj_qkvz h -> 2 key + 2 value,
        // in_proj_ba h -> 2 x value heads, out_proj value -> h
        GatedDeltaNet g = (GatedDeltaNet) Catalog.profile("qwen3-next-80b-a3b-instruct").spec().layers().get(0).mixer();
        assertEquals(16, g.keyHeads());
        List<Linear> l = layer("qwen3-next-80b-a3b-instruct", 0);
        assertEquals(new Linear("other", 0, 2048, 2 * 2048 + 2 * 4096, 1), l.get(0));
        assertEquals(new Linear("other", 0, 2048, 64, 1), l.get(1));
        assertEquals(new Linear("other", 0, 4096, 2048, 1), l.get(2));
        // every fourth layer is full attention with a gated query: q_proj 2048 -> 2 x 16 x 256
        assertEquals(new Linear("q", 3, 2048, 2 * 16 * 256, 1), layer("qwen3-next-80b-a3b-instruct", 3).get(0));
    }

    @Test
    void should_give_a_layer_without_a_mixer_only_its_mlp_and_a_plain_mlp_no_gate() {
        // Nemotron-H: '-' layers are a plain (squared-ReLU) MLP 4096 -> 21504 -> 4096 and no mixer
        ModelProfile p = Catalog.profile("nemotron-h-8b-base-8k");
        assertEquals(List.of(new Linear("up", 1, 4096, 21504, 1), new Linear("down", 1, 21504, 4096, 1)), layer("nemotron-h-8b-base-8k", 1));
        assertFalse(((dev.headroom.core.model.DenseFfn) p.spec().layers().get(1).ffn()).gated());
    }

    @Test
    void should_adapt_what_the_targets_name_and_all_linear_everything_but_the_output_projection() {
        LoraTargets qv = LoraTargets.parse("q_proj, v_proj", "targets");
        assertTrue(qv.adapts("q"));
        assertTrue(qv.adapts("v"));
        assertTrue(qv.adapts("kv"), "latent attention's shared key/value path counts as v");
        assertFalse(qv.adapts("k"));
        assertFalse(qv.adapts("o"));
        assertFalse(qv.adapts("gate"));
        assertFalse(qv.adapts("router"));
        assertFalse(qv.adapts("lm_head"));
        assertTrue(LoraTargets.parse("k", "t").adapts("kv"));
        assertTrue(LoraTargets.parse("o", "t").adapts("o"));
        LoraTargets mlp = LoraTargets.parse("mlp", "t");
        assertTrue(mlp.adapts("gate") && mlp.adapts("up") && mlp.adapts("down"));
        assertFalse(mlp.adapts("q"));
        assertTrue(LoraTargets.ALL_LINEAR.adapts("router"));
        assertTrue(LoraTargets.ALL_LINEAR.adapts("other"));
        assertFalse(LoraTargets.ALL_LINEAR.adapts("lm_head"));
        LoraTargets withHead = LoraTargets.parse("all-linear,output", "t");
        assertTrue(withHead.adapts("lm_head"));
        assertTrue(withHead.adapts("q"));
        assertEquals("all-linear,lm_head", withHead.toString());
        assertEquals("all-linear", LoraTargets.parse("all", "t").toString());
        assertEquals("q,k,v", LoraTargets.parse("qkv", "t").toString());
        assertEquals(List.of("q", "k", "v", "o", "gate", "up", "down", "lm_head"), LoraTargets.names());
        assertEquals(LoraTargets.of(LoraTargets.Target.Q, LoraTargets.Target.V), qv);
    }

    @Test
    void should_take_the_largest_module_as_deepspeed_counts_it_one_expert_projection_at_a_time() {
        // Llama-3.1-8B: the embedding (and the untied output projection), 128,256 x 4,096
        assertEquals(128_256L * 4096, shapes("llama-3.1-8b").largestModule());
        // Mixtral-8x7B: an expert's projection is 4,096 x 14,336 = 58.7M; the 32,000 x 4,096 embedding is larger
        assertEquals(32_000L * 4096, shapes("mixtral-8x7b").largestModule());
    }

    @Test
    void should_count_adapters_only_on_the_adapted_matrices() {
        // Llama-3.1-8B, r 4 on o only: 32 layers x 4 x (4096 + 4096)
        assertEquals(32L * 4 * (4096 + 4096), shapes("llama-3.1-8b").adapterParams(4, LoraTargets.parse("o", "t")));
        // and the output projection when named: 4 x (4096 + 128,256)
        assertEquals(4L * (4096 + 128_256), shapes("llama-3.1-8b").adapterParams(4, LoraTargets.parse("lm_head", "t")));
    }
}
