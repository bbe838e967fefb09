package dev.headroom.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.memory.MemoryModel;
import dev.headroom.core.model.ModelProfile;
import org.junit.jupiter.api.Test;

/**
 * vLLM's defaults and charges by release, each against the source line VllmRelease cites: V1's batch defaults by GPU
 * size (vllm/engine/arg_utils.py get_batch_defaults), CUDA-graph capture sizes (vllm/config.py, model_runner.py), what
 * non-torch memory each profiling scheme charges, and the KV budget ceil(total x gpu_memory_utilization) - charges.
 */
class Vllm_rulesTest {
    private static final ModelProfile LLAMA_8B = Catalog.profile("llama-3.1-8b");

    private static RankFacts rank(String gpu, int tp, Engine e) {
        Deployment d = new Deployment(Catalog.gpu(gpu), tp, tp, 1, 1, null, null, e);
        return MemoryModel.compile(LLAMA_8B, d).stages().get(0).rank();
    }

    @Test
    void should_pick_v1s_batch_defaults_by_gpu_size_and_usage_context() {
        Vllm v = Vllm.at("0.9.2").withMaxModelLen(8192);
        // H100 (80 GB): 8,192 tokens (server) or 16,384 (LLM class), 1,024 sequences
        RankFacts h100 = rank("h100-sxm", 1, v);
        assertEquals(8192, v.maxNumBatchedTokens(h100, 8192));
        assertEquals(16_384, ((Vllm) v.with("usage_context", "llm")).maxNumBatchedTokens(h100, 8192));
        assertEquals(1024, v.maxNumSeqs(h100));
        // A100 80 GB: excluded from the large defaults since PR #17885 (0.9.0), but not in 0.8.0
        RankFacts a100 = rank("a100-80gb", 1, v);
        assertEquals(2048, v.maxNumBatchedTokens(a100, 8192));
        assertEquals(8192, ((Vllm) v.with("usage_context", "llm")).maxNumBatchedTokens(a100, 8192));
        assertEquals(256, v.maxNumSeqs(a100));
        Vllm v080 = Vllm.at("0.8.0").withMaxModelLen(8192);
        assertEquals(1024, v080.maxNumSeqs(rank("a100-80gb", 1, v080)));
        // a 24 GB card: the small defaults
        RankFacts l4 = rank("l4", 1, v);
        assertEquals(256, v.maxNumSeqs(l4));
        // as set wins
        assertEquals(100, v.withMaxNumSeqs(100).maxNumSeqs(h100));
        assertEquals(4096, v.withMaxNumBatchedTokens(4096).maxNumBatchedTokens(h100, 8192));
    }

    @Test
    void should_batch_v0_by_max_model_len_or_2048_with_chunked_prefill_beyond_32k() {
        Vllm v0 = Vllm.at("0.6.4");
        RankFacts r = rank("h100-sxm", 1, v0.withMaxModelLen(8192));
        assertFalse(v0.v1());
        assertFalse(v0.chunkedPrefill(32_768));
        assertTrue(v0.chunkedPrefill(32_769), "on by itself above 32k from 0.6.4");
        assertFalse(Vllm.at("0.2.5").chunkedPrefill(100_000), "not before 0.6.4");
        assertTrue(((Vllm) v0.with("enable_chunked_prefill", "true")).chunkedPrefill(1024));
        assertFalse(((Vllm) v0.with("enable_chunked_prefill", "false")).chunkedPrefill(100_000));
        assertEquals(8192, v0.maxNumBatchedTokens(r, 8192));
        assertEquals(2048, v0.maxNumBatchedTokens(r, 1024), "at least 2,048");
        assertEquals(2048, v0.maxNumBatchedTokens(r, 65_536), "chunked: 2,048");
        assertEquals(256, v0.maxNumSeqs(r));
        assertTrue(Vllm.at("0.9.2").chunkedPrefill(10), "always in V1");
        assertFalse(((Vllm) Vllm.at("0.9.2").with("v1", "false")).v1());
        assertThrows(InvalidInputException.class, () -> ((Vllm) Vllm.at("0.11.0").with("v1", "false")).v1(), "V0 removed in 0.11");
    }

