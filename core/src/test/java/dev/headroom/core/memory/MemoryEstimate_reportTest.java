package dev.headroom.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.Vllm;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.workload.Workload;
import org.junit.jupiter.api.Test;

/** The estimate's figures are its pool's, and its verdict names the one term that decides, with the numbers behind it. */
class MemoryEstimate_reportTest {
    private static final ModelProfile LLAMA_8B = Catalog.profile("llama-3.1-8b");

    private static MemoryEstimate estimate(Vllm engine, Workload w) {
        return MemoryModel.estimate(LLAMA_8B, new Deployment(Catalog.gpu("h100-sxm"), 1, 1, 1, 1, null, null, engine), w);
    }

    private static Vllm vllm() {
        return Vllm.at("0.9.2").withMaxModelLen(8192);
    }

    @Test
    void should_report_the_pools_figures_and_the_room_left() {
        MemoryEstimate m = estimate(vllm(), Workload.of(4, 1024, 256));

        assertTrue(m.fits());
        assertEquals(MemoryEstimate.Limit.NONE, m.limit());
        assertEquals(m.pool().weightsBytes(), m.weightsBytesPerGpu());
        assertEquals(m.pool().activationBytes(), m.activationBytesPerGpu());
        assertEquals(m.pool().overheadBytes(), m.runtimeOverheadBytesPerGpu());
        assertEquals(m.pool().kvBytes(), m.kvCacheBytesPerGpu());
        assertEquals(m.pool().tokens(), m.kvCacheTokens());
        assertEquals(m.pool().blocks(), m.kvCacheBlocks());
        assertEquals(8192, m.maxModelLen());
        assertEquals(1024, m.engineMaxSequences());
        assertEquals(m.pool().totalBytes(), m.totalBytesPerGpu());
        assertEquals(85_061_827_297L, m.gpuMemoryBytes());
        assertEquals(m.gpuMemoryBytes() - m.totalBytesPerGpu(), m.headroomBytesPerGpu());
        assertEquals(0, m.shortfallBytesPerGpu());
        assertEquals(m.pool().availableBytes(), m.kvBudgetBytesPerGpu());
        assertTrue(m.refusal().isEmpty());
        assertEquals(131_072, m.kvBytesPerToken());
        assertEquals(131_072, m.kvBytesPerTokenPerGpu());
        assertEquals(4L * 1280 * 131_072, m.workloadKvBytesPerGpu());
        assertEquals(8_030_261_248L, m.params());
        assertEquals(8_030_261_248L, m.activeParams());
        assertEquals(m.pool().maxConcurrency(), m.engineMaxConcurrency());
        assertEquals(m.pool().concurrency(1280), m.engineConcurrency(1280));
        assertEquals(m.pool().longestRequest(131_072), m.largestMaxModelLen());
        // requests of 1,280 tokens: 80 blocks each; the engine's 1,024 sequences cap it or the pool does
        long bySequences = m.pool().blocks() / 80;
        assertEquals(Math.min(bySequences, 1024), m.maxConcurrency());
        String limitedBy = bySequences <= 1024 ? "KV cache" : "the engine's limit on running sequences";
        assertEquals(Bytes.of(m.headroomBytesPerGpu()) + " free per GPU; room for " + String.format("%,d", m.maxConcurrency())
                + " sequences of 1,280 tokens at once (limited by " + limitedBy + "; batch 4)", m.verdict());
        String text = m.toString();
        assertTrue(text.startsWith("llama-3.1-8b on 1 x h100-sxm (tp=1, pp=1, 1 replica), vllm, weights bf16, KV bf16"), text);
        assertTrue(text.contains("verdict                FITS: "), text);
        assertTrue(text.contains("KV per token           131,072 B (131,072 B per GPU)"), text);
        assertTrue(text.contains("KV for this batch"), text);
        assertTrue(m.assumptions().get(1).endsWith(" as the driver reports it"), m.assumptions().toString());
        assertTrue(m.assumptions().get(2).startsWith("weights bf16 (checkpoint default); norms and biases 16-bit"), m.assumptions().toString());
        assertTrue(m.assumptions().stream().anyMatch(a -> a.startsWith("KV cache bf16 (engine default)")), m.assumptions().toString());
    }

