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

/** MODEL.md: TensorRT-LLM KV = free_gpu_memory_fraction x free memory; static caches reserve max_seq_len per slot. */
class TensorRtLlm_reserveTest {
    private static final Workload ANY = Workload.of(1, 128, 128);

    @Test
    void should_give_the_paged_pool_a_fraction_of_the_free_memory_in_blocks() {
        // GIVEN 80 GiB, weights 16 GiB, activation workspace 3 GiB, overhead 1 GiB: 60 GiB free
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, GIB, new Ranks.FixedActivation(3 * GIB), 0, 1);

        KvPool pool = TensorRtLlm.defaults().reserve(rank, Ranks.llama8b(), ANY);

        // THEN 0.9 x 60 GiB = 54 GiB in blocks of 64 tokens x 131,072 B = 8 MiB: 6,912 blocks
        assertEquals(54 * GIB / (8 * MIB), pool.blocks());
        assertEquals(6912, pool.blocks());
        assertEquals(6912L * 64, pool.tokens());
        assertEquals(6912L * 8 * MIB, pool.kvBytes());
    }

    @Test
    void should_reserve_batch_times_max_seq_len_for_a_static_cache_whatever_the_memory() {
        TensorRtLlm statik = TensorRtLlm.defaults().withPaged(false).withMaxSeqLen(4096);
        for (long visible : new long[] {24 * GIB, 80 * GIB}) {
            RankFacts rank = Ranks.rank(visible, 16 * GIB, 131_072, GIB, new Ranks.FixedActivation(3 * GIB), 0, 1);

            KvPool pool = statik.reserve(rank, Ranks.llama8b(), ANY);

            // max_batch_size x max_seq_len 4096 x 131,072 B (512 MiB per slot), reserved up front
            assertEquals(statik.maxBatchSize() * 512 * MIB, pool.kvBytes());
            assertEquals((long) statik.maxBatchSize() * 4096, pool.tokens());
            assertEquals(statik.maxBatchSize(), pool.blocks(), "one block per slot");
        }
    }

    @Test
    void should_reserve_more_with_a_static_cache_than_paged_on_the_same_gpu() {
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, GIB, new Ranks.FixedActivation(3 * GIB), 0, 1);
        KvPool paged = TensorRtLlm.defaults().withMaxSeqLen(4096).reserve(rank, Ranks.llama8b(), ANY);
        KvPool statik = TensorRtLlm.defaults().withMaxSeqLen(4096).withPaged(false).reserve(rank, Ranks.llama8b(), ANY);
        assertTrue(statik.kvBytes() > paged.kvBytes());
        assertTrue(statik.totalBytes() > rank.visibleMemoryBytes(), "a static cache for max_batch_size x 4096 cannot fit in 80 GiB");
    }

    @Test
    void should_size_the_activation_workspace_for_max_num_tokens() {
        Ranks.FixedActivation act = new Ranks.FixedActivation(GIB);
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, GIB, act, 0, 1);

        TensorRtLlm.defaults().withMaxNumTokens(4096).reserve(rank, Ranks.llama8b(), ANY);

        assertEquals(4096, act.calls.get(0)[0]);
    }

    @Test
    void should_reject_bad_knobs_naming_them() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TensorRtLlm.defaults().withFreeGpuMemoryFraction(0));
        assertTrue(e.getMessage().contains("free_gpu_memory_fraction"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> TensorRtLlm.defaults().withTokensPerBlock(0));
        assertTrue(e.getMessage().contains("tokens_per_block"), e.getMessage());
        Deployment d = Deployment.on(Catalog.gpu("h100-sxm")).withEngine(TensorRtLlm.defaults().withMaxSeqLen(500_000));
        e = assertThrows(InvalidInputException.class, () -> MemoryModel.estimate(Catalog.profile("llama-3.1-8b"), d, ANY));
        assertTrue(e.getMessage().contains("max_seq_len"), e.getMessage());
    }
}
