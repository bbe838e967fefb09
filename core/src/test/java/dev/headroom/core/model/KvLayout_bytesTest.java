package dev.headroom.core.model;

import dev.headroom.core.base.*;
import dev.headroom.core.precision.*;
import dev.headroom.core.hardware.*;
import dev.headroom.core.workload.*;
import dev.headroom.core.model.*;
import dev.headroom.core.engine.*;
import dev.headroom.core.memory.*;
import dev.headroom.core.perf.*;
import dev.headroom.core.cost.*;
import dev.headroom.core.catalog.*;
import dev.headroom.core.plan.*;
import dev.headroom.core.*;


import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MODEL.md "KV cache": exact bytes per token, per GPU under TP, MLA, sliding windows, and the common trap. */
class KvLayout_bytesTest {

    /** What one sequence of a catalog model caches on one of {@code tp} ranks, all layers. */
    private static KvLayout layout(String id, Precision kv, int tp) {
        ModelSpec m = Catalog.model(id);
        return KvLayout.of(m.layers(), 0, m.layerCount(), kv, kv, tp);
    }

    @ParameterizedTest(name = "{0}: {1} B/token")
    @CsvSource({
            // MODEL.md "KV cache": Llama-3.1-8B bf16 131,072 B (128 KiB); Llama-3.1-70B 320 KiB; Llama-2-7B (MHA) 524,288 B.
            "llama-3.1-8b,  131072",
            "llama-3.1-70b, 327680",
            "llama-2-7b,    524288",
            // MODEL.md: DeepSeek-V3 bf16 (MLA) = 70,272 B/token (validation/architectures.json kv_bytes_per_token_bf16_mla).
            "deepseek-v3,    70272",
    })
    void should_match_the_published_bf16_kv_bytes_per_token(String id, long published) {
        assertEquals(published, Catalog.profile(id).kvBytesPerToken(Precision.BF16));
    }

    @Test
    void should_follow_two_times_layers_times_kv_heads_times_head_dim_times_bytes() {
        // 2 (K and V) x 80 layers x 8 KV heads x 128 head_dim x 2 bytes (Llama-3.1-70B config)
        assertEquals(2L * 80 * 8 * 128 * 2, layout("llama-3.1-70b", Precision.BF16, 1).allBytesPerToken());
        // MLA: 61 layers x (kv_lora_rank 512 + qk_rope_head_dim 64) x 2 bytes, no factor 2 (DeepSeek-V3 config)
        assertEquals(61L * (512 + 64) * 2, layout("deepseek-v3", Precision.BF16, 1).allBytesPerToken());
    }

    @ParameterizedTest(name = "tp={0}: {1} KV heads per rank")
    @CsvSource({"1, 8", "2, 4", "4, 2", "8, 1", "16, 1"})
    void should_hold_max_one_or_kv_heads_over_tp_per_rank(int tp, int heads) {
        // MODEL.md: n_kv_rank = max(1, n_kv / TP); Llama-3.1-70B has 8 KV heads, so TP16 replicates one head per rank.
        Attention a = (Attention) Catalog.model("llama-3.1-70b").attention();
        assertEquals(heads, a.kvHeadsPerRank(tp));
        assertEquals(2L * 80 * heads * 128 * 2, layout("llama-3.1-70b", Precision.BF16, tp).allBytesPerToken());
    }

    private static boolean hasSparseAttentionIndexer(String id) {
        return Catalog.model(id).layers().stream().anyMatch(l -> l.mixer() instanceof LatentAttention la && la.hasIndexer());
    }

    @Test
    void should_keep_the_sparse_attention_indexer_cache_in_its_own_fp8_format() {
        // vLLM deepseek_v2.py (DeepseekV32IndexerCache): index_head_dim + index_head_dim // 128 * 4 bytes per token and
        // layer, fp8 values with an fp32 scale, whatever the KV dtype. DeepSeek-V3.2: index_head_dim 128, 61 layers.
        long indexer = 61L * (128 + 4);
        long latentBf16 = 70_272L; // MODEL.md: DeepSeek-V3's MLA latent, the same shapes as V3.2's
        assertEquals(latentBf16 + indexer, layout("deepseek-v3.2", Precision.BF16, 1).allBytesPerToken());
        assertEquals(latentBf16 / 2 + indexer, layout("deepseek-v3.2", Precision.FP8, 1).allBytesPerToken());
    }