    @Test
    void should_capture_one_graph_per_batch_size_vllm_lists() {
        // V0: [1, 2, 4] + [8, 16, ... max_num_seqs]
        Vllm v0 = Vllm.at("0.6.4");
        assertEquals(3 + 256 / 8, v0.cudaGraphCount(256));
        assertEquals(3 + 1, v0.cudaGraphCount(8));
        // V1: [1, 2, 4] + range(8, 256, 8) + range(256, cap + 1, 16), cap = min(2 x seqs, 512)
        Vllm v1 = Vllm.at("0.9.2");
        assertEquals(3 + 31 + (512 - 256) / 16 + 1, v1.cudaGraphCount(256), "cap 512: 3 + 31 + 17");
        assertEquals(3 + 31 + 1, v1.cudaGraphCount(128), "cap 256: 256 itself");
        assertEquals(3 + 2, v1.cudaGraphCount(8), "cap 16: 1, 2, 4, 8, 16");
        assertEquals(2, v1.cudaGraphCount(1), "cap 2: 1 and 2");
        assertEquals(3 + 3, ((Vllm) v1.with("max_cudagraph_capture_size", "24")).cudaGraphCount(1024));
        assertEquals(0, ((Vllm) v1.with("enforce_eager", "true")).cudaGraphCount(1024));
        // and their pools: graphs x layers x 0.92 MiB
        RankFacts r = rank("h100-sxm", 1, v1);
        assertEquals((long) v1.cudaGraphCount(256) * 32 * DeviceMemory.CUDA_GRAPH_BYTES_PER_LAYER, v1.cudaGraphBytes(r, 256));
    }

    @Test
    void should_charge_the_non_torch_memory_each_profiling_scheme_sees() {
        Vllm v = Vllm.at("0.9.2");
        RankFacts tp2 = rank("h100-sxm", 2, v);
        long comm = tp2.communicationBytes();
        assertTrue(comm > 0, "NCCL buffers at TP2");
        assertEquals(DeviceMemory.CUDA_CONTEXT_BYTES + comm, v.chargedNonTorch(tp2, VllmRelease.Accounting.DEVICE_USED));
        assertEquals(DeviceMemory.CUDA_CONTEXT_BYTES + comm, v.chargedNonTorch(tp2, VllmRelease.Accounting.V1_DEVICE_MINUS_ALLOCATED));
        assertEquals(Vllm.NON_TORCH_AT_0_6_4 + comm, v.chargedNonTorch(tp2, VllmRelease.Accounting.TORCH_PEAK_PLUS_NON_TORCH));
        assertEquals(Vllm.NON_TORCH_AT_0_6_5 + comm, v.chargedNonTorch(tp2, VllmRelease.Accounting.INCREASE_INCLUDING_CONTEXT));
        assertEquals(Vllm.NON_TORCH_LIBRARIES + comm, v.chargedNonTorch(tp2, VllmRelease.Accounting.INCREASE_SINCE_START));
        assertEquals(Vllm.NON_TORCH_LIBRARIES, v.chargedNonTorch(tp2, VllmRelease.Accounting.INCREASE_AFTER_DISTRIBUTED));
        // what is there but not charged
        assertEquals(0, v.unchargedNonTorch(tp2, VllmRelease.Accounting.DEVICE_USED));
        assertEquals(0, v.unchargedNonTorch(tp2, VllmRelease.Accounting.INCREASE_INCLUDING_CONTEXT));
        assertEquals(DeviceMemory.CUDA_CONTEXT_BYTES, v.unchargedNonTorch(tp2, VllmRelease.Accounting.INCREASE_SINCE_START));
        assertEquals(DeviceMemory.CUDA_CONTEXT_BYTES + comm, v.unchargedNonTorch(tp2, VllmRelease.Accounting.INCREASE_AFTER_DISTRIBUTED));
        // one rank per node across nodes: no intra-node buffers
        Vllm twoNodes = (Vllm) v.with("nnodes", "2");
        assertEquals(0, twoNodes.communication(tp2));
        assertEquals(comm, v.communication(tp2));
    }

