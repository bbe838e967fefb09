package dev.headroom.core.engine;

import static dev.headroom.core.base.Bytes.GIB;
import static dev.headroom.core.base.Bytes.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.Ranks;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.memory.MemoryEstimate;
import dev.headroom.core.memory.MemoryModel;
import dev.headroom.core.workload.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** vLLM's KV budget by release: ceil(total x util) - weights - profiled activation - charged non-torch (- graphs), in blocks. */
class Vllm_reserveTest {
    private static final Workload ANY = Workload.of(1, 128, 128);

    private static Engine vllm(String version, String... knobs) {
        Engine e = Engines.named("vllm", version);
        for (int i = 0; i < knobs.length; i += 2) {
            e = e.with(knobs[i], knobs[i + 1]);
        }
        return e;
    }

    @Test
    void should_cut_the_budget_left_after_the_charges_into_whole_blocks() {
        // GIVEN vLLM 0.7 (V0): 80 GiB at utilization 0.5 (budget 40 GiB), weights 16 GiB - 3 MiB, activation 2 GiB,
        // no vocabulary, one GPU: the release charges its 0.085 GiB of library workspaces
        Ranks.FixedActivation act = new Ranks.FixedActivation(2 * GIB);
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB - 3 * MIB, 131_072, 0, act, 0, 1);

        KvPool pool = vllm("0.7", "gpu_memory_utilization", "0.5", "max_model_len", "8192").reserve(rank, Ranks.llama8b(), ANY);