    @Test
    void should_not_split_mla_latents_across_tensor_parallel_ranks() {
        // MODEL.md: DeepSeek-V3's 70,272 B/token "is not split by TP".
        for (int tp : new int[] {1, 2, 4, 8, 16}) {
            assertEquals(70_272L, layout("deepseek-v3", Precision.BF16, tp).allBytesPerToken(), "tp=" + tp);
        }
    }

    @Test
    void should_halve_bf16_with_fp8_for_every_catalog_model_and_tp() {
        for (String id : Catalog.modelIds()) {
            if (hasSparseAttentionIndexer(id)) {
                continue; // the indexer's key cache has its own fixed format: see the next test
            }
            for (int tp : new int[] {1, 2, 4, 8}) {
                assertEquals(layout(id, Precision.BF16, tp).allBytesPerToken(), 2 * layout(id, Precision.FP8, tp).allBytesPerToken(),
                        id + " tp=" + tp);
            }
        }
    }

    @Test
    void should_be_eight_times_smaller_than_the_widely_copied_formula_for_llama_3_1_70b() {
        // MODEL.md "Trap": 2 * B * S * L * hidden * bytes ignores GQA (8x too big for Llama-3.1-70B).
        ModelSpec m = Catalog.model("llama-3.1-70b");
        long batch = 1;
        long tokens = 1;
        long trap = 2 * batch * tokens * m.layerCount() * m.hiddenSize() * 2L;

        long ours = Catalog.profile("llama-3.1-70b").kvBytesPerToken(Precision.BF16);

        assertEquals(8L * ours, trap);
        Attention a = (Attention) m.attention();
        assertEquals(64 / 8, a.heads() / a.kvHeads(), "the factor is n_q / n_kv");
    }

    @Test
    void should_hold_640_mib_for_llama_3_70b_at_2k_tokens() {
        // MODEL.md "Trap": guides that drop L say 64 MB for Llama-3-70B at 2k tokens — the true bf16 value is 640 MiB.
        assertEquals(640L * Bytes.MIB, layout("llama-3-70b", Precision.BF16, 1).bytes(2048L));
    }

    @Test
    void should_keep_only_the_window_for_mistral_sliding_layers() {
        // MODEL.md: Mistral-7B-v0.1 window 4096 — a sequence of 8192 tokens holds 4096 tokens of KV per layer.
        KvLayout m = layout("mistral-7b", Precision.BF16, 1);
        long perTokenAllLayers = Catalog.profile("mistral-7b").kvBytesPerToken(Precision.BF16); // 2 x 32 x 8 x 128 x 2 = 131,072

        assertEquals(4096 * perTokenAllLayers, m.bytes(8192L));
        assertEquals(4096 * perTokenAllLayers, m.bytes(32768L));
        assertEquals(1000 * perTokenAllLayers, m.bytes(1000L), "below the window nothing is dropped");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"gemma-2-9b, 42", "gemma-2-27b, 46"})
    void should_slide_half_of_gemma_2_layers(String id, int layers) {
        // MODEL.md: Gemma-2 alternates local (sliding, 4096) and global layers.
        ModelSpec m = Catalog.model(id);
        assertEquals(layers, m.layerCount());
        assertEquals(layers / 2, m.layers().stream().filter(l -> l.mixer().window() > 0).count());
        assertEquals(4096, m.layers().get(0).mixer().window());

        Attention a = (Attention) m.attention();
        long perLayerToken = 2L * a.kvHeads() * a.headDim() * 2;
        long expected = perLayerToken * ((layers / 2) * 8192L + (layers / 2) * 4096L);
        assertEquals(expected, layout(id, Precision.BF16, 1).bytes(8192L));
    }

    @Test
    void should_hold_full_length_for_models_without_a_window() {
        assertEquals(100_000L * 131_072, layout("llama-3.1-8b", Precision.BF16, 1).bytes(100_000L)); // MODEL.md 131,072 B/token
    }

    @Test
    void should_ignore_qwen_sliding_window_unless_use_sliding_window_is_set() {
        // Qwen2.5-14B ships sliding_window 131072 with use_sliding_window false: no layer slides.
        ModelSpec m = Catalog.model("qwen2.5-14b");
        assertEquals(0, m.layers().stream().filter(l -> l.mixer().window() > 0).count());
        assertEquals(50_000L * Catalog.profile("qwen2.5-14b").kvBytesPerToken(Precision.BF16),
                layout("qwen2.5-14b", Precision.BF16, 1).bytes(50_000L));
    }
}
