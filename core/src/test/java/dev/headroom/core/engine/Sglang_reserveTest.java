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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MODEL.md "What engines actually reserve", SGLang: kv = total x mem_fraction_static - weights - overhead. */
class Sglang_reserveTest {
    private static final Workload ANY = Workload.of(1, 128, 128);

    @ParameterizedTest(name = "tp={0}: mem_fraction_static {1}")
    @CsvSource({
            // sglang python/sglang/srt/server_args.py __post_init__ (v0.4.x): tp>=16 0.79, >=8 0.81, >=4 0.85, >=2 0.87, else 0.88
            "1, 0.88", "2, 0.87", "3, 0.87", "4, 0.85", "6, 0.85", "8, 0.81", "12, 0.81", "16, 0.79", "32, 0.79"})
    void should_take_the_default_static_fraction_by_tp(int tp, double fraction) {
        // GIVEN 80 GiB visible, weights 16 GiB, rotary 0, overhead 1 GiB, 131,072 B/token on this rank
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, GIB, new Ranks.FixedActivation(5 * GIB), 0, tp);

        KvPool pool = Sglang.defaults().reserve(rank, Ranks.llama8b(), ANY);

        // THEN the pool is floor(80 GiB x fraction) - 17 GiB, in whole tokens (activations live outside the static pool)
        long budget = (long) Math.floor(80 * GIB * fraction);
        long tokens = (budget - 17 * GIB) / 131_072;
        assertEquals(tokens, pool.tokens());
        assertEquals(tokens * 131_072, pool.kvBytes());
        assertEquals(1, pool.blockSize(), "token-granular pages");
        String described = Sglang.defaults().describe(rank);
        assertTrue(described.contains("mem_fraction_static=" + fraction), described);
    }

    @Test
    void should_use_an_explicit_mem_fraction_static() {
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, GIB, new Ranks.FixedActivation(0), 0, 1);

        KvPool pool = Sglang.defaults().withMemFractionStatic(0.5).reserve(rank, Ranks.llama8b(), ANY);

        assertEquals((40 * GIB - 17 * GIB) / 131_072, pool.tokens());
    }

    @Test
    void should_reject_a_fraction_above_one() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Sglang.defaults().withMemFractionStatic(1.5));
        assertTrue(e.getMessage().contains("mem_fraction_static"), e.getMessage());
    }

    @Test
    void should_reject_a_context_length_beyond_the_model() {
        Deployment d = Deployment.on(Catalog.gpu("h100-sxm")).withEngine(Sglang.defaults().withContextLength(200_000));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MemoryModel.estimate(Catalog.profile("llama-3.1-8b"), d, ANY));
        assertTrue(e.getMessage().contains("context_length"), e.getMessage());
    }
}
