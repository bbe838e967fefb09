package dev.headroom.core.engine;

import static dev.headroom.core.base.Bytes.GIB;
import static dev.headroom.core.base.Bytes.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.Ranks;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.memory.MemoryEstimate;
import dev.headroom.core.memory.MemoryModel;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** llama.cpp: n_ctx cells (padded as the build pads) shared by n_parallel slots; f16 unless the cache type is set. */
class LlamaCpp_reserveTest {
    private static final Workload ANY = Workload.of(1, 128, 128);

    private static MemoryEstimate estimate(String model, Engine engine) {
        return MemoryModel.estimate(Catalog.profile(model), Deployment.on(Catalog.gpu("a100-80gb")).withEngine(engine), ANY);
    }

    @Test
    void should_split_n_ctx_among_parallel_slots_without_changing_the_total() {
        RankFacts rank = Ranks.rank(24 * GIB, 4 * GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1);

        KvPool pool = LlamaCpp.defaults().withNCtx(8192).withNParallel(4).reserve(rank, Ranks.llama8b(), ANY);

        assertEquals(8192L * 131_072, pool.kvBytes());
        assertEquals(8192, pool.tokens());
        assertEquals(2048, pool.maxModelLen(), "each slot holds n_ctx / n_parallel tokens");
        assertEquals(4, pool.maxSequences());
    }

    @ParameterizedTest(name = "build {0}, n_ctx {1}, flash_attn {2}: {3} cells")
    @CsvSource({
            // older builds pad n_ctx to 32, or 256 with flash attention; newer ones always to 256
            "b4000, 1000, false, 1024", "b4000, 1000, true, 1024", "b4000, 1010, false, 1024", "b4000, 990, false, 992",
            "b7000, 990, false, 1024"})
    void should_pad_n_ctx_as_the_build_does(String build, int nCtx, boolean flash, long cells) {
        LlamaCpp l = (LlamaCpp) LlamaCpp.at(build).withNCtx(nCtx).with("flash_attn", String.valueOf(flash));
        assertEquals(cells, l.cells());
    }

    @Test
    void should_keep_sliding_layers_to_their_window_plus_a_micro_batch() {
        // src/llama-kv-cache-iswa.cpp: pad256(min(n_ctx_seq, n_swa x n_seq (unified) + n_ubatch))
        LlamaCpp l = LlamaCpp.at("b7000").withNCtx(32_768).withNParallel(4).withNUbatch(512);
        assertEquals(256L * ((128 * 4 + 512 + 255) / 256), l.swaCells(128));
        assertEquals(32_768, l.swaCells(1_000_000), "never more than the full cache");
    }

    @Test
    void should_hold_mistral_at_n_ctx_2048_in_256_mib() {
        // validation/memory.csv M18 (github:ollama/ollama/issues/6348): Mistral-7B q4_0, n_ctx 2048, f16 KV = 256.0 MiB
        MemoryEstimate e = estimate("mistral-7b", LlamaCpp.defaults().withNCtx(2048));
        assertEquals(256 * MIB, e.kvCacheBytesPerGpu());
        assertEquals(Precision.FP16, e.kv());
    }

    @ParameterizedTest(name = "build {0}: {1} values per layer and token")
    @CsvSource({
            // DeepSeek-V3 (128 heads, nope 128 + rope 64, v 128; latent 512 + 64): per head before pull/12801, the latent
            // as K plus a 512-wide V after it, the latent alone after pull/19067
            "b4000, 40960", "b5100, 1088", "b7800, 576"})
    void should_cache_latent_attention_as_the_build_stores_it(String build, long values) {
        MemoryEstimate e = estimate("deepseek-v3", LlamaCpp.at(build).withNCtx(1024));
        assertEquals(61 * values * 2, e.kvBytesPerToken());
    }

    @Test
    void should_keep_the_input_embedding_in_host_memory() {
        // found/memory.csv PL002: llama.cpp puts token_embd on CPU_Mapped, the rest on the GPU
        MemoryEstimate e = estimate("llama-3.1-8b", LlamaCpp.defaults().withNCtx(4096));
        long embedding = 128_256L * 4096 * 2;
        assertEquals(e.weightsBytes() - embedding, e.weightsBytesPerGpu());
    }

    @Test
    void should_reject_bad_knobs_naming_them() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> LlamaCpp.defaults().withNCtx(0));
        assertTrue(e.getMessage().contains("n_ctx"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> LlamaCpp.defaults().with("n_gpu_layers", "-1"));
        assertTrue(e.getMessage().contains("n_gpu_layers"), e.getMessage());
        // llama-2-7b: max_position_embeddings 4096; one slot of 8192 is longer
        Deployment d = Deployment.on(Catalog.gpu("rtx-4090")).withEngine(LlamaCpp.defaults().withNCtx(8192));
        e = assertThrows(InvalidInputException.class, () -> MemoryModel.estimate(Catalog.profile("llama-2-7b"), d, ANY));
        assertTrue(e.getMessage().contains("n_ctx") && e.getMessage().contains("8192"), e.getMessage());
    }
}
