package dev.headroom.core.engine;

import static dev.headroom.core.base.Bytes.GIB;
import static dev.headroom.core.base.Bytes.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.Ranks;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.memory.MemoryModel;
import dev.headroom.core.workload.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SGLang: rest = free after weights - free at start x (1 - mem_fraction_static); tokens = rest / cell size. */
class Sglang_reserveTest {
    private static final Workload ANY = Workload.of(1, 128, 128);

    private static Sglang at(String version) {
        return Sglang.at(version);
    }

    @Test
    void should_size_the_pool_from_the_memory_free_at_start_not_the_total() {
        // GIVEN 80 GiB, one GPU: the context takes 0.7 GiB before the weights (16 GiB) load; fraction 0.5
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1);

        KvPool pool = Sglang.defaults().withMemFractionStatic(0.5).reserve(rank, Ranks.llama8b(), ANY);

        long start = 80 * GIB - DeviceMemory.CUDA_CONTEXT_BYTES;
        long rest = start - 16 * GIB - (long) Math.ceil(start * 0.5);
        assertEquals(rest, pool.availableBytes());
        assertEquals(rest / 131_072, pool.tokens());
        assertEquals(1, pool.blockSize(), "token-granular pages");
    }

    @ParameterizedTest(name = "SGLang {0} at tp={1}: mem_fraction_static {2}")
    @CsvSource({
            // server_args.py: 0.3.x tp >= 8 -> 0.83; 0.3.6 - 0.4.6 -> 0.81 (tp >= 16 0.79, >= 4 0.85, >= 2 0.87, else 0.88)
            "0.3, 8, 0.83", "0.4, 8, 0.81", "0.4, 1, 0.88", "0.4, 2, 0.87", "0.4, 4, 0.85", "0.4, 16, 0.79",
            // 0.4.7: reserved (9.5 + tp/2) GiB on an 80 GiB card: (81920 - 10240) / 81920 = 0.875 at tp 1
            "0.4.7, 1, 0.875",
            // 0.5.3 (PR #10975): 512 + 8192 x 1.5 + 256 x 2 + 1024/8 MiB = 13440 MiB: (81920 - 13440) / 81920 = 0.836
            "0.5.3, 1, 0.836"})
    void should_take_the_default_fraction_of_the_release(String version, int tp, double fraction) {
        RankFacts rank = Ranks.rank(Catalog.gpu("h100-sxm"), 16 * GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, tp);

        assertEquals(fraction, at(version).fraction(rank), 1e-9);
    }

    @Test
    void should_refuse_naming_mem_fraction_static_when_the_weights_leave_no_pool() {
        RankFacts rank = Ranks.rank(40 * GIB, 36 * GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1);

        KvPool pool = Sglang.defaults().reserve(rank, Ranks.llama8b(), ANY);

        assertEquals("mem_fraction_static", pool.refusal().knob());
        assertEquals(0, pool.tokens());
    }

    @Test
    void should_carve_a_state_pool_out_before_the_kv_pool_of_a_hybrid() {
        // mamba_full_memory_ratio 0.9: the state pool takes 0.9 / 1.9 of the rest, in whole slots
        RankFacts base = Ranks.rank(80 * GIB, 16 * GIB, 0, 0, new Ranks.FixedActivation(0), 0, 1);
        dev.headroom.core.model.KvLayout hybrid = new dev.headroom.core.model.KvLayout(6144, new int[0], new long[0], 36 * MIB, 6144);
        RankFacts rank = new RankFacts(base.gpu(), base.weightsBytes(), hybrid, 0, base.activation(), 0, 0, 1, 1, true, base.weightsFormat());

        KvPool pool = Sglang.defaults().withMemFractionStatic(0.3).reserve(rank, Ranks.llama8b(), ANY);

        long rest = pool.availableBytes();
        long slots = (long) (rest * 0.9 / 1.9) / (36 * MIB);
        assertEquals(slots * 36 * MIB, pool.charges().statePoolBytes());
        assertEquals((rest - slots * 36 * MIB) / 6144, pool.tokens());
        assertTrue(pool.maxSequences() <= slots, "requests need a state slot each");
    }

    @Test
    void should_match_the_published_pool_of_m13() {
        // validation/memory.csv M13 (vllm-project/vllm#21348): Qwen3-235B-A22B-FP8, 4 x H100, mem_fraction_static 0.93: 367,404 tokens
        var e = MemoryModel.estimate(Catalog.profile("qwen3-235b-a22b-fp8"), new Deployment(Catalog.gpu("h100-sxm"), 4, 4, 1, 1, null, null,
                Sglang.at("0.4.9").withMemFractionStatic(0.93)), ANY);
        assertEquals(367_404, e.kvCacheTokens(), 367_404 * 0.05);
    }

    @Test
    void should_reject_bad_knobs_naming_them() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Sglang.defaults().withMemFractionStatic(1.5));
        assertTrue(e.getMessage().contains("mem_fraction_static"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Sglang.defaults().with("page_size", "0"));
        assertTrue(e.getMessage().contains("page_size"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Sglang.defaults().with("cuda_graph_bs", "1/two/4"));
        assertTrue(e.getMessage().contains("cuda_graph_bs") && e.getMessage().contains("two"), e.getMessage());
    }
}
