package dev.headroom.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.KvPool;
import dev.headroom.core.engine.Refusal;
import dev.headroom.core.engine.Sglang;
import dev.headroom.core.engine.Transformers;
import dev.headroom.core.engine.Vllm;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.model.Tensor;
import dev.headroom.core.model.TensorRole;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Workload;
import org.junit.jupiter.api.Test;

/**
 * How a split places weights and which rank binds: routed experts shared out by expert parallelism, attention kept whole
 * on every attention-DP rank, the rotary table of latent attention, and the stage whose pool is smallest (or that
 * refuses) deciding the capacity.
 */
class MemoryModel_splitTest {
    private static final ModelProfile LLAMA_8B = Catalog.profile("llama-3.1-8b");

    @Test
    void should_hold_the_same_share_of_the_experts_under_expert_or_tensor_parallelism_over_two_gpus() {
        // GIVEN Mixtral-8x7B (8 experts) on two H100s: EP2 gives each GPU 4 whole experts, TP2 half of each of the 8
        ModelProfile mixtral = Catalog.profile("mixtral-8x7b");
        Vllm v = Vllm.at("0.9.2").withMaxModelLen(8192);

        long ep = MemoryModel.compile(mixtral, new Deployment(Catalog.gpu("h100-sxm"), 2, 2, 1, 2, null, null, v)).stages().get(0).rank()
                .weightsBytes();
        long tp = MemoryModel.compile(mixtral, new Deployment(Catalog.gpu("h100-sxm"), 2, 2, 1, 1, null, null, v)).stages().get(0).rank()
                .weightsBytes();

        // THEN the same bytes per GPU: half of an even number of expert parameters either way
        assertEquals(tp, ep);
    }

    @Test
    void should_keep_whole_attention_on_every_attention_dp_rank() {
        // GIVEN Llama-3.1-8B on two GPUs at TP2, with and without SGLang's --enable-dp-attention
        Sglang s = Sglang.at("0.4.9").withMemFractionStatic(0.8);
        Deployment tp2 = new Deployment(Catalog.gpu("h100-sxm"), 2, 2, 1, 1, false, null, null, s);
        Deployment dp = new Deployment(Catalog.gpu("h100-sxm"), 2, 2, 1, 1, true, null, null, s);

        long split = MemoryModel.compile(LLAMA_8B, tp2).stages().get(0).rank().weightsBytes();
        long whole = MemoryModel.compile(LLAMA_8B, dp).stages().get(0).rank().weightsBytes();

        // THEN each rank holds the other half of every attention projection too (bf16, 2 B per value)
        long otherHalves = 0;
        for (Tensor t : LLAMA_8B.tensors()) {
            if (t.role() == TensorRole.ATTENTION) {
                otherHalves += Precision.BF16.bytesFor(t.params()) - Precision.BF16.bytesFor(t.paramsPerRank(2));
            }
        }
        assertTrue(otherHalves > 0);
        assertEquals(split + otherHalves, whole);
    }

    @Test
    void should_count_each_attention_dp_groups_requests_in_the_verdict() {
        // GIVEN attention DP over TP2: two groups each run their own batch beside one pool per rank
        Deployment dp = new Deployment(Catalog.gpu("h100-sxm"), 2, 2, 1, 1, true, null, null, Sglang.at("0.4.9").withMemFractionStatic(0.8)
                .withContextLength(8192));

        MemoryEstimate m = MemoryModel.estimate(LLAMA_8B, dp, Workload.of(100_000, 8000, 192));

        // THEN the pool's whole sequences of 8,192 tokens count twice
        long held = m.pool().sequencesOf(8192);
        assertEquals(MemoryEstimate.Limit.KV_CACHE, m.limit());
        assertEquals(String.format("the KV pool holds %,d sequences of 8,192 tokens, fewer than the batch of 100000", 2 * held), m.verdict());
        assertEquals(2 * held, m.maxConcurrency());
    }

    @Test
    void should_build_the_rotary_table_of_latent_attention_at_its_rope_width() {
        // DeepSeek-V2-Lite: the rotary part of each head is qk_rope_head_dim 64 wide: 163,840 positions x 64 x 2 B
        ModelProfile lite = Catalog.profile("deepseek-v2-lite");

        MemoryProfile p = MemoryModel.compile(lite, Deployment.on(Catalog.gpu("h100-sxm")).withEngine(Vllm.at("0.9.2").withMaxModelLen(8192)));

        assertEquals((long) lite.spec().maxPositions() * 64 * 2, p.rotaryBytes());
    }

    @Test
    void should_let_the_stage_with_the_fewest_blocks_bind_a_pipeline() {
        // GIVEN Llama-3.1-8B over PP2: the last stage also holds lm_head and computes the logits
        MemoryProfile p = MemoryModel.compile(LLAMA_8B, new Deployment(Catalog.gpu("h100-sxm"), 2, 1, 2, 1, null, null,
                Vllm.at("0.9.2").withMaxModelLen(8192)));
        long first = p.stages().get(0).pool().blocks();
        long last = p.stages().get(1).pool().blocks();

        assertNotEquals(first, last, "the stages differ");
        assertEquals(Math.min(first, last), p.bindingStage().pool().blocks());
        assertEquals(Math.min(first, last), MemoryModel.estimate(p, Workload.of(1, 1024, 256)).kvCacheBlocks());
    }

    @Test
    void should_let_a_refusing_stage_bind_before_any_smaller_pool() {
        KvPool.Charges none = new KvPool.Charges(0, 0, 0, 0);
        KvPool small = new KvPool(none, 0, 1, 1, 10, 10, 1, 10, 1, KvPool.Demand.TOKENS, null);
        KvPool large = new KvPool(none, 0, 1, 1, 20, 20, 1, 10, 1, KvPool.Demand.TOKENS, null);
        KvPool refused = new KvPool(none, 0, 1, 1, 30, 30, 1, 10, 1, KvPool.Demand.TOKENS, new Refusal("no", "knob", "fix", 1));

        assertTrue(MemoryProfile.binds(refused, small), "a stage that does not start binds");
        assertFalse(MemoryProfile.binds(small, refused));
        assertTrue(MemoryProfile.binds(small, large));
        assertFalse(MemoryProfile.binds(large, small));
        assertFalse(MemoryProfile.binds(small, small), "a tie keeps the stage found first");
    }

    @Test
    void should_size_a_static_cache_per_workload_on_every_pipeline_stage() {
        // GIVEN transformers over PP2: the pool depends on the batch, so no stage has one before the workload is known
        Deployment d = new Deployment(Catalog.gpu("h100-sxm"), 2, 1, 2, 1, null, null, Transformers.defaults());
        MemoryProfile p = MemoryModel.compile(LLAMA_8B, d);

        MemoryEstimate m = MemoryModel.estimate(p, Workload.of(3, 1000, 24));

        assertEquals(null, p.stages().get(0).pool());
        assertEquals(3L * 1024, m.kvCacheTokens(), "3 slots of input + output tokens");
        assertTrue(m.fits(), m.verdict());
        // both stages hold the same 3 slots and start: as with fixed pools, the tie keeps the stage found first
        assertEquals(p.stages().get(0).rank(), m.rank());
    }
}
