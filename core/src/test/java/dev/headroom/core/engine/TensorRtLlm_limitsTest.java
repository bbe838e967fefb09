package dev.headroom.core.engine;

import static dev.headroom.core.base.Bytes.GIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.Ranks;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Workload;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * TensorRT-LLM's build limits as they reach the KV pool: the default max_seq_len by runtime, the fp8 engine's
 * one-byte workspace, beams in the logits buffers, whole-block caps, and the batch manager's check that the pool
 * finishes one sequence (kvCacheManager.cpp: maxNumTokens >= beam_width x tokensPerBlock x maxBlocksPerSeq).
 */
class TensorRtLlm_limitsTest {
    private static final Workload ANY = Workload.of(1, 128, 128);

    private static RankFacts rank(long workspace, Precision weights) {
        RankFacts r = Ranks.rank(80 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(workspace), 0, 1);
        return new RankFacts(r.gpu(), r.weightsBytes(), r.kv(), 0, r.activation(), 0, 0, 1, 1, true, weights);
    }

    @Test
    void should_admit_the_build_max_seq_len_in_the_cpp_runtime_and_the_models_in_pytorch() {
        // trtllm-build's max_seq_len 2,048 (0.8 - 0.11); the PyTorch backend (1.0) takes the model's 131,072 positions
        assertEquals(2048, TensorRtLlm.at("0.11").reserve(rank(GIB, Precision.BF16), Ranks.llama8b(), ANY).maxModelLen());
        assertEquals(131_072, TensorRtLlm.at("1.0").reserve(rank(GIB, Precision.BF16), Ranks.llama8b(), ANY).maxModelLen());
    }

    @Test
    void should_halve_the_workspace_of_an_fp8_engine_but_not_of_a_weight_only_or_pytorch_one() {
        // GIVEN a 2 GiB bf16 workspace: an fp8 engine keeps the activations its GEMMs read in one byte
        long bf16 = 2 * GIB;

        long fp8Cpp = TensorRtLlm.at("0.11").reserve(rank(bf16, Precision.FP8), Ranks.llama8b(), ANY).activationBytes();
        long int4Cpp = TensorRtLlm.at("0.11").reserve(rank(bf16, Precision.INT4), Ranks.llama8b(), ANY).activationBytes();
        long fp8Torch = TensorRtLlm.at("1.0").reserve(rank(bf16, Precision.FP8), Ranks.llama8b(), ANY).activationBytes();

        assertEquals(GIB, fp8Cpp);
        assertEquals(bf16, int4Cpp, "int4 weight-only: 16-bit activations");
        assertEquals(bf16, fp8Torch, "the PyTorch backend profiles its own activations");
    }

    @Test
    void should_keep_logits_for_every_beam_and_charge_nccl_beside_the_context() {
        // GIVEN max_batch_size 8, 4 beams, a 128,256-token vocabulary and 1 GiB of NCCL buffers
        RankFacts base = Ranks.withVocab(Ranks.rank(80 * GIB, 16 * GIB, 131_072, GIB, new Ranks.FixedActivation(GIB), 0, 2), 128_256);

        KvPool pool = TensorRtLlm.at("0.11").withMaxBatchSize(8).with("max_beam_width", "4").reserve(base, Ranks.llama8b(), ANY);

        // THEN fp32 logits of 8 x 4 rows sit beside the 1 GiB workspace, and the context and NCCL are non-torch memory
        assertEquals(GIB + 8L * 4 * 4 * 128_256, pool.activationBytes());
        assertEquals(DeviceMemory.CUDA_CONTEXT_BYTES + GIB, pool.overheadBytes());
    }

    @Test
    void should_allocate_exactly_the_blocks_a_whole_block_cap_asks_for() {
        // GIVEN max_tokens_in_paged_kv_cache 6,400 = 100 blocks of 64 tokens
        KvPool pool = ((TensorRtLlm) TensorRtLlm.at("0.11").with("max_tokens_in_paged_kv_cache", "6400"))
                .reserve(rank(GIB, Precision.BF16), Ranks.llama8b(), ANY);

        assertEquals(6400, pool.tokens());
        assertEquals(100, pool.blocks(), "ceil(6,400 / 64), not one more");
        assertEquals(100L * 64 * 131_072, pool.kvBytes());
    }

