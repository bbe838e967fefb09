package dev.headroom.core.engine;

import dev.headroom.core.base.*;
import dev.headroom.core.precision.*;
import dev.headroom.core.hardware.*;
import dev.headroom.core.workload.*;
import dev.headroom.core.model.*;
import dev.headroom.core.engine.*;
import dev.headroom.core.memory.*;
import dev.headroom.core.perf.*;
import dev.headroom.core.cost.*;
import dev.headroom.core.catalog.*;
import dev.headroom.core.plan.*;
import dev.headroom.core.*;


import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Deployment_validateForTest {
    private static final Gpu H100 = Catalog.gpu("h100-sxm");
    private static final Workload ANY = Workload.of(1, 128, 128);

    @ParameterizedTest(name = "tp={0}")
    @ValueSource(ints = {3, 5, 6, 12})
    void should_reject_a_tp_that_does_not_divide_the_heads(int tp) {
        // llama-3.1-8b: 32 attention heads
        Deployment d = new Deployment(H100, tp, tp, 1, 1, null, null, Vllm.defaults());

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> MemoryModel.estimate(Catalog.profile("llama-3.1-8b"), d, ANY));

        assertTrue(e.getMessage().startsWith("tp = " + tp), e.getMessage());
        assertTrue(e.getMessage().contains("32"), e.getMessage());
    }

    @Test
    void should_accept_tp_beyond_the_kv_heads_by_replicating_them() {
        // Llama-3.1-70B: 64 heads, 8 KV heads; TP16 replicates KV heads (MODEL.md)
        Deployment d = new Deployment(H100, 16, 16, 1, 1, null, null, Vllm.defaults());
        MemoryEstimate e = assertDoesNotThrow(() -> MemoryModel.estimate(Catalog.profile("llama-3.1-70b"), d, ANY));
        assertEquals(2L * 80 * 1 * 128 * 2, e.kvBytesPerTokenPerGpu());
        assertEquals(327_680, e.kvBytesPerToken(), "the whole-model figure stays MODEL.md's 320 KiB");
    }

    @Test
    void should_reject_expert_parallelism_for_a_dense_model() {
        Deployment d = new Deployment(H100, 2, 1, 1, 2, null, null, Vllm.defaults());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> MemoryModel.estimate(Catalog.profile("llama-3.1-8b"), d, ANY));
        assertTrue(e.getMessage().startsWith("ep = 2"), e.getMessage());
    }

    @Test
    void should_reject_more_pipeline_stages_than_layers() {
        Deployment d = new Deployment(H100, 64, 1, 64, 1, null, null, Vllm.defaults());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> MemoryModel.estimate(Catalog.profile("llama-3.2-1b"), d, ANY)); // 16 layers
        assertTrue(e.getMessage().startsWith("pp = 64"), e.getMessage());
    }

    @Test
    void should_reject_gpu_counts_that_tp_times_pp_does_not_divide() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new Deployment(H100, 3, 2, 1, 1, null, null, Vllm.defaults()));
        assertTrue(e.getMessage().startsWith("gpus = 3"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> new Deployment(H100, 0, 1, 1, 1, null, null, Vllm.defaults()));
        assertTrue(e.getMessage().startsWith("gpus = 0"), e.getMessage());
    }

    @Test
    void should_count_the_gpus_beyond_tp_times_pp_as_replicas() {
        assertEquals(4, new Deployment(H100, 8, 2, 1, 1, null, null, Vllm.defaults()).replicas());
    }

    @Test
    void should_reject_a_zero_batch_naming_it() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Workload.of(0, 128, 128));
        assertTrue(e.getMessage().startsWith("batch = 0"), e.getMessage());
    }
}
