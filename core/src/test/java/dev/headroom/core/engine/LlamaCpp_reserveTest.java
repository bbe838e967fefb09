package dev.headroom.core.engine;

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


import static dev.headroom.core.base.Bytes.GIB;
import static dev.headroom.core.base.Bytes.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** MODEL.md: llama.cpp KV = n_ctx x kv_bytes_per_token (f16 by default). */
class LlamaCpp_reserveTest {
    private static final Workload ANY = Workload.of(1, 128, 128);

    @Test
    void should_hold_n_ctx_tokens_of_kv() {
        RankFacts rank = Ranks.rank(24 * GIB, 4 * GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1);

        KvPool pool = LlamaCpp.defaults().withNCtx(8192).reserve(rank, Ranks.llama8b(), ANY);

        assertEquals(8192L * 131_072, pool.kvBytes());
        assertEquals(8192, pool.tokens());
    }

    @Test
    void should_split_n_ctx_among_parallel_slots_without_changing_the_total() {
        RankFacts rank = Ranks.rank(24 * GIB, 4 * GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1);

        KvPool pool = LlamaCpp.defaults().withNCtx(8192).withNParallel(4).reserve(rank, Ranks.llama8b(), ANY);

        assertEquals(8192L * 131_072, pool.kvBytes());
        assertEquals(2048, pool.maxModelLen(), "each slot holds n_ctx / n_parallel tokens");
        assertEquals(4, pool.maxSequences());
    }

    @Test
    void should_default_to_an_f16_cache_of_n_ctx_4096() {
        // llama-2-7b (MHA, MODEL.md 524,288 B/token in 16 bits) x 4096 tokens = 2 GiB
        MemoryEstimate e = MemoryModel.estimate(Catalog.profile("llama-2-7b"),
                Deployment.on(Catalog.gpu("rtx-4090")).withEngine(LlamaCpp.defaults()), ANY);

        assertEquals(Precision.FP16, e.kv());
        assertEquals(2 * GIB, e.kvCacheBytesPerGpu());
    }

    @Test
    void should_hold_256_mib_for_mistral_at_n_ctx_2048() {
        // validation/memory.csv M18 (github:ollama/ollama/issues/6348): Mistral-7B q4_0, n_ctx 2048, f16 KV = 256.0 MiB
        MemoryEstimate e = MemoryModel.estimate(Catalog.profile("mistral-7b"),
                Deployment.on(Catalog.gpu("rtx-4090")).withWeights(Precision.Q4_0).withEngine(LlamaCpp.defaults().withNCtx(2048)), ANY);
        assertEquals(256 * MIB, e.kvCacheBytesPerGpu());
    }

    @Test
    void should_reject_bad_knobs_naming_them() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> LlamaCpp.defaults().withNCtx(4096).withNParallel(3));
        assertTrue(e.getMessage().contains("n_parallel"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> LlamaCpp.defaults().withNCtx(0));
        assertTrue(e.getMessage().contains("n_ctx"), e.getMessage());
        // llama-2-7b: max_position_embeddings 4096
        Deployment d = Deployment.on(Catalog.gpu("rtx-4090")).withEngine(LlamaCpp.defaults().withNCtx(8192));
        e = assertThrows(InvalidInputException.class, () -> MemoryModel.estimate(Catalog.profile("llama-2-7b"), d, ANY));
        assertTrue(e.getMessage().contains("n_ctx") && e.getMessage().contains("8192"), e.getMessage());
    }
}
