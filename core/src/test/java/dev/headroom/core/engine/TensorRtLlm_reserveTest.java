package dev.headroom.core.engine;

import static dev.headroom.core.base.Bytes.GIB;
import static dev.headroom.core.base.Bytes.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.Ranks;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.workload.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TensorRT-LLM: free_gpu_memory_fraction of what weights, the build's workspace and runtime buffers leave, in blocks. */
class TensorRtLlm_reserveTest {
    private static final Workload ANY = Workload.of(1, 128, 128);

    @Test
    void should_give_the_paged_pool_a_fraction_of_the_free_memory_in_blocks() {
        // GIVEN 80 GiB, weights 16 GiB, a 3 GiB workspace, the context: free = 80 - 16 - 3 - 0.7 GiB
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(3 * GIB), 0, 1);

        KvPool pool = TensorRtLlm.at("0.11").withFreeGpuMemoryFraction(0.9).reserve(rank, Ranks.llama8b(), ANY);

        long free = 80 * GIB - 16 * GIB - 3 * GIB - DeviceMemory.CUDA_CONTEXT_BYTES;
        long maxTokens = (long) Math.floor(free * 0.9) / 131_072;
        assertEquals(maxTokens, pool.tokens(), "the log's token count is maxTokens");
        assertEquals((maxTokens + 63) / 64, pool.blocks(), "blocks = ceil(maxTokens / tokens_per_block)");
        assertEquals(pool.blocks() * 64 * 131_072, pool.kvBytes());
    }

    @ParameterizedTest(name = "TensorRT-LLM {0}: fraction {1}, workspace {2} tokens")
    @CsvSource({
            // 0.5 build.py: batch 8 x input 2048 packed; C++ KvCacheConfig 0.85
            "0.5, 0.85, 16384",
            // 0.8 trtllm-build: batch 256 x input 1024; 0.11: max_num_tokens 8192; the Executor's 0.9
            "0.8, 0.85, 262144", "0.11, 0.9, 8192"})
    void should_take_the_build_and_runtime_defaults_of_the_release(String version, double fraction, long tokens) {
        Ranks.FixedActivation act = new Ranks.FixedActivation(GIB);
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, 0, act, 0, 1);

        KvPool pool = TensorRtLlm.at(version).reserve(rank, Ranks.llama8b(), ANY);

        assertEquals(tokens, act.calls.get(0));
        long free = 80 * GIB - 16 * GIB - GIB - DeviceMemory.CUDA_CONTEXT_BYTES;
        assertEquals((long) Math.floor(free * fraction), pool.availableBytes());
    }

    @Test
    void should_refuse_when_the_pool_holds_less_than_one_sequence_of_max_seq_len() {
        // triton-inference-server/tensorrtllm_backend#366 (found/memory.csv PT004): maxTokensInPagedKvCache must exceed
        // beam x tokens_per_block x max_blocks_per_seq
        RankFacts rank = Ranks.rank(20 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(GIB), 0, 1);

        KvPool pool = TensorRtLlm.at("0.8").withMaxSeqLen(32_768).reserve(rank, Ranks.llama8b(), ANY);

        assertEquals("max_seq_len", pool.refusal().knob());
        assertTrue(pool.tokens() < 32_768);
    }

    @Test
    void should_reserve_batch_times_max_seq_len_for_a_static_cache() {
        TensorRtLlm statik = TensorRtLlm.defaults().withPaged(false).withMaxSeqLen(4096).withMaxBatchSize(8);
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(3 * GIB), 0, 1);

        KvPool pool = statik.reserve(rank, Ranks.llama8b(), ANY);

        assertEquals(8 * 512 * MIB, pool.kvBytes(), "8 slots x 4096 tokens x 131,072 B");
        assertEquals(8L * 4096, pool.tokens());
        assertTrue(pool.starts());
        KvPool big = statik.withMaxBatchSize(256).reserve(rank, Ranks.llama8b(), ANY);
        assertEquals("max_batch_size", big.refusal().knob(), "256 x 512 MiB does not fit 80 GiB");
    }

    @Test
    void should_reject_bad_knobs_naming_them() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TensorRtLlm.defaults().withFreeGpuMemoryFraction(0));
        assertTrue(e.getMessage().contains("free_gpu_memory_fraction"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> TensorRtLlm.defaults().withTokensPerBlock(0));
        assertTrue(e.getMessage().contains("tokens_per_block"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> TensorRtLlm.defaults().with("backend", "onnx"));
        assertTrue(e.getMessage().contains("backend") && e.getMessage().contains("pytorch"), e.getMessage());
    }
}
