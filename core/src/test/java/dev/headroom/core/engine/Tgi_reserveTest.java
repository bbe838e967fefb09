package dev.headroom.core.engine;

import static dev.headroom.core.base.Bytes.GIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.Ranks;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.workload.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TGI: the memory still free after the warm-up prefill, times the tag's wiggle room, in blocks of BLOCK_SIZE. */
class Tgi_reserveTest {
    private static final Workload ANY = Workload.of(1, 128, 128);

    @ParameterizedTest(name = "TGI {0}: {1} x free, or free - (1 - {1}) x total: {2}")
    @CsvSource({"1.0, 1.0, false", "1.4.1, 0.95, false", "2.4.0, 0.90, false", "3.0.0, 0.95, true", "3.3.0, 0.90, true"})
    void should_keep_the_tags_wiggle_room(String version, double wiggle, boolean ofTotal) {
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(GIB), 0, 1);

        KvPool pool = Tgi.at(version).reserve(rank, Ranks.llama8b(), ANY);

        long free = 80 * GIB - 16 * GIB - GIB - DeviceMemory.CUDA_CONTEXT_BYTES;
        long usable = ofTotal ? free - (long) Math.ceil((1 - wiggle) * 80 * GIB) : (long) Math.floor(free * wiggle);
        assertEquals(usable, pool.availableBytes());
        assertEquals(usable / (pool.blockSize() * 131_072L) * pool.blockSize(), pool.tokens());
    }

    @Test
    void should_page_by_16_before_flashinfer_and_by_1_after() {
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(GIB), 0, 1);
        assertEquals(16, Tgi.at("2.2.0").reserve(rank, Ranks.llama8b(), ANY).blockSize());
        assertEquals(1, Tgi.at("2.3.0").reserve(rank, Ranks.llama8b(), ANY).blockSize());
    }

    @Test
    void should_refuse_a_prefill_batch_that_does_not_fit() {
        RankFacts rank = Ranks.rank(24 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(10 * GIB), 0, 1);

        KvPool pool = Tgi.defaults().reserve(rank, Ranks.llama8b(), ANY);

        assertEquals("max_batch_prefill_tokens", pool.refusal().knob());
    }

    @Test
    void should_reject_bad_knobs_naming_them() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tgi.defaults().with("max_batch_prefill_tokens", "0"));
        assertTrue(e.getMessage().contains("max_batch_prefill_tokens"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Tgi.defaults().with("cuda_memory_fraction", "2"));
        assertTrue(e.getMessage().contains("cuda_memory_fraction"), e.getMessage());
    }

    @Test
    void should_start_when_the_blocks_hold_exactly_one_request_of_max_total_tokens() {
        // GIVEN a pool of T tokens (TGI 3.3 on 24 GiB beside 16 GiB of weights): max_total_tokens T fits, T + 1 does not
        RankFacts rank = Ranks.rank(24 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(GIB), 0, 1);
        long tokens = Tgi.at("3.3.0").with("max_total_tokens", "1024").reserve(rank, Ranks.llama8b(), ANY).tokens();

        KvPool exact = Tgi.at("3.3.0").with("max_total_tokens", Long.toString(tokens)).reserve(rank, Ranks.llama8b(), ANY);
        KvPool oneMore = Tgi.at("3.3.0").with("max_total_tokens", Long.toString(tokens + 1)).reserve(rank, Ranks.llama8b(), ANY);

        assertTrue(tokens > 1024 && tokens < 131_072, "a pool shorter than the model's context: " + tokens);
        assertTrue(exact.starts());
        assertEquals("max_total_tokens", oneMore.refusal().knob());
        assertEquals(131_072, oneMore.shortfallBytes(), "one token of 128 KiB short");
    }

    @Test
    void should_reject_a_max_total_tokens_beyond_the_models_positions() {
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(GIB), 0, 1);

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tgi.defaults().with("max_total_tokens", "131073").reserve(rank, Ranks.llama8b(), ANY));
        assertTrue(e.getMessage().contains("max_total_tokens"), e.getMessage());
    }

    @Test
    void should_charge_nccl_beside_the_context_and_count_the_rotary_table_as_weights() {
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, GIB, new Ranks.FixedActivation(GIB), 256 * 1024 * 1024L, 2);

        KvPool pool = Tgi.defaults().reserve(rank, Ranks.llama8b(), ANY);

        assertEquals(DeviceMemory.CUDA_CONTEXT_BYTES + GIB, pool.overheadBytes());
        assertEquals(16 * GIB + 256 * 1024 * 1024L, pool.weightsBytes());
        assertTrue(Tgi.defaults().buildsRotaryTable());
    }

    @Test
    void should_show_each_knob_as_set_or_default() {
        Engine set = Tgi.defaults().with("max_batch_prefill_tokens", "2048").with("max_total_tokens", "8192").with("cuda_memory_fraction", "0.8");

        assertEquals(java.util.List.of("default", "model default", "1.0"), Tgi.defaults().settings().stream().map(Engine.Setting::value).toList());
        assertEquals(java.util.List.of("2048", "8192", "0.8"), set.settings().stream().map(Engine.Setting::value).toList());
        assertEquals(8192, set.maxLength());
    }
}
