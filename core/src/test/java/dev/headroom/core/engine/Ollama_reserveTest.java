package dev.headroom.core.engine;

import static dev.headroom.core.base.Bytes.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.memory.MemoryEstimate;
import dev.headroom.core.memory.MemoryModel;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ollama: llama.cpp with n_ctx = num_ctx x num_parallel and Ollama's defaults by release. */
class Ollama_reserveTest {
    private static final Workload ANY = Workload.of(1, 128, 128);

    private static MemoryEstimate estimate(String model, String gpu, Engine engine) {
        return MemoryModel.estimate(Catalog.profile(model), Deployment.on(Catalog.gpu(gpu)).withEngine(engine), ANY);
    }

    @ParameterizedTest(name = "Ollama {0}: num_ctx {1}, {2} slots that fit")
    @CsvSource({"0.1.0, 2048, 1", "0.3.0, 2048, 4", "0.6.7, 4096, 2", "0.10.0, 4096, 1"})
    void should_take_the_releases_context_and_parallel_defaults(String version, int numCtx, int slots) {
        // Llama-3.1-8B (128 KiB/token in f16) on an H100: every default fits, so the auto-parallel slots are kept
        MemoryEstimate e = estimate("llama-3.1-8b", "h100-sxm", Ollama.at(version));

        assertEquals((long) numCtx * slots, e.kvCacheTokens());
        assertEquals(numCtx, e.maxModelLen(), "each slot holds num_ctx tokens");
        assertEquals((long) numCtx * slots * 128 * 1024, e.kvCacheBytesPerGpu());
    }

    @Test
    void should_fall_back_to_one_slot_when_the_auto_slots_do_not_fit() {
        // found/memory.csv PO001: llama3:70b on a 24 GiB card, num_ctx 2048: 640 MiB of f16 KV (one slot)
        MemoryEstimate e = estimate("llama-3-70b", "rtx-4090", Ollama.at("0.3.0").with("num_ctx", "2048").with("num_gpu", "43"));
        assertEquals(640 * MIB, e.kvCacheBytesPerGpu());
    }

    @Test
    void should_pick_the_context_by_vram_from_0_15_5() {
        // server/routes.go@v0.15.5: >= 47 GiB -> 262144 (capped by the model), >= 23 GiB -> 32768, else 4096
        assertEquals(131_072, estimate("llama-3.1-8b", "h100-sxm", Ollama.at("0.15.5")).maxModelLen());
        assertEquals(32_768, estimate("llama-3.1-8b", "rtx-4090", Ollama.at("0.15.5")).maxModelLen());
        assertEquals(4096, estimate("llama-3.2-1b", "rtx-4060-ti-16gb", Ollama.at("0.15.5")).maxModelLen());
    }

    @Test
    void should_cache_f16_and_read_mxfp4_as_the_mxfp4_moe_file_type() {
        Engine o = Ollama.defaults();
        assertEquals(Precision.FP16, o.defaultKv(Catalog.model("llama-3.1-8b")));
        assertEquals(Precision.MXFP4_MOE, o.loadsAs(Precision.MXFP4));
    }

    @Test
    void should_reject_bad_knobs_naming_them() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Ollama.defaults().with("num_ctx", "0"));
        assertTrue(e.getMessage().contains("num_ctx"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Ollama.defaults().with("num_thread", "8"));
        assertTrue(e.getMessage().contains("num_parallel"), "lists the knobs it has: " + e.getMessage());
    }
}