        long available = 40 * GIB - (16 * GIB - 3 * MIB) - 2 * GIB - Vllm.NON_TORCH_LIBRARIES;
        assertEquals(available, pool.availableBytes());
        assertEquals(available / (16L * 131_072), pool.blocks());
        assertEquals(pool.blocks() * 16, pool.tokens());
        assertEquals(pool.blocks() * 16 * 131_072, pool.kvBytes());
        assertEquals(8192, pool.maxModelLen());
        assertTrue(pool.starts());
    }

    @ParameterizedTest(name = "vLLM {0}: non-torch charged at TP2 over NVLink")
    @CsvSource({
            // 0.6.4 charges context + NCCL (issue #10517: 0.35 GiB on one GPU); 0.6.5 from before the context (PR #10511:
            // 1.79 GiB at TP1, 3.58 at TP2); 0.7 the workspaces and NCCL; 0.11 leaves NCCL in the baseline (PR #25359).
            "0.6.4, 2.14", "0.6.5, 3.58", "0.7, 1.875", "0.11, 0.085"})
    void should_charge_the_non_torch_memory_of_each_release(String version, double gib) {
        RankFacts rank = Ranks.rank(80 * GIB, 8 * GIB, 65_536, DeviceMemory.COMMUNICATION_BYTES, new Ranks.FixedActivation(GIB), 0, 2);

        KvPool pool = vllm(version, "max_model_len", "8192").reserve(rank, Ranks.llama8b(), ANY);

        assertEquals(gib, pool.overheadBytes() / (double) GIB, 0.002);
    }

    @Test
    void should_match_the_published_split_of_pr_10511() {
        // validation/memory.csv M01 (github:vllm-project/vllm/pull/10511): Llama-3-8B, H100 79.22 GiB, util 0.9:
        // weights 14.96 + non-torch 1.79 + activation 1.26 leave 53.29 GiB
        MemoryEstimate e = MemoryModel.estimate(Catalog.profile("llama-3-8b"),
                Deployment.on(Catalog.gpu("h100-sxm")).withEngine(vllm("0.6.5")), ANY);

        assertEquals(53.29, e.kvBudgetBytesPerGpu() / (double) GIB, 53.29 * 0.01);
        assertEquals(1.79, e.runtimeOverheadBytesPerGpu() / (double) GIB, 0.005);
    }

    @ParameterizedTest(name = "vLLM {0} on {1}: max_num_seqs {2}, max_num_batched_tokens {3}")
    @CsvSource({
            // V1 defaults (arg_utils.py get_batch_defaults): >= 70 GiB 1024 / 8192 (server); A100 excluded since 0.9 (PR #17885)
            "0.10, h100-sxm, 1024, 8192", "0.10, a100-80gb, 256, 2048", "0.8.0, a100-80gb, 1024, 8192", "0.10, l40s, 256, 2048",
            // V0 (0.7): 256 sequences, max(max_model_len, 2048) tokens without chunked prefill
            "0.7, h100-sxm, 256, 8192"})
    void should_pick_the_batching_defaults_by_release_and_gpu(String version, String gpu, int seqs, long tokens) {
        Vllm v = (Vllm) vllm(version, "max_model_len", "8192");
        RankFacts rank = Ranks.rank(Catalog.gpu(gpu), GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1);

        assertEquals(seqs, v.maxNumSeqs(rank));
        assertEquals(tokens, v.maxNumBatchedTokens(rank, 8192));
    }

    @Test
    void should_profile_the_forward_over_max_num_batched_tokens_and_the_sampler_over_the_sequences() {
        // V1 0.10 on an H100: 1,024 rows of a 128,256 vocabulary x 39 B (the sampler) outweigh a 1 MiB forward
        Ranks.FixedActivation act = new Ranks.FixedActivation(MIB);
        RankFacts rank = Ranks.withVocab(Ranks.rank(80 * GIB, 16 * GIB, 131_072, 0, act, 0, 1), 128_256);

        KvPool pool = vllm("0.10", "max_model_len", "8192").reserve(rank, Ranks.llama8b(), ANY);

        assertEquals(8192L, act.calls.get(0), "the forward runs over max_num_batched_tokens");
        assertEquals(1024L * 128_256 * Vllm.SAMPLER_BYTES_PER_LOGIT, pool.activationBytes());
    }

    @Test
    void should_report_a_negative_budget_and_refuse_naming_the_knob_when_weights_do_not_fit() {
        RankFacts rank = Ranks.rank(20 * GIB, 30 * GIB, 131_072, 0, new Ranks.FixedActivation(GIB), 0, 1);

        KvPool pool = vllm(null, "max_model_len", "8192").reserve(rank, Ranks.llama8b(), ANY);

        assertTrue(pool.availableBytes() < 0, "the budget before blocks is negative: " + pool.availableBytes());
        assertEquals(0, pool.kvBytes());
        assertEquals(0, pool.blocks());
        assertEquals("gpu_memory_utilization", pool.refusal().knob());
        assertEquals(-pool.availableBytes() + 1, pool.shortfallBytes());
    }

    @Test
    void should_refuse_a_max_model_len_the_pool_cannot_hold_and_name_the_longest_that_starts() {
        // 1 GiB of budget left, 131,072 B/token: 8,192 tokens fit, 131,072 do not
        RankFacts rank = Ranks.rank(10 * GIB, 9 * GIB - Vllm.NON_TORCH_LIBRARIES, 131_072, 0, new Ranks.FixedActivation(0), 0, 1);

        KvPool pool = vllm("0.7", "gpu_memory_utilization", "1.0").reserve(rank, Ranks.llama8b(), ANY);

        assertEquals("max_model_len", pool.refusal().knob());
        assertEquals(8192, pool.longestRequest(131_072));
        assertTrue(pool.refusal().reason().contains("8192"), pool.refusal().reason());
    }

    @Test
    void should_auto_fit_max_model_len_to_the_longest_request_the_pool_holds() {
        // max_model_len -1 (kv_cache_utils._auto_fit_max_model_len): 1 GiB of budget at 131,072 B/token holds 8,192 tokens
        RankFacts rank = Ranks.rank(10 * GIB, 9 * GIB - Vllm.NON_TORCH_LIBRARIES, 131_072, 0, new Ranks.FixedActivation(0), 0, 1);

        KvPool pool = vllm("0.11", "gpu_memory_utilization", "1.0", "max_model_len", "auto", "enforce_eager", "true")
                .reserve(rank, Ranks.llama8b(), ANY);

        assertEquals(8192, pool.maxModelLen());
        assertTrue(pool.starts(), "an auto-fitted length always starts: " + pool.refusal());
    }

    @Test
    void should_hold_gpt_oss_sliding_layers_by_their_window_in_the_hybrid_allocator() {
        // found/memory.csv PM001: gpt-oss-120b TP4, vLLM 0.10.1.1, max_num_batched_tokens 2048. 18 full and 18 sliding
        // (128) layers in two groups of 18: a 16,384-token request needs 1,024 + (ceil((127 + 2048) / 16) + 1) = 1,161
        // blocks, and the log's token count is blocks / 2 groups x 16.
        Engine e = vllm("0.10.1", "max_model_len", "16384", "max_num_batched_tokens", "2048", "gpu_memory_utilization", "0.8");
        MemoryEstimate est = MemoryModel.estimate(Catalog.profile("gpt-oss-120b"),
                new Deployment(Catalog.gpu("a100-80gb"), 4, 4, 1, 1, null, null, e), ANY);

        long blocks = est.kvCacheBlocks();
        assertEquals(blocks / 1161.0, est.engineMaxConcurrency(), 1e-9);
        assertEquals(blocks / 2 * 16, est.kvCacheTokens());
        assertTrue(est.engineMaxConcurrency() > est.kvCacheTokens() / 16384.0 * 1.5,
                "sliding layers hold their window only, so concurrency exceeds tokens / length");
    }

    @Test
    void should_deduct_cuda_graphs_only_from_0_21_and_never_when_eager() {
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(GIB), 0, 1);
        KvPool before = vllm("0.20", "max_model_len", "8192").reserve(rank, Ranks.llama8b(), ANY);
        KvPool after = vllm("0.21", "max_model_len", "8192").reserve(rank, Ranks.llama8b(), ANY);
        KvPool eager = vllm("0.21", "max_model_len", "8192", "enforce_eager", "true").reserve(rank, Ranks.llama8b(), ANY);

        assertTrue(after.cudaGraphBytes() > 0);
        assertEquals(before.availableBytes() - after.cudaGraphBytes(), after.availableBytes());
        assertEquals(before.availableBytes(), eager.availableBytes());
    }

    @Test
    void should_refuse_when_the_sampler_warm_up_does_not_fit_what_utilization_leaves() {
        // found/memory.csv PM013: gpt-oss-120b TP2 on A800 80GB PCIe, vLLM 0.11: OOM warming up the sampler with 1,024 requests
        MemoryEstimate est = MemoryModel.estimate(Catalog.profile("gpt-oss-120b"),
                new Deployment(Catalog.gpu("a800-80gb-pcie"), 2, 2, 1, 1, null, null, vllm("0.11")), ANY);

        assertEquals("max_num_seqs", est.refusal().orElseThrow().knob());
        MemoryEstimate fewer = MemoryModel.estimate(Catalog.profile("gpt-oss-120b"),
                new Deployment(Catalog.gpu("a800-80gb-pcie"), 2, 2, 1, 1, null, null, vllm("0.11", "max_num_seqs", "256")), ANY);
        assertTrue(fewer.refusal().isEmpty(), "256 sequences warm up: " + fewer.refusal());
    }

    @Test
    void should_pad_mxfp4_experts_as_marlin_allocates_them() {
        // found/memory.csv PM009: gpt-oss-120b on one H100 loads 65.9651 GiB (Marlin pads 2880 to 2944 / 3072)
        MemoryEstimate est = MemoryModel.estimate(Catalog.profile("gpt-oss-120b"),
                Deployment.on(Catalog.gpu("h100-sxm")).withEngine(vllm("0.10.1")), ANY);

        assertEquals(65.9651, est.weightsBytesPerGpu() / (double) GIB, 65.9651 * 0.01);
        assertTrue(est.weightsBytesPerGpu() > est.weightsBytes(), "padding makes the loaded experts larger than the checkpoint");
    }

    @Test
    void should_refuse_v0_where_vllm_removed_it() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ((Vllm) vllm("0.11", "v1", "false")).v1());
        assertTrue(e.getMessage().contains("v1") && e.getMessage().contains("0.11"), e.getMessage());
    }

    @ParameterizedTest(name = "gpu_memory_utilization {0}")
    @ValueSource(doubles = {0, 1.5, -0.1, Double.NaN})
    void should_reject_a_utilization_outside_zero_to_one(double util) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Vllm.defaults().withGpuMemoryUtilization(util));
        assertTrue(e.getMessage().contains("gpu_memory_utilization"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(util)), e.getMessage());
    }

    @Test
    void should_reject_unknown_knobs_and_bad_values_naming_them() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Vllm.defaults().with("gpu_memory_utilisation", "0.9"));
        assertTrue(e.getMessage().contains("gpu_memory_utilization"), "nearest names listed: " + e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Vllm.defaults().with("usage_context", "cli"));
        assertTrue(e.getMessage().contains("server") && e.getMessage().contains("cli"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Vllm.defaults().withBlockSize(0));
        assertTrue(e.getMessage().contains("block_size"), e.getMessage());
    }

    @Test
    void should_reject_a_max_model_len_beyond_max_position_embeddings() {
        // llama-3.1-8b config: max_position_embeddings 131072
        Deployment d = Deployment.on(Catalog.gpu("h100-sxm")).withEngine(Vllm.defaults().withMaxModelLen(131_073));

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MemoryModel.estimate(Catalog.profile("llama-3.1-8b"), d, ANY));

        assertTrue(e.getMessage().contains("max_model_len") && e.getMessage().contains("131073") && e.getMessage().contains("131072"),
                e.getMessage());
    }

    @Test
    void should_default_to_the_models_max_position_embeddings() {
        KvPool pool = Vllm.defaults().reserve(Ranks.rank(80 * GIB, GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1), Ranks.llama8b(), ANY);
        assertEquals(131_072, pool.maxModelLen()); // llama-3.1-8b config: max_position_embeddings 131072
    }
}
