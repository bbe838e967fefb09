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
import dev.headroom.core.model.KvLayout;
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

    /** The rank of the first test: 80 GiB, 16 GiB of weights, 128 KiB per token, one GPU. */
    private static RankFacts h80(long communication, long rotary) {
        return Ranks.rank(80 * GIB, 16 * GIB, 131_072, communication, new Ranks.FixedActivation(0), rotary, 1);
    }

    /** rest at fraction 0.5 on {@link #h80}: free at start - weights - free at start x 0.5. */
    private static long restAtHalf(long communication, long rotary) {
        long start = 80 * GIB - DeviceMemory.CUDA_CONTEXT_BYTES - communication;
        return start - 16 * GIB - rotary - (long) Math.ceil(start * 0.5);
    }

    @Test
    void should_round_the_pool_down_to_whole_pages_and_allocate_only_those() {
        // GIVEN page_size 64: rest = 25,393,994,137 B holds 193,740 cells of 128 KiB, which is 3,027 pages and 12 cells
        Sglang s = (Sglang) Sglang.defaults().withMemFractionStatic(0.5).with("page_size", "64");

        KvPool pool = s.reserve(h80(0, 0), Ranks.llama8b(), ANY);

        // THEN the pool keeps 3,027 whole pages = 193,728 tokens (model_runner.py: max_total_num_tokens // page_size * page_size)
        assertEquals(193_740, restAtHalf(0, 0) / 131_072, "the cells the rest holds");
        assertEquals(193_728, pool.tokens());
        assertEquals(193_728L * 131_072, pool.kvBytes(), "only whole pages are allocated");
    }

    @Test
    void should_load_the_rotary_table_with_the_weights() {
        // GIVEN a 1 GiB rotary cos/sin table built at load (SGLang is a PyTorch engine and builds one)
        KvPool pool = Sglang.defaults().withMemFractionStatic(0.5).reserve(h80(0, GIB), Ranks.llama8b(), ANY);

        // THEN it counts as weights and comes out of the rest before the pool
        assertTrue(Sglang.defaults().buildsRotaryTable());
        assertEquals(17 * GIB, pool.weightsBytes());
        assertEquals(restAtHalf(0, GIB), pool.availableBytes());
        assertEquals(restAtHalf(0, 0) - GIB, pool.availableBytes());
    }

    @Test
    void should_take_communication_buffers_from_the_memory_free_at_start() {
        // GIVEN 2 GiB of NCCL buffers, created before SGLang measures the free memory (init_torch_distributed)
        long nccl = 2 * GIB;

        KvPool pool = Sglang.defaults().withMemFractionStatic(0.5).reserve(h80(nccl, 0), Ranks.llama8b(), ANY);

        // THEN they are non-torch memory beside the context, and the budget is half of what is free once both exist
        assertEquals(DeviceMemory.CUDA_CONTEXT_BYTES + nccl, pool.overheadBytes());
        assertEquals((80 * GIB - DeviceMemory.CUDA_CONTEXT_BYTES - nccl) / 2, pool.budgetBytes());
        assertEquals(restAtHalf(nccl, 0), pool.availableBytes());
    }

    @ParameterizedTest(name = "context {0}, max_total_tokens {1}: {2} running requests")
    @CsvSource({
            // model_runner.py init_memory_pool: req_to_token_pool size = min(max(tokens / context_len x 512, 2048), 4096);
            // tp_worker.py caps max_running_requests at max_total_num_tokens // 2.
            // 193,740 tokens at 131,072: 756 -> raised to 2,048
            "131072, , 2048",
            // at 8,192: 12,108 -> capped at 4,096
            "8192, , 4096",
            // at 32,768: 3,027 lies between
            "32768, , 3027",
            // 1,000 tokens: 2,048 is more than half the pool, 500
            "131072, 1000, 500"})
    void should_run_as_many_requests_as_the_request_pool_and_half_the_tokens_allow(int context, Integer maxTotal, int running) {
        Sglang s = Sglang.defaults().withMemFractionStatic(0.5).withContextLength(context);
        if (maxTotal != null) {
            s = (Sglang) s.with("max_total_tokens", maxTotal.toString());
        }

        KvPool pool = s.reserve(h80(0, 0), Ranks.llama8b(), ANY);

        assertEquals(running, pool.maxSequences());
        assertEquals(context, pool.maxModelLen());
    }

    @Test
    void should_run_the_requests_set_by_max_running_requests() {
        KvPool pool = Sglang.defaults().withMemFractionStatic(0.5).withMaxRunningRequests(7).reserve(h80(0, 0), Ranks.llama8b(), ANY);

        assertEquals(7, pool.maxSequences());
    }

    @Test
    void should_size_a_sliding_window_pool_at_swa_full_tokens_ratio_of_the_full_pool() {
        // GIVEN a quarter of the cache in full layers (32 KiB/token) and the rest in 4,096-token windows (96 KiB/token)
        RankFacts base = h80(0, 0);
        KvLayout swa = new KvLayout(32_768, new int[] {4096}, new long[] {98_304}, 0, 131_072);
        RankFacts rank = new RankFacts(base.gpu(), base.weightsBytes(), swa, 0, base.activation(), 0, 0, 1, 1, true, base.weightsFormat());

        // WHEN the sliding layers keep 0.8 (the default) or 0.5 of the full layers' tokens
        KvPool byDefault = Sglang.defaults().withMemFractionStatic(0.5).reserve(rank, Ranks.llama8b(), ANY);
        KvPool half = ((Sglang) Sglang.defaults().withMemFractionStatic(0.5).with("swa_full_tokens_ratio", "0.5"))
                .reserve(rank, Ranks.llama8b(), ANY);

        // THEN a full-layer token costs 32,768 + 0.8 x 98,304 = 111,411.2 B, or 32,768 + 0.5 x 98,304 = 81,920 B
        long rest = restAtHalf(0, 0);
        assertEquals((long) Math.floor(rest / 111_411.2), byDefault.tokens());
        assertEquals((long) Math.floor(byDefault.tokens() * 111_411.2), byDefault.kvBytes());
        assertEquals(rest / 81_920, half.tokens());
        assertEquals(half.tokens() * 81_920, half.kvBytes());
    }

    @Test
    void should_keep_one_pool_when_every_layer_slides() {
        // GIVEN no full-attention layer: the sliding pool is the only one, at its own bytes per token
        RankFacts base = h80(0, 0);
        KvLayout allSliding = new KvLayout(0, new int[] {4096}, new long[] {131_072}, 0, 131_072);
        RankFacts rank = new RankFacts(base.gpu(), base.weightsBytes(), allSliding, 0, base.activation(), 0, 0, 1, 1, true,
                base.weightsFormat());

        KvPool pool = Sglang.defaults().withMemFractionStatic(0.5).reserve(rank, Ranks.llama8b(), ANY);

        // THEN 128 KiB per token, not 0.8 x 128 KiB
        assertEquals(restAtHalf(0, 0) / 131_072, pool.tokens());
    }

    @Test
    void should_report_the_memory_missing_when_it_refuses() {
        // GIVEN 40 GiB and 36 GiB of weights at fraction 0.5: the weights exceed the static share by about 16.35 GiB
        RankFacts rank = Ranks.rank(40 * GIB, 36 * GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1);

        KvPool pool = Sglang.defaults().withMemFractionStatic(0.5).reserve(rank, Ranks.llama8b(), ANY);

        long start = 40 * GIB - DeviceMemory.CUDA_CONTEXT_BYTES;
        long rest = start - 36 * GIB - (long) Math.ceil(start * 0.5);
        assertEquals(rest, pool.availableBytes());
        assertEquals(-rest, pool.shortfallBytes(), "what the weights lack to leave any pool");
        assertEquals(0, pool.kvBytes());
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