    @Test
    void should_say_the_engine_refuses_to_start_and_by_how_much() {
        MemoryEstimate m = estimate(vllm().withGpuMemoryUtilization(0.2), Workload.of(1, 1024, 256));

        assertFalse(m.fits());
        assertEquals(MemoryEstimate.Limit.ENGINE_DOES_NOT_START, m.limit());
        assertEquals("the engine refuses to start: " + m.refusal().orElseThrow().describe(), m.verdict());
        assertEquals(m.pool().shortfallBytes(), m.shortfallBytesPerGpu());
        assertEquals(0, m.maxConcurrency());
        assertEquals(MemoryEstimate.Limit.ENGINE_DOES_NOT_START, m.concurrencyLimit());
        assertEquals(0, m.largestMaxModelLen(), "no pool at all");
        assertTrue(m.kvBudgetBytesPerGpu() < 0);
        // printed as the shortfall, never as a negative quantity
        assertTrue(m.toString().contains("KV budget            none: " + Bytes.of(-m.kvBudgetBytesPerGpu()) + " short before blocks"),
                m.toString());
        assertTrue(m.toString().contains("DOES NOT FIT: "), m.toString());
    }

    @Test
    void should_name_a_sequence_longer_than_the_max_length() {
        MemoryEstimate m = estimate(vllm(), Workload.of(1, 9000, 1000));

        assertEquals(MemoryEstimate.Limit.LONGER_THAN_MAX_LENGTH, m.limit());
        assertEquals("a sequence of 10,000 tokens exceeds the engine's max length 8,192", m.verdict());
        assertEquals(0, m.maxConcurrency());
        assertEquals(MemoryEstimate.Limit.LONGER_THAN_MAX_LENGTH, m.concurrencyLimit());
    }

    @Test
    void should_name_the_kv_pool_or_the_engines_sequence_limit_when_the_batch_is_too_large() {
        MemoryEstimate kv = estimate(vllm(), Workload.of(2000, 8000, 192));
        long held = kv.pool().sequencesOf(8192);
        assertEquals(MemoryEstimate.Limit.KV_CACHE, kv.limit());
        assertEquals(String.format("the KV pool holds %,d sequences of 8,192 tokens, fewer than the batch of 2000", held), kv.verdict());
        assertEquals(held, kv.maxConcurrency());
        assertEquals(MemoryEstimate.Limit.KV_CACHE, kv.concurrencyLimit());

        MemoryEstimate seqs = estimate(vllm(), Workload.of(2000, 8, 8));
        assertEquals(MemoryEstimate.Limit.ENGINE_MAX_SEQUENCES, seqs.limit());
        assertEquals("the engine runs at most 1024 sequences at once, fewer than the batch of 2000", seqs.verdict());
        assertEquals(1024, seqs.maxConcurrency());
        assertEquals(MemoryEstimate.Limit.ENGINE_MAX_SEQUENCES, seqs.concurrencyLimit());
        assertEquals("the engine's limit on running sequences", MemoryEstimate.Limit.ENGINE_MAX_SEQUENCES.words());
    }

    @Test
    void should_count_every_replicas_pool_in_what_the_deployment_holds() {
        Deployment two = new Deployment(Catalog.gpu("h100-sxm"), 2, 1, 1, 1, null, null, vllm());
        MemoryEstimate m = MemoryModel.estimate(LLAMA_8B, two, Workload.of(3000, 8, 8));

        // two replicas of 1,024 sequences: 2,048 < 3,000
        assertEquals("the engine runs at most 2048 sequences at once, fewer than the batch of 3000", m.verdict());
        assertEquals(2048, m.maxConcurrency());
        assertTrue(m.toString().contains("(tp=1, pp=1, 2 replicas)"), m.toString());
    }
}
