package dev.headroom.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.memory.MemoryModel;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.precision.Precision;
import org.junit.jupiter.api.Test;

/**
 * llama.cpp's KV cells (src/llama-kv-cache.cpp, llama-context.cpp, llama-kv-cache-iswa.cpp as LlamaCppRelease cites):
 * n_ctx padded (to 256 with flash attention or 32 before streams; to 256 per stream after), sliding layers holding
 * their window per sequence plus a micro-batch, and the latent-attention cache by build.
 */
class LlamaCpp_cellsTest {
    private static LlamaCpp at(String build, int nCtx, int nParallel) {
        return LlamaCpp.at(build).withNCtx(nCtx).withNParallel(nParallel);
    }

    @Test
    void should_pad_the_context_by_the_builds_rule() {
        assertEquals(4032, at("b1000", 4001, 1).cells(), "32 without flash attention: 4,001 -> 4,032");
        assertEquals(4000, at("b1000", 4000, 1).cells(), "already a multiple of 32");
        assertEquals(4096, ((LlamaCpp) at("b1000", 4001, 1).with("flash_attn", "true")).cells(), "256 with it");
        assertEquals(4096, at("b1000", 4096, 1).cells());
        // from b7000: 256 per stream; unified by default
        assertEquals(4096, at("b7000", 4000, 4).cells());
        // one stream per sequence: 4,000 / 4 = 1,000 -> 1,024 each, x 4
        assertEquals(4 * 1024, ((LlamaCpp) at("b7000", 4000, 4).with("kv_unified", "false")).cells());
    }

    @Test
    void should_keep_a_window_plus_a_micro_batch_of_cells_for_sliding_layers() {
        // unified, 4 sequences, n_ubatch 512: min(cells, 1,024 x 4 + 512) padded to 256 = 4,608
        LlamaCpp l = at("b7000", 32_768, 4);
        assertEquals(32_768, l.cells());
        assertEquals(4608, l.swaCells(1024));
        // never more than the full cache
        assertEquals(4096, at("b7000", 4096, 4).swaCells(4096));
        // separate streams: each min(cells per stream, window + n_ubatch), padded, x streams
        LlamaCpp streams = (LlamaCpp) l.with("kv_unified", "false");
        assertEquals(4 * 1536, streams.swaCells(1024), "min(8,192, 1,024 + 512) = 1,536 per stream");
        // swa_full: the whole cache
        assertEquals(32_768, ((LlamaCpp) l.with("swa_full", "true")).swaCells(1024));
    }

    @Test
    void should_reserve_the_cells_the_compute_buffers_and_the_context() {
        ModelProfile llama = Catalog.profile("llama-3.1-8b");
        LlamaCpp l = at("b7000", 8192, 1);
        Deployment d = new Deployment(Catalog.gpu("h100-sxm"), 1, 1, 1, 1, null, null, l);
        RankFacts r = MemoryModel.compile(llama, d).stages().get(0).rank();

        KvPool p = l.reserve(r, llama.spec(), null);

        // f16 KV of 131,072 B per cell; f32 compute of one 512-token micro-batch (twice a 16-bit forward) and one row of logits
        assertEquals(Precision.FP16, l.defaultKv(llama.spec()));
        assertEquals(8192L * 131_072, p.kvBytes());
        assertEquals(8192, p.tokens());
        assertEquals(2 * r.activation().forwardBytes(512) + r.logitsBytes(1), p.activationBytes());
        assertEquals(DeviceMemory.CUDA_CONTEXT_BYTES, p.overheadBytes());
        assertEquals(r.visibleMemoryBytes() - p.charges().total(), p.availableBytes());
        assertEquals(8192, p.maxModelLen());
        assertEquals(1, p.maxSequences());
        assertTrue(p.starts());
        assertEquals(512, l.tokensPerStep(llama.spec(), Catalog.gpu("h100-sxm")));
        assertFalse(l.overlapsPipelineStages());
        assertFalse(l.servesOverHttp());
        // on a 24 GB L4, 131,072 cells (17.2 GB) beside 16 GB of weights are refused with what they lack
        LlamaCpp huge = at("b7000", 131_072, 1);
        RankFacts l4 = MemoryModel.compile(llama, new Deployment(Catalog.gpu("l4"), 1, 1, 1, 1, null, null, huge)).stages().get(0).rank();
        KvPool over = huge.reserve(l4, llama.spec(), null);
        assertFalse(over.starts());
        assertEquals(over.charges().total() + over.kvBytes() - l4.visibleMemoryBytes(), over.shortfallBytes());
        assertEquals("n_ctx", over.refusal().knob());
    }

    @Test
    void should_cache_latent_attention_per_head_before_b5100_and_as_the_latent_after() {
        // DeepSeek-V2-Lite: 16 heads, nope 128 + rope 64 + v 128 per head; kv_lora_rank 512; 27 layers; f16
        dev.headroom.core.model.LatentAttention la = (dev.headroom.core.model.LatentAttention)
                Catalog.model("deepseek-v2-lite").layers().get(0).mixer();
        dev.headroom.core.model.CacheRule perHead = LlamaCppRelease.of(LlamaCpp.at("b1000").release()).cacheRule();
        dev.headroom.core.model.CacheRule latent = LlamaCppRelease.of(LlamaCpp.at("b5100").release()).cacheRule();
        dev.headroom.core.model.CacheRule latentOnly = LlamaCppRelease.of(LlamaCpp.at("b7800").release()).cacheRule();

        assertEquals(2L * 16 * (128 + 64 + 128), perHead.kvBytesPerToken(la, Precision.FP16, 1));
        assertEquals(2L * (512 + 64 + 512), latent.kvBytesPerToken(la, Precision.FP16, 1));
        assertEquals(2L * (512 + 64), latentOnly.kvBytesPerToken(la, Precision.FP16, 1));
    }
}