    @Test
    void should_leave_the_kv_cache_what_the_budget_has_after_the_charges() {
        Vllm v = Vllm.at("0.9.2").withMaxModelLen(8192);
        RankFacts r = rank("h100-sxm", 1, v);

        KvPool pool = v.reserve(r, LLAMA_8B.spec(), null);

        // budget = ceil(85,061,827,297 x 0.9) (the H100's reported total); available = budget - all charges
        long budget = (long) Math.ceil(85_061_827_297L * 0.9);
        assertEquals(85_061_827_297L, r.visibleMemoryBytes());
        assertEquals(budget, pool.budgetBytes());
        assertEquals(budget - pool.charges().total(), pool.availableBytes());
        assertEquals(r.weightsBytes() + r.rotaryCacheBytes(), pool.weightsBytes());
        assertEquals(Vllm.NON_TORCH_LIBRARIES, pool.overheadBytes(),
                "0.9.2 charges the libraries only: the context sits before the baseline");
        assertEquals(0, pool.cudaGraphBytes(), "graphs are not deducted before 0.21");
        // whole blocks of 16 tokens x 131,072 B
        assertEquals(16, pool.blockSize());
        assertEquals(pool.availableBytes() / (16 * 131_072L), pool.blocks());
        assertEquals(pool.blocks() * 16 * 131_072L, pool.kvBytes());
        assertEquals(pool.blocks() * 16, pool.tokens());
        assertEquals(8192, pool.maxModelLen());
        assertEquals(1024, pool.maxSequences());
        assertTrue(pool.starts());
        // at 0.21 the graphs are deducted from the budget
        Vllm v21 = Vllm.at("0.21.0").withMaxModelLen(8192);
        KvPool p21 = v21.reserve(rank("h100-sxm", 1, v21), LLAMA_8B.spec(), null);
        assertEquals(v21.cudaGraphBytes(rank("h100-sxm", 1, v21)), p21.cudaGraphBytes());
        // kv_cache_memory as set replaces the computed budget
        KvPool fixed = ((Vllm) v.with("kv_cache_memory", "10000000000")).reserve(r, LLAMA_8B.spec(), null);
        assertEquals(10_000_000_000L, fixed.availableBytes());
        KvPool override = ((Vllm) v.with("num_gpu_blocks_override", "100")).reserve(r, LLAMA_8B.spec(), null);
        assertEquals(100, override.blocks());
    }

    @Test
    void should_refuse_to_start_when_the_charges_take_the_whole_budget_or_one_request_does_not_fit() {
        Vllm v = Vllm.at("0.9.2").withMaxModelLen(8192).withGpuMemoryUtilization(0.2);
        RankFacts r = rank("h100-sxm", 1, v);

        KvPool none = v.reserve(r, LLAMA_8B.spec(), null);

        // 0.2 x 79 GiB = 15.8 GiB < 16 GB of weights
        assertFalse(none.starts());
        assertTrue(none.availableBytes() < 0);
        assertEquals(-none.availableBytes() + 1, none.shortfallBytes());
        assertEquals(0, none.kvBytes());
        assertEquals(0, none.tokens());
        assertEquals("gpu_memory_utilization", none.refusal().knob());

        // a budget that holds less than one 131,072-token request
        Vllm longCtx = Vllm.at("0.9.2").withMaxModelLen(131_072).withGpuMemoryUtilization(0.3);
        KvPool tooShort = longCtx.reserve(rank("h100-sxm", 1, longCtx), LLAMA_8B.spec(), null);
        assertFalse(tooShort.starts());
        assertEquals("max_model_len", tooShort.refusal().knob());
        assertTrue(tooShort.kvBytes() > 0, "the pool exists; it is too short");
        assertTrue(tooShort.refusal().reason().contains("the estimated maximum model length is " + tooShort.longestRequest(131_072)),
                tooShort.refusal().reason());
        // auto: the longest max_model_len the pool holds
        Vllm auto = (Vllm) Vllm.at("0.9.2").withGpuMemoryUtilization(0.3).with("max_model_len", "auto");
        KvPool fitted = auto.reserve(rank("h100-sxm", 1, auto), LLAMA_8B.spec(), null);
        assertTrue(fitted.starts());
        assertEquals(fitted.longestRequest(131_072), fitted.maxModelLen());
        assertTrue(fitted.maxModelLen() < 131_072);
    }
}