    @Test
    void should_start_when_the_pool_holds_exactly_one_sequence_of_every_beam() {
        // GIVEN max_seq_len 4,096: one sequence is 64 blocks of 64 tokens = 4,096 tokens per beam
        TensorRtLlm t = TensorRtLlm.at("0.11").withMaxSeqLen(4096);

        KvPool exact = ((TensorRtLlm) t.with("max_tokens_in_paged_kv_cache", "4096")).reserve(rank(GIB, Precision.BF16), Ranks.llama8b(), ANY);
        KvPool shortByOneBlock = ((TensorRtLlm) t.with("max_tokens_in_paged_kv_cache", "4032"))
                .reserve(rank(GIB, Precision.BF16), Ranks.llama8b(), ANY);
        KvPool twoBeams = ((TensorRtLlm) t.with("max_tokens_in_paged_kv_cache", "4096").with("max_beam_width", "2"))
                .reserve(rank(GIB, Precision.BF16), Ranks.llama8b(), ANY);

        KvPool partBlock = ((TensorRtLlm) t.with("max_tokens_in_paged_kv_cache", "4050"))
                .reserve(rank(GIB, Precision.BF16), Ranks.llama8b(), ANY);

        assertNull(exact.refusal(), "4,096 >= 1 x 64 x 64");
        // the check counts whole blocks: 4,050 tokens make ceil(4,050 / 64) = 64 blocks = 4,096 tokens, enough
        assertNull(partBlock.refusal(), "64 whole blocks of 64 tokens hold the sequence");
        assertEquals(64, partBlock.blocks());
        assertEquals("max_seq_len", shortByOneBlock.refusal().knob());
        assertEquals(64L * 131_072, shortByOneBlock.shortfallBytes(), "one block of 64 tokens short");
        assertEquals("max_seq_len", twoBeams.refusal().knob(), "two beams need 8,192 tokens");
        assertEquals(4096L * 131_072, twoBeams.shortfallBytes());
    }

    @Test
    void should_report_what_the_weights_and_workspace_overrun_when_nothing_is_left() {
        // GIVEN 20 GiB, 16 GiB of weights and a 5 GiB workspace: free = 20 - 16 - 5 - 0.7 = -1.7 GiB
        RankFacts r = Ranks.rank(20 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(5 * GIB), 0, 1);

        KvPool pool = TensorRtLlm.at("0.11").reserve(r, Ranks.llama8b(), ANY);

        long free = 20 * GIB - 16 * GIB - 5 * GIB - DeviceMemory.CUDA_CONTEXT_BYTES;
        assertEquals(free, pool.availableBytes(), "a negative free is kept whole, not scaled by the fraction");
        assertEquals("free_gpu_memory_fraction", pool.refusal().knob());
        assertEquals(-free, pool.shortfallBytes());
        assertEquals(0, pool.tokens());
    }

    @Test
    void should_show_each_knob_as_set_or_as_the_builds_default() {
        Map<String, String> unset = TensorRtLlm.at("0.11").settings().stream()
                .collect(Collectors.toMap(Engine.Setting::name, Engine.Setting::value));
        TensorRtLlm set = ((TensorRtLlm) TensorRtLlm.at("0.11").withFreeGpuMemoryFraction(0.8).withMaxSeqLen(4096)
                .withTokensPerBlock(32).withMaxNumTokens(1024).with("backend", "pytorch"));
        Map<String, String> given = set.settings().stream().collect(Collectors.toMap(Engine.Setting::name, Engine.Setting::value));

        assertEquals("default", unset.get("free_gpu_memory_fraction"));
        assertEquals("build default", unset.get("max_num_tokens"));
        assertEquals("build default", unset.get("max_seq_len"));
        assertEquals("default", unset.get("backend"));
        assertEquals("64", unset.get("tokens_per_block"));
        assertEquals("0.8", given.get("free_gpu_memory_fraction"));
        assertEquals("1024", given.get("max_num_tokens"));
        assertEquals("4096", given.get("max_seq_len"));
        assertEquals("32", given.get("tokens_per_block"));
        assertEquals("pytorch", given.get("backend"));
        assertEquals(4096, set.maxLength());
        assertNull(TensorRtLlm.at("0.11").maxLength());
    }

    @Test
    void should_describe_the_runtime_fraction_batch_and_workspace_it_resolved() {
        RankFacts r = rank(GIB, Precision.BF16);

        String cpp = TensorRtLlm.at("0.11").describe(r);
        String torch = ((TensorRtLlm) TensorRtLlm.at("0.11").withFreeGpuMemoryFraction(0.8).with("backend", "pytorch")).describe(r);

        assertTrue(cpp.endsWith("; resolved: C++ runtime, free_gpu_memory_fraction=0.9, max_batch_size=256, workspace for 8192 tokens"), cpp);
        assertTrue(torch.endsWith("; resolved: PyTorch backend, free_gpu_memory_fraction=0.8, max_batch_size=256, workspace for 8192 tokens"),
                torch);
    }
}
