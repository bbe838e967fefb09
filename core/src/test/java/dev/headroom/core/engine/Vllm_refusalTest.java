package dev.headroom.core.engine;

import static dev.headroom.core.base.Bytes.GIB;
import static dev.headroom.core.base.Bytes.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.Ranks;
import dev.headroom.core.workload.Workload;
import org.junit.jupiter.api.Test;

/**
 * Why vLLM refuses to start, with the figures its error gives: no memory for the cache blocks, a max_model_len one
 * request cannot fill (kv_cache_utils.py check_enough_kv_cache_memory), or the sampler warm-up after the KV cache
 * (gpu_worker.py compile_or_warm_up_model); and the profile-run activation those budgets are left by.
 */
class Vllm_refusalTest {
    private static final Workload ANY = Workload.of(1, 128, 128);

    private static Vllm vllm(String version, String... knobs) {
        Engine e = Vllm.at(version);
        for (int i = 0; i < knobs.length; i += 2) {
            e = e.with(knobs[i], knobs[i + 1]);
        }
        return (Vllm) e;
    }

    @Test
    void should_give_the_bytes_one_request_needs_and_the_longest_length_that_fits() {
        // GIVEN vLLM 0.2.5 (charges the 0.7 GiB context), 80 GiB at utilization 0.25, 16 GiB of weights, a 2 GiB
        // activation: 20 - 16 - 2 - 0.7 = 1.30 GiB for blocks of 16 x 128 KiB = 2 MiB, i.e. 665 blocks (10,640 tokens)
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(2 * GIB), 0, 1);
        Vllm v = vllm("0.2.5", "gpu_memory_utilization", "0.25", "max_model_len", "131072");

        KvPool pool = v.reserve(rank, Ranks.llama8b(), ANY);

        // THEN one 131,072-token request needs 8,192 blocks = 16 GiB, and the longest that fits is 665 x 16 tokens
        long available = (long) Math.ceil(80 * GIB * 0.25) - 16 * GIB - 2 * GIB - DeviceMemory.CUDA_CONTEXT_BYTES;
        assertEquals(available, pool.availableBytes());
        assertEquals(665, pool.blocks());
        assertEquals("max_model_len", pool.refusal().knob());
        assertEquals(16 * GIB - available, pool.shortfallBytes());
        assertTrue(pool.refusal().reason().contains("(131072), 16.00 GiB KV cache is needed, which is larger than the available "
                + "KV cache memory (1.30 GiB); the estimated maximum model length is 10640"), pool.refusal().reason());
        assertTrue(pool.kvBytes() > 0, "the pool exists; it is too short");
    }

    @Test
    void should_report_no_blocks_when_the_budget_is_spent_even_with_a_block_count_override() {
        // GIVEN num_gpu_blocks_override 100, but weights beyond total x utilization: vLLM raises before it sizes any pool
        RankFacts rank = Ranks.rank(80 * GIB, 30 * GIB, 131_072, 0, new Ranks.FixedActivation(GIB), 0, 1);
        Vllm v = vllm("0.9.2", "gpu_memory_utilization", "0.25", "max_model_len", "8192", "num_gpu_blocks_override", "100");

        KvPool pool = v.reserve(rank, Ranks.llama8b(), ANY);

        assertEquals("gpu_memory_utilization", pool.refusal().knob());
        assertEquals(0, pool.blocks());
        assertEquals(0, pool.tokens());
        assertEquals(0, pool.kvBytes());
    }

    @Test
    void should_give_the_memory_the_sampler_warm_up_lacks() {
        // GIVEN vLLM 0.10 on 80 GiB at utilization 0.9 with a 256,000-token vocabulary: the warm-up samples 1,024 dummy
        // requests (max_num_seqs on a >= 70 GiB GPU) after the KV cache, in what 0.9 leaves less the uncharged context
        RankFacts rank = Ranks.withVocab(Ranks.rank(80 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(GIB), 0, 1), 256_000);
        Vllm v = vllm("0.10.0", "max_model_len", "8192");

        KvPool pool = v.reserve(rank, Ranks.llama8b(), ANY);

        // THEN it needs the graphs (51 sizes up to 512 x one layer) and 1,024 x 39 B x 256,000 of sampler buffers (9.52 GiB)
        long headroom = 80 * GIB - (long) Math.ceil(80 * GIB * 0.9) - DeviceMemory.CUDA_CONTEXT_BYTES;
        long need = 51 * DeviceMemory.CUDA_GRAPH_BYTES_PER_LAYER + 1024L * 39 * 256_000;
        assertEquals("max_num_seqs", pool.refusal().knob());
        assertEquals(need - headroom, pool.shortfallBytes());
        assertTrue(pool.kvBytes() > 0, "the KV cache was allocated before the warm-up failed");
    }

    @Test
    void should_profile_only_the_forward_in_v0_with_chunked_prefill_and_the_larger_of_it_and_the_sampler_otherwise() {
        // GIVEN a 128,256-token vocabulary and a 1 GiB forward pass; at max_model_len 65,536 V0 chunks prefill (2,048 tokens)
        RankFacts rank = Ranks.withVocab(Ranks.rank(80 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(GIB), 0, 1), 128_256);

        KvPool chunked = vllm("0.7", "max_model_len", "65536").reserve(rank, Ranks.llama8b(), ANY);
        KvPool v1 = vllm("0.9.2", "max_model_len", "65536").reserve(rank, Ranks.llama8b(), ANY);

        // THEN V0 chunked: the forward and the fp32 logits of 256 rows, 1 GiB + 256 x 4 x 128,256 (memory.csv M06/M15 show
        // no sampler peak there), though the sampler's 256 x 39 x 128,256 = 1.19 GiB is larger
        assertEquals(GIB + 256L * 4 * 128_256, chunked.activationBytes());
        // V1 on 80 GiB: 1,024 rows; the sampler's 1,024 x 39 x 128,256 = 4.77 GiB exceeds 1 GiB + 0.49 GiB of logits
        assertEquals(1024L * 39 * 128_256, v1.activationBytes());
    }

    @Test
    void should_call_the_sampler_dominant_only_when_it_outgrows_the_forward_and_its_logits() {
        // GIVEN vLLM 0.9.2 on 80 GiB: 1,024 sampled rows of a 128,256 vocabulary: sampler 1,024 x 39 x 128,256 = 5,122,031,616 B,
        // logits 1,024 x 4 x 128,256 = 525,336,576 B
        Vllm v = vllm("0.9.2");
        RankFacts small = Ranks.withVocab(Ranks.rank(80 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(100 * MIB), 0, 1), 128_256);
        // a 5 GiB forward: 5,368,709,120 + 525,336,576 > 5,122,031,616, though the forward alone minus the logits is below it
        RankFacts large = Ranks.withVocab(Ranks.rank(80 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(5 * GIB), 0, 1), 128_256);

        assertEquals(39, Vllm.samplerBytesPerLogit());
        assertTrue(Vllm.samplerDominates(v, small, 8192));
        assertFalse(Vllm.samplerDominates(v, large, 8192));
        // V0 without chunked prefill samples 256 rows: 1.28 GB, still above a 100 MiB forward
        assertTrue(Vllm.samplerDominates(vllm("0.7"), small, 8192));
        // V0 with chunked prefill shows no sampler peak; other engines have no such term
        assertFalse(Vllm.samplerDominates(vllm("0.7"), small, 65_536));
        assertFalse(Vllm.samplerDominates(Sglang.defaults(), small, 8192));
    }
}
