package dev.headroom.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.precision.Precision;
import org.junit.jupiter.api.Test;

/** A deployment's split: replicas are what tp x pp leaves, a new split keeps the replicas, and impossible splits are refused. */
class Deployment_splitTest {
    private static final Gpu H100 = Catalog.gpu("h100-sxm");

    @Test
    void should_count_replicas_and_keep_them_when_the_split_changes() {
        Deployment d = new Deployment(H100, 8, 2, 2, 1, null, null, Vllm.defaults());
        assertEquals(2, d.replicas());

        Deployment wider = d.withSplit(4, 2);
        assertEquals(16, wider.gpus(), "4 x 2 x 2 replicas");
        assertEquals(4, wider.tp());
        assertEquals(2, wider.pp());
        assertEquals(2, wider.replicas());
        assertEquals(8, d.withSplit(1, 4).gpus());
        assertThrows(InvalidInputException.class, () -> d.withSplit(0, 1));
        assertThrows(InvalidInputException.class, () -> d.withSplit(1, 0));
        assertEquals(4, d.withGpus(4).gpus());
        assertEquals(1, d.withGpus(4).replicas());
        assertEquals("a100-80gb", d.withGpu(Catalog.gpu("a100-80gb")).gpu().id());
        assertEquals(Precision.FP8, d.withWeights(Precision.FP8).weights());
        assertEquals(Precision.FP8, d.withKv(Precision.FP8).kv());
        assertEquals(4, d.withEp(4).ep());
    }

    @Test
    void should_split_attention_by_tp_or_run_it_per_rank_under_attention_data_parallelism() {
        Deployment tp4 = new Deployment(H100, 4, 4, 1, 1, null, null, Vllm.defaults());
        assertEquals(4, tp4.attentionTp());
        assertEquals(1, tp4.attentionGroups());
        Deployment dp = tp4.withAttentionDp(true);
        assertTrue(dp.attentionDp());
        assertEquals(1, dp.attentionTp());
        assertEquals(4, dp.attentionGroups());
        // narrowing to TP1 drops attention DP, which needs a TP group
        assertFalse(dp.withTp(1).attentionDp());
        assertTrue(dp.withTp(2).attentionDp());
        assertFalse(dp.withSplit(1, 4).attentionDp());
        assertTrue(dp.withSplit(2, 2).attentionDp());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new Deployment(H100, 1, 1, 1, 1, true, null, null, Vllm.defaults()));
        assertTrue(e.getMessage().contains("attention_dp") && e.getMessage().contains("tp > 1"), e.getMessage());
    }

    @Test
    void should_refuse_impossible_splits_naming_the_field() {
        for (int[] bad : new int[][] {{0, 1, 1, 1}, {1, 0, 1, 1}, {1, 1, 0, 1}, {1, 1, 1, 0}}) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> new Deployment(H100, bad[0], bad[1], bad[2], bad[3], null, null, Vllm.defaults()));
            assertTrue(e.getMessage().contains("must be a positive whole number"), e.getMessage());
        }
        InvalidInputException ep = assertThrows(InvalidInputException.class, () -> new Deployment(H100, 2, 2, 1, 4, null, null, Vllm.defaults()));
        assertTrue(ep.getMessage().startsWith("ep = 4") && ep.getMessage().contains("gpus = 2"), ep.getMessage());
        assertThrows(InvalidInputException.class, () -> new Deployment(H100, 2, 4, 1, 1, null, null, Vllm.defaults()));
        assertThrows(InvalidInputException.class, () -> new Deployment(H100, 6, 4, 1, 1, null, null, Vllm.defaults()));
        assertThrows(InvalidInputException.class, () -> new Deployment(null, 1, 1, 1, 1, null, null, Vllm.defaults()));
        assertThrows(InvalidInputException.class, () -> new Deployment(H100, 1, 1, 1, 1, null, null, null));
        assertEquals(8, new Deployment(H100, 8, 1, 1, 8, null, null, Vllm.defaults()).ep(), "ep up to the GPUs");
    }

    @Test
    void should_need_experts_that_divide_over_the_expert_parallel_ranks() {
        var mixtral = Catalog.model("mixtral-8x7b");
        assertTrue(new Deployment(H100, 8, 8, 1, 8, null, null, Vllm.defaults()).problemWith(mixtral).isEmpty());
        InvalidInputException e = new Deployment(H100, 6, 2, 1, 6, null, null, Vllm.defaults()).problemWith(mixtral).orElseThrow();
        assertTrue(e.getMessage().startsWith("ep = 6") && e.getMessage().contains("8 experts"), e.getMessage());
        // attention data parallelism holds whole heads on each rank: nothing to divide
        assertTrue(new Deployment(H100, 3, 3, 1, 1, true, null, null, Vllm.defaults()).problemWith(mixtral).isEmpty());
        assertFalse(new Deployment(H100, 3, 3, 1, 1, null, null, Vllm.defaults()).problemWith(mixtral).isEmpty());
        // pp equal to the layers is allowed
        assertTrue(new Deployment(H100, 32, 1, 32, 1, null, null, Vllm.defaults()).problemWith(mixtral).isEmpty());
    }
}
