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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A static (transformers-style) cache: every sequence of the batch reserves max_len tokens up front. */
class Transformers_reserveTest {

    @Test
    void should_reserve_batch_times_max_len() {
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, GIB, new Ranks.FixedActivation(0), 0, 1);

        KvPool pool = Transformers.defaults().reserve(rank, Ranks.llama8b(), Workload.of(4, 1000, 24));

        // max_len defaults to input + output = 1024 tokens
        assertEquals(4L * 1024 * 131_072, pool.kvBytes());
        assertEquals(4L * 1024, pool.tokens());
        assertEquals(1024, pool.maxModelLen());
    }

    @Test
    void should_use_an_explicit_max_length() {
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, GIB, new Ranks.FixedActivation(0), 0, 1);

        KvPool pool = Transformers.defaults().withMaxLength(8192).reserve(rank, Ranks.llama8b(), Workload.of(3, 100, 100));

        assertEquals(3L * 8192 * 131_072, pool.kvBytes());
    }

    @Test
    void should_peak_activation_at_the_prefill_of_the_whole_batch() {
        Ranks.FixedActivation act = new Ranks.FixedActivation(0);
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, GIB, act, 0, 1);

        Transformers.defaults().reserve(rank, Ranks.llama8b(), Workload.of(8, 512, 64));

        assertEquals(8L * 512, act.calls.get(0), "one forward over the whole batch's prompts");
    }

    @Test
    void should_refuse_a_static_cache_larger_than_the_gpu_naming_the_knob() {
        RankFacts rank = Ranks.rank(24 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1);

        KvPool pool = Transformers.defaults().withMaxLength(8192).reserve(rank, Ranks.llama8b(), Workload.of(16, 100, 100));

        // 16 x 8192 x 131,072 B = 16 GiB of cache beside 16 GiB of weights on a 24 GiB card
        assertEquals("max_length", pool.refusal().knob());
        assertEquals(16 * GIB + 16 * GIB + DeviceMemory.CUDA_CONTEXT_BYTES - 24 * GIB, pool.shortfallBytes());
    }

    @Test
    void should_charge_the_context_and_nccl_and_leave_the_rest_to_the_cache() {
        // GIVEN 80 GiB, 16 GiB of weights, 1 GiB of NCCL buffers, no activation
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, GIB, new Ranks.FixedActivation(0), 0, 1);

        KvPool pool = Transformers.defaults().reserve(rank, Ranks.llama8b(), Workload.of(4, 1000, 24));

        assertEquals(DeviceMemory.CUDA_CONTEXT_BYTES + GIB, pool.overheadBytes());
        assertEquals(80 * GIB - 16 * GIB - DeviceMemory.CUDA_CONTEXT_BYTES - GIB, pool.availableBytes());
    }

    @Test
    void should_start_when_the_static_cache_fills_the_gpu_exactly() {
        // GIVEN 2 x 1,024 tokens of 128 KiB = 256 MiB of cache beside 16 GiB of weights and the context, on a GPU of exactly that
        long visible = 16 * GIB + 256 * dev.headroom.core.base.Bytes.MIB + DeviceMemory.CUDA_CONTEXT_BYTES;
        Workload w = Workload.of(2, 1000, 24);

        KvPool exact = Transformers.defaults().reserve(Ranks.rank(visible, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1),
                Ranks.llama8b(), w);
        KvPool shortByOne = Transformers.defaults().reserve(Ranks.rank(visible - 1, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(0),
                0, 1), Ranks.llama8b(), w);

        assertTrue(exact.starts());
        assertEquals(1, shortByOne.shortfallBytes());
    }

    @Test
    void should_hold_one_sequence_per_slot_up_to_max_length_and_none_longer() {
        // a static cache gives each of the batch's sequences one slot of max_length tokens
        KvPool pool = Transformers.defaults().withMaxLength(1024)
                .reserve(Ranks.rank(80 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1), Ranks.llama8b(), Workload.of(4, 1000, 24));

        assertEquals(4, pool.sequencesOf(1024));
        assertEquals(4, pool.sequencesOf(1));
        assertEquals(0, pool.sequencesOf(1025));
    }

    @Test
    void should_show_max_length_and_run_in_process() {
        assertEquals("input + output", Transformers.defaults().settings().get(0).value());
        assertEquals("2048", Transformers.defaults().with("max_cache_len", "2048").settings().get(0).value());
        assertTrue(Transformers.defaults().poolDependsOnWorkload(), "the static cache is sized per batch");
        assertEquals(false, Transformers.defaults().servesOverHttp(), "generate() is a library call");
    }

    @Test
    void should_reject_a_max_length_below_one() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Transformers.defaults().withMaxLength(0));
        assertTrue(e.getMessage().contains("max_length"), e.getMessage());
    }
    @Test
    void should_refuse_a_batch_whose_static_cache_and_activations_do_not_fit_a_long() {
        // GIVEN the batch MemoryModel_limitsTest found: 1,623,312,765 prompts of 24,334 tokens on one H100, whose static KV
        // (1,623,312,765 x 24,334 x 131,072 B = 5.18e18) and prefill activations (4.05e18 B) together pass 2^63 and wrapped negative
        Deployment d = Deployment.on(Catalog.gpu("h100-sxm")).withEngine(Transformers.defaults());
        Workload w = new Workload(24_334, 0, Load.batch(1_623_312_765));

        // WHEN it is estimated THEN it is refused in one line naming the batch, not answered with a negative total
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MemoryModel.estimate(Catalog.profile("llama-3.1-8b"), d, w));
        assertTrue(e.getMessage().contains("1623312765 x 24334 tokens"), e.getMessage());
    }
}
