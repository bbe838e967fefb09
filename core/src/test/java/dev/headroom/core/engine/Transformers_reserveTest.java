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
