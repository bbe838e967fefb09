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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** MODEL.md "What engines actually reserve", vLLM: kv = total x util - weights - activation - non_torch, in whole blocks. */
class Vllm_reserveTest {
    private static final Workload ANY = Workload.of(1, 128, 128);

    @Test
    void should_cut_the_free_budget_into_whole_blocks() {
        // GIVEN 80 GiB visible at utilization 0.5 (budget 40 GiB), weights 16 GiB - 3 MiB, activation 2 GiB, overhead 1 GiB
        Ranks.FixedActivation act = new Ranks.FixedActivation(2 * GIB);
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB - 3 * MIB, 131_072, 1 * GIB, act, 0, 1);
        Vllm vllm = Vllm.defaults().withGpuMemoryUtilization(0.5).withMaxModelLen(8192);

        // WHEN vLLM sizes its pool
        KvPool pool = vllm.reserve(rank, Ranks.llama8b(), ANY);

        // THEN free = 40 - (16 GiB - 3 MiB) - 2 - 1 = 21 GiB + 3 MiB; a block is 16 x 131,072 B = 2 MiB
        long free = 21 * GIB + 3 * MIB;
        long blockBytes = 16L * 131_072;
        long blocks = free / blockBytes; // floor: 10,753 (the last half block is not allocated)
        assertEquals(10_753, blocks);
        assertEquals(blocks, pool.blocks());
        assertEquals(blocks * 16, pool.tokens());
        assertEquals(blocks * blockBytes, pool.kvBytes());
        assertEquals(40 * GIB, pool.budgetBytes());
        assertEquals(8192, pool.maxModelLen());
        assertEquals(16, pool.blockSize());
    }

    @Test
    void should_count_the_rotary_table_as_weights() {
        Ranks.FixedActivation act = new Ranks.FixedActivation(0);
        RankFacts rank = Ranks.rank(10 * GIB, 4 * GIB, 131_072, 0, act, 32 * MIB, 1);

        KvPool pool = Vllm.defaults().withGpuMemoryUtilization(1.0).withMaxModelLen(8192).reserve(rank, Ranks.llama8b(), ANY);

        assertEquals(4 * GIB + 32 * MIB, pool.weightsBytes());
        assertEquals((6 * GIB - 32 * MIB) / (16 * 131_072), pool.blocks());
    }

    @ParameterizedTest(name = "max_model_len {0} -> profile {1} tokens")
    @CsvSource({"8192, 8192", "1024, 2048", "20000, 20000"})
    void should_profile_activation_at_max_of_max_model_len_and_2048_tokens(int maxModelLen, long profiled) {
        // vLLM's default without chunked prefill: max_num_batched_tokens = max(max_model_len, 2048)
        Ranks.FixedActivation act = new Ranks.FixedActivation(GIB);
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, GIB, act, 0, 1);

        Vllm vllm = Vllm.defaults().withMaxModelLen(maxModelLen);
        vllm.reserve(rank, Ranks.llama8b(), ANY);

        assertEquals(1, act.calls.size());
        assertEquals(profiled, act.calls.get(0)[0]);
        assertEquals(Math.min(vllm.maxNumSeqs(), profiled), act.calls.get(0)[1], "sequences: max_num_seqs at most");
    }

    @Test
    void should_profile_activation_at_an_explicit_max_num_batched_tokens() {
        Ranks.FixedActivation act = new Ranks.FixedActivation(GIB);
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, GIB, act, 0, 1);

        Vllm.defaults().withMaxModelLen(8192).withMaxNumBatchedTokens(4096).reserve(rank, Ranks.llama8b(), ANY);

        assertEquals(4096, act.calls.get(0)[0]);
    }

    @Test
    void should_report_a_negative_pool_and_no_blocks_when_weights_do_not_fit() {
        Ranks.FixedActivation act = new Ranks.FixedActivation(GIB);
        RankFacts rank = Ranks.rank(20 * GIB, 30 * GIB, 131_072, GIB, act, 0, 1);

        KvPool pool = Vllm.defaults().withMaxModelLen(8192).reserve(rank, Ranks.llama8b(), ANY);

        // sizes are never negative: the pool is empty and the deficit is kept as the shortfall
        assertEquals(0, pool.kvBytes());
        assertTrue(pool.shortfallBytes() > 0, "the deficit is kept: " + pool.shortfallBytes());
        assertEquals(0, pool.blocks());
        assertEquals(0, pool.tokens());
    }

    @Test
    void should_default_to_the_models_max_position_embeddings() {
        KvPool pool = Vllm.defaults().reserve(Ranks.rank(80 * GIB, GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1),
                Ranks.llama8b(), ANY);
        assertEquals(131_072, pool.maxModelLen()); // llama-3.1-8b config: max_position_embeddings 131072
    }

    @ParameterizedTest(name = "gpu_memory_utilization {0}")
    @ValueSource(doubles = {0, 1.5, -0.1, Double.NaN})
    void should_reject_a_utilization_outside_zero_to_one(double util) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Vllm.defaults().withGpuMemoryUtilization(util));
        assertTrue(e.getMessage().contains("gpu_memory_utilization"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(util)), e.getMessage());
    }

    @ParameterizedTest(name = "block_size {0}")
    @ValueSource(ints = {0, -16})
    void should_reject_a_block_size_below_one(int blockSize) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Vllm.defaults().withBlockSize(blockSize));
        assertTrue(e.getMessage().contains("block_size"), e.getMessage());
    }

    @Test
    void should_reject_a_max_model_len_beyond_max_position_embeddings() {
        // llama-3.1-8b config: max_position_embeddings 131072
        Deployment d = Deployment.on(Catalog.gpu("h100-sxm")).withEngine(Vllm.defaults().withMaxModelLen(131_073));

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MemoryModel.estimate(Catalog.profile("llama-3.1-8b"), d, ANY));

        assertTrue(e.getMessage().contains("max_model_len"), e.getMessage());
        assertTrue(e.getMessage().contains("131073"), e.getMessage());
        assertTrue(e.getMessage().contains("131072"), e.getMessage());
    }

    @Test
    void should_reject_max_num_batched_tokens_and_max_model_len_below_one() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Vllm.defaults().withMaxNumBatchedTokens(0));
        assertTrue(e.getMessage().contains("max_num_batched_tokens"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Vllm.defaults().withMaxModelLen(0));
        assertTrue(e.getMessage().contains("max_model_len"), e.getMessage());
    }
}
