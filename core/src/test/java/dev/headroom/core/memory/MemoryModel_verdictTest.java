package dev.headroom.core.memory;

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


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one-line verdict says why a deployment fits, or which term breaks it. */
class MemoryModel_verdictTest {

    @Test
    void should_not_fit_70b_bf16_weights_on_one_80_gib_gpu() {
        // MODEL.md: Llama-3.1-70B 70,553,706,496 params x 2 bytes = 131.4 GiB > 80 GiB
        MemoryEstimate e = MemoryModel.estimate(Catalog.profile("llama-3.1-70b"), Deployment.on(Catalog.gpu("h100-sxm")),
                Workload.of(1, 128, 128));

        assertFalse(e.fits());
        assertTrue(e.verdict().contains("weights"), e.verdict());
        assertEquals(0, e.kvCacheBytesPerGpu());
        assertEquals(0, e.headroomBytesPerGpu(), "no negative sizes: what is missing is the shortfall");
        assertTrue(e.shortfallBytesPerGpu() > 0);
    }

    @Test
    void should_fit_8b_on_one_h100_for_a_single_sequence() {
        MemoryEstimate e = MemoryModel.estimate(Catalog.profile("llama-3.1-8b"), Deployment.on(Catalog.gpu("h100-sxm")),
                Workload.of(1, 1024, 1024));

        assertTrue(e.fits(), e.verdict());
        assertEquals(1024 + 1024, e.workload().contextTokens());
        assertEquals(2048L * 131_072, e.workloadKvBytesPerGpu()); // MODEL.md: 131,072 B/token
    }

    @Test
    void should_not_fit_a_batch_the_pool_cannot_hold() {
        // GIVEN a 24 GiB card whose vLLM pool holds a few GiB after 15 GiB of weights
        Deployment d = Deployment.on(Catalog.gpu("rtx-4090")).withEngine(Vllm.defaults().withMaxModelLen(8192));

        MemoryEstimate e = MemoryModel.estimate(Catalog.profile("llama-3.1-8b"), d, Workload.of(64, 1024, 1024));

        // THEN 64 x 2048 tokens x 128 KiB = 16 GiB of KV is more than the pool
        assertTrue(e.kvCacheBytesPerGpu() < 16L * Bytes.GIB);
        assertFalse(e.fits());
        assertTrue(e.verdict().contains("fewer than the batch of 64"), e.verdict());
    }

    @Test
    void should_multiply_max_concurrency_by_data_parallel_replicas() {
        Deployment one = Deployment.on(Catalog.gpu("h100-sxm")).withEngine(Vllm.defaults().withMaxModelLen(8192));
        Deployment four = one.withGpus(4);

        double c1 = MemoryModel.estimate(Catalog.profile("llama-3.1-8b"), one, Workload.of(1, 128, 128)).maxConcurrency();
        double c4 = MemoryModel.estimate(Catalog.profile("llama-3.1-8b"), four, Workload.of(1, 128, 128)).maxConcurrency();

        assertEquals(4, four.replicas());
        assertEquals(4 * c1, c4, 1e-9);
    }
}
