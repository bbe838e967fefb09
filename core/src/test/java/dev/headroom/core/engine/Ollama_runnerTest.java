package dev.headroom.core.engine;

import static dev.headroom.core.base.Bytes.GIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.Ranks;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.model.ModelSpec;
import org.junit.jupiter.api.Test;

/**
 * The llama.cpp runner Ollama starts: the build of the same time, flash attention by the model's metadata from v0.12.4
 * (fs/ggml/ggml.go FlashAttention: gpt-oss, qwen3), num_ctx by VRAM tier from v0.15.5 over all the GPUs
 * (server/routes.go), and num_gpu layers offloaded.
 */
class Ollama_runnerTest {

    private static RankFacts rank(long visible) {
        return Ranks.rank(visible, 4 * GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1);
    }

    @Test
    void should_run_the_llama_cpp_build_of_its_time() {
        // before v0.6 a build without the MLA cache; v0.6 - v0.11 one with it; from v0.12 one with per-sequence streams
        assertEquals("b1000", Ollama.at("0.3.0").llamaCppBuild());
        assertEquals("b5100", Ollama.at("0.6.7").llamaCppBuild());
        assertEquals("b5100", Ollama.at("0.10.0").llamaCppBuild());
        assertEquals("b7000", Ollama.at("0.12.4").llamaCppBuild());
        assertTrue(Ollama.at("0.6.7").describe(rank(24 * GIB)).endsWith("; runs llama.cpp b5100 with n_ctx = num_ctx x num_parallel"));
    }

    @Test
    void should_turn_flash_attention_on_for_the_model_families_that_declare_it_from_0_12_4() {
        RankFacts r = rank(80 * GIB);
        ModelSpec qwen3 = Catalog.model("qwen3-0.6b");
        ModelSpec qwen3Moe = Catalog.model("qwen3-30b-a3b");
        ModelSpec gptOss = Catalog.model("gpt-oss-20b");
        ModelSpec llama = Catalog.model("llama-3.1-8b");

        assertTrue(Ollama.at("0.12.4").runner(r, qwen3).flashAttn());
        assertTrue(Ollama.at("0.12.4").runner(r, qwen3Moe).flashAttn());
        assertTrue(Ollama.at("0.12.4").runner(r, gptOss).flashAttn());
        assertFalse(Ollama.at("0.12.4").runner(r, llama).flashAttn(), "llama declares no flash attention");
        assertFalse(Ollama.at("0.10.0").runner(r, qwen3).flashAttn(), "no model default before 0.12.4");
        // OLLAMA_FLASH_ATTENTION as set wins either way
        assertFalse(((Ollama) Ollama.at("0.12.4").with("flash_attention", "false")).runner(r, qwen3).flashAttn());
        assertTrue(((Ollama) Ollama.at("0.10.0").with("OLLAMA_FLASH_ATTENTION", "true")).runner(r, llama).flashAttn());
    }

    @Test
    void should_pick_the_vram_tier_from_the_memory_of_every_pipeline_stage() {
        // GIVEN two 24 GiB GPUs in a pipeline: 48 GiB in all, over the 47 GiB tier -> 262,144, held to the model's 131,072
        RankFacts one = rank(24 * GIB);
        RankFacts stage = new RankFacts(one.gpu(), one.weightsBytes(), one.kv(), 0, one.activation(), 0, 0, 1, 2, true, one.weightsFormat());

        assertEquals(131_072, Ollama.at("0.15.5").runner(stage, Ranks.llama8b()).nCtx());
        assertEquals(32_768, Ollama.at("0.15.5").runner(one, Ranks.llama8b()).nCtx(), "one 24 GiB GPU: the 23 GiB tier");
    }

    @Test
    void should_start_each_vram_tier_at_its_bound() {
        OllamaRelease r = OllamaRelease.of(Ollama.at("0.15.5").release());

        assertEquals(262_144, r.defaultContext(47 * GIB, 1_000_000));
        assertEquals(32_768, r.defaultContext(47 * GIB - 1, 1_000_000));
        assertEquals(32_768, r.defaultContext(23 * GIB, 1_000_000));
        assertEquals(4096, r.defaultContext(23 * GIB - 1, 1_000_000));
        assertEquals(8192, r.defaultContext(80 * GIB, 8192), "never beyond the model's context");
        assertEquals(4096, OllamaRelease.of(Ollama.at("0.6.7").release()).defaultContext(80 * GIB, 131_072), "a fixed figure before");
        assertThrows(IllegalArgumentException.class, () -> OllamaRelease.of(new Release("9.9", "nowhere")));
    }

    @Test
    void should_accept_num_gpu_zero_and_show_its_knobs() {
        Ollama cpu = (Ollama) Ollama.defaults().with("num_gpu", "0");

        assertEquals(0, cpu.numGpu());
        assertEquals("0", cpu.settings().stream().filter(s -> s.name().equals("num_gpu")).findFirst().orElseThrow().value());
        assertEquals(0, cpu.runner(rank(24 * GIB), Ranks.llama8b()).nGpuLayers());
        assertEquals(8192, Ollama.defaults().with("num_ctx", "8192").maxLength());
        assertTrue(Ollama.defaults().servesOverHttp(), "Ollama answers over its HTTP API");
    }
}
