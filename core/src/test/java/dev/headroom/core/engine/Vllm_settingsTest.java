package dev.headroom.core.engine;

import static dev.headroom.core.base.Bytes.GIB;
import static dev.headroom.core.base.Bytes.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.Ranks;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.workload.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

/** vLLM's knobs as the user sets them and the defaults they resolve to on a rank (vllm/engine/arg_utils.py, vllm/config.py). */
class Vllm_settingsTest {
    private static final Workload ANY = Workload.of(1, 128, 128);

    @Test
    void should_report_the_max_model_len_as_set_and_none_when_auto_or_unset() {
        assertEquals(4096, Vllm.defaults().withMaxModelLen(4096).maxLength());
        assertNull(Vllm.defaults().maxLength(), "the model's own");
        assertNull(Vllm.defaults().with("max_model_len", "auto").maxLength(), "auto: fitted to the pool, not a fixed length");
        assertEquals(2048, Vllm.defaults().withMaxLength(2048).maxLength());
    }

    @Test
    void should_break_monotonicity_at_32k_only_while_max_num_batched_tokens_follows_the_length() {
        // V0 turns chunked prefill on above 32,768 unless max_num_batched_tokens is pinned
        assertEquals(List.of(Vllm.CHUNKED_PREFILL_ABOVE), Vllm.defaults().lengthBreakpoints());
        assertEquals(List.of(), Vllm.defaults().withMaxNumBatchedTokens(4096).lengthBreakpoints());
    }

    @Test
    void should_run_v1_when_asked_to_before_it_became_the_default() {
        // VLLM_USE_V1=1 opted into V1 before 0.8.0
        assertEquals(false, Vllm.at("0.7").v1());
        assertEquals(true, ((Vllm) Vllm.at("0.7").with("VLLM_USE_V1", "1")).v1());
    }

    @Test
    void should_take_the_large_v1_batch_defaults_from_exactly_70_gib() {
        // arg_utils.py get_batch_defaults: device_memory >= 70 GiB -> max_num_seqs 1,024, else 256
        Vllm v = Vllm.at("0.9.2");
        RankFacts at70 = Ranks.rank(70 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1);
        RankFacts below = Ranks.rank(70 * GIB - MIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1);

        assertEquals(1024, v.maxNumSeqs(at70));
        assertEquals(256, v.maxNumSeqs(below));
    }

    @Test
    void should_keep_communication_buffers_unless_every_rank_of_tp_x_pp_has_a_node_of_its_own() {
        // GIVEN TP2 x PP2 = 4 ranks holding 1.79 GiB of NCCL buffers each
        RankFacts base = Ranks.rank(80 * GIB, 16 * GIB, 131_072, DeviceMemory.COMMUNICATION_BYTES, new Ranks.FixedActivation(0), 0, 2);
        RankFacts rank = new RankFacts(base.gpu(), base.weightsBytes(), base.kv(), base.communicationBytes(), base.activation(), 0, 0,
                2, 2, true, base.weightsFormat());

        // THEN on 4 nodes no rank shares a node; on 2 nodes two ranks share each
        assertEquals(0, ((Vllm) Vllm.defaults().with("nnodes", "4")).communication(rank));
        assertEquals(DeviceMemory.COMMUNICATION_BYTES, ((Vllm) Vllm.defaults().with("nnodes", "2")).communication(rank));
    }

    @Test
    void should_cut_the_pool_into_blocks_of_block_size_and_budget_at_0_9_by_default() {
        RankFacts rank = Ranks.rank(80 * GIB, 16 * GIB, 131_072, 0, new Ranks.FixedActivation(GIB), 0, 1);

        KvPool pool = Vllm.at("0.9.2").withMaxModelLen(8192).withBlockSize(32).reserve(rank, Ranks.llama8b(), ANY);

        assertEquals(0.9, Vllm.defaults().gpuMemoryUtilization());
        assertEquals(32, pool.blockSize());
        assertEquals(pool.availableBytes() / (32L * 131_072), pool.blocks());
    }

    @Test
    void should_describe_the_engine_it_resolved_on_the_rank() {
        RankFacts h100 = Ranks.rank(Catalog.gpu("h100-sxm"), 16 * GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1);

        String v0Short = Vllm.at("0.7").withMaxModelLen(8192).describe(h100);
        String v0Long = Vllm.at("0.7").withMaxModelLen(65_536).describe(h100);
        String v1 = Vllm.at("0.9.2").describe(h100);

        // V0: 256 sequences; the batch is the length up to 32k, then 2,048 chunked tokens
        assertTrue(v0Short.startsWith("vllm@0.7.0:"), v0Short);
        assertTrue(v0Short.endsWith("; resolved: V0, max_num_seqs=256, max_num_batched_tokens=8192, chunked prefill off"), v0Short);
        assertTrue(v0Long.endsWith("; resolved: V0, max_num_seqs=256, max_num_batched_tokens=2048, chunked prefill on"), v0Long);
        // V1 on an H100 without a set length: the sequences only (the batch depends on the model's length)
        assertTrue(v1.endsWith("; resolved: V1, max_num_seqs=1024"), v1);
    }
}
