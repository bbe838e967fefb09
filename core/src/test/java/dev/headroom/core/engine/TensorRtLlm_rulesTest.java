package dev.headroom.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.memory.MemoryModel;
import dev.headroom.core.model.ModelProfile;
import org.junit.jupiter.api.Test;

/**
 * TensorRT-LLM's KV rule (kvCacheManager.cpp calculateMaxNumBlocks): free memory after weights, the activation
 * workspace, runtime buffers and the context, times free_gpu_memory_fraction, in blocks of tokens_per_block; the build
 * defaults by release are TensorRtLlmRelease's.
 */
class TensorRtLlm_rulesTest {
    private static final ModelProfile LLAMA_8B = Catalog.profile("llama-3.1-8b");

    private static RankFacts rank(Engine e) {
        Deployment d = new Deployment(Catalog.gpu("h100-sxm"), 1, 1, 1, 1, null, null, e);
        return MemoryModel.compile(LLAMA_8B, d).stages().get(0).rank();
    }

    @Test
    void should_take_each_releases_build_defaults() {
        assertEquals(8, TensorRtLlm.at("0.5").batch());
        assertEquals(8L * 2048, TensorRtLlm.at("0.5").workspaceTokens(), "max_batch_size x max_input_len");
        assertEquals(256L * 1024, TensorRtLlm.at("0.8").workspaceTokens());
        assertEquals(8192, TensorRtLlm.at("0.11").workspaceTokens(), "max_num_tokens 8192 from 0.11");
        assertEquals(4096, TensorRtLlm.at("0.11").withMaxNumTokens(4096).workspaceTokens());
        assertEquals(64L * 1024, TensorRtLlm.at("0.8").withMaxBatchSize(64).workspaceTokens());
        assertEquals(2048, TensorRtLlm.at("1.0").batch());
        assertTrue(TensorRtLlm.at("1.0").pytorch());
        assertFalse(TensorRtLlm.at("0.11").pytorch());
        assertTrue(((TensorRtLlm) TensorRtLlm.at("0.11").with("backend", "PyTorch")).pytorch());
        assertEquals(8192 + 1000, TensorRtLlm.at("0.11").heldTokensPerRequest(8192, 1000), "the whole output is reserved");
        assertEquals(8192, TensorRtLlm.at("0.11").tokensPerStep(LLAMA_8B.spec(), Catalog.gpu("h100-sxm")));
    }

    @Test
    void should_give_the_kv_cache_a_fraction_of_what_is_free_in_whole_blocks() {
        TensorRtLlm t = TensorRtLlm.at("0.11").withMaxSeqLen(4096);
        RankFacts r = rank(t);

        KvPool p = t.reserve(r, LLAMA_8B.spec(), null);

        // free = visible - weights - workspace - buffers - context; 90% of it; tokens of 131,072 B; blocks of 64 tokens
        long free = r.visibleMemoryBytes() - p.charges().total();
        long share = (long) Math.floor(free * 0.9);
        assertEquals(share, p.availableBytes());
        long tokens = share / 131_072;
        assertEquals(tokens, p.tokens());
        assertEquals((tokens + 63) / 64, p.blocks());
        assertEquals(p.blocks() * 64 * 131_072, p.kvBytes());
        assertEquals(256, p.maxSequences());
        assertEquals(4096, p.maxModelLen());
        assertEquals(DeviceMemory.CUDA_CONTEXT_BYTES, p.overheadBytes(), "one GPU: the context only");
        assertEquals(r.weightsBytes(), p.weightsBytes());
        assertTrue(p.starts());
        // the fraction as set
        KvPool half = t.withFreeGpuMemoryFraction(0.5).reserve(r, LLAMA_8B.spec(), null);
        assertEquals((long) Math.floor(free * 0.5), half.availableBytes());
        // a cap on the pool's tokens
        KvPool capped = ((TensorRtLlm) t.with("max_tokens_in_paged_kv_cache", "1000")).reserve(r, LLAMA_8B.spec(), null);
        assertEquals(1000, capped.tokens());
        assertEquals((1000 + 63) / 64, capped.blocks());
    }

    @Test
    void should_reserve_max_batch_size_times_max_seq_len_for_a_static_cache() {
        TensorRtLlm t = TensorRtLlm.at("0.11").withMaxSeqLen(4096).withMaxBatchSize(8).withPaged(false);
        KvPool p = t.reserve(rank(t), LLAMA_8B.spec(), null);

        assertEquals(8L * 4096 * 131_072, p.kvBytes());
        assertEquals(8L * 4096, p.tokens());
        assertEquals(8, p.blocks());
        assertEquals(8, p.sequencesOf(4096));
        assertEquals(0, p.sequencesOf(4097), "one slot holds at most max_seq_len");
        assertTrue(p.starts());
        KvPool tooMany = t.withMaxBatchSize(200).reserve(rank(t), LLAMA_8B.spec(), null);
        assertFalse(tooMany.starts());
        assertEquals("max_batch_size", tooMany.refusal().knob());
    }

    @Test
    void should_refuse_a_pool_that_cannot_finish_one_sequence_in_the_cpp_runtime() {
        // a 131,072-token max_seq_len with only 1,000 tokens allowed in the pool
        TensorRtLlm t = ((TensorRtLlm) TensorRtLlm.at("0.11").withMaxSeqLen(131_072).with("max_tokens_in_paged_kv_cache", "1000"));
        KvPool p = t.reserve(rank(t), LLAMA_8B.spec(), null);

        assertFalse(p.starts());
        assertEquals("max_seq_len", p.refusal().knob());
        // beam 1 x 64 tokens per block x 2,048 blocks per sequence, less the 1,000 tokens' 16 whole blocks (1,024 tokens:
        // kvCacheManager.cpp counts blocks x tokens per block), at 131,072 B each
        assertEquals((131_072L - 1024) * 131_072, p.shortfallBytes());
        // the PyTorch backend has no such check
        TensorRtLlm torch = (TensorRtLlm) t.with("backend", "pytorch");
        assertTrue(torch.reserve(rank(torch), LLAMA_8B.spec(), null).starts());
    }
}
