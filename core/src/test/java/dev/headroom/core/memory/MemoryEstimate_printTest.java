package dev.headroom.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.Engine;
import dev.headroom.core.engine.LlamaCpp;
import dev.headroom.core.engine.Transformers;
import dev.headroom.core.engine.Vllm;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The printed estimate: a header, then one labelled row per figure (labels padded to 22 columns), the verdict and the
 * assumptions as a list. Each row must carry its own figure, so a user reading it sees what the accessors return.
 */
class MemoryEstimate_printTest {
    private static final ModelProfile LLAMA_8B = Catalog.profile("llama-3.1-8b");

    private static MemoryEstimate estimate(Engine engine, Workload w) {
        return MemoryModel.estimate(LLAMA_8B, new Deployment(Catalog.gpu("h100-sxm"), 1, 1, 1, 1, null, null, engine), w);
    }

    private static String row(String label, String value) {
        return String.format("%-22s %s", label, value);
    }

    @Test
    void should_print_every_figure_on_its_own_labelled_row() {
        // GIVEN vLLM 0.9.2 (captures CUDA graphs after the KV cache, not deducted) and 4 sequences of 1,280 tokens
        MemoryEstimate m = estimate(Vllm.at("0.9.2").withMaxModelLen(8192), Workload.of(4, 1024, 256));

        List<String> lines = m.toString().lines().toList();

        assertEquals(row("parameters", "8,030,261,248 (active 8,030,261,248)"), lines.get(1));
        assertEquals(row("weights (all GPUs)", Bytes.of(m.weightsBytes()).toString()), lines.get(2));
        assertEquals("per GPU:", lines.get(3));
        assertEquals(row("  weights", Bytes.of(m.weightsBytesPerGpu()).toString()), lines.get(4));
        assertEquals(row("  activations (peak)", Bytes.of(m.activationBytesPerGpu()).toString()), lines.get(5));
        assertEquals(row("  runtime overhead", Bytes.of(m.runtimeOverheadBytesPerGpu()).toString()), lines.get(6));
        assertEquals(row("  CUDA graphs", Bytes.of(m.cudaGraphBytesPerGpu())
                + " (captured after the KV cache, in the memory the engine leaves; not in the total)"), lines.get(7));
        assertEquals(row("  KV budget", Bytes.of(m.kvBudgetBytesPerGpu()) + " before blocks"), lines.get(8));
        assertEquals(row("  KV cache pool", Bytes.of(m.kvCacheBytesPerGpu()) + String.format("  (%,d tokens, %,d blocks)",
                m.kvCacheTokens(), m.kvCacheBlocks())), lines.get(9));
        assertEquals(row("  total", Bytes.of(m.totalBytesPerGpu()) + " of " + Bytes.of(85_061_827_297L)), lines.get(10));
        assertEquals(row("KV per token", "131,072 B (131,072 B per GPU)"), lines.get(11));
        // 4 x 1,280 tokens x 128 KiB = 640 MiB
        assertEquals(row("KV for this batch", Bytes.of(4L * 1280 * 131_072) + " per GPU (4 x 1280 tokens)"), lines.get(12));
        assertEquals(row("max concurrency", String.format("%,d sequences of 1,280 tokens (limited by %s); the engine logs %.2f for 8,192 tokens"
                + " (not capped by its 1024 running sequences)", m.maxConcurrency(), m.concurrencyLimit().words(), m.engineMaxConcurrency())),
                lines.get(13));
        assertEquals(row("largest max length", String.format("%,d tokens start", m.largestMaxModelLen())), lines.get(14));
        assertEquals(row("verdict", "FITS: " + m.verdict()), lines.get(15));
        assertEquals("assumptions:", lines.get(16));
        List<String> assumed = m.assumptions();
        assertEquals(17 + assumed.size(), lines.size());
        for (int i = 0; i < assumed.size(); i++) {
            assertEquals("  - " + assumed.get(i), lines.get(17 + i));
        }
    }

    @Test
    void should_print_cuda_graphs_in_the_total_once_deducted_and_not_at_all_when_eager() {
        // vLLM 0.21 deducts the graphs from the KV budget: no note that they sit outside the total
        MemoryEstimate deducted = estimate(Vllm.at("0.21.0").withMaxModelLen(8192), Workload.of(1, 1024, 256));
        MemoryEstimate eager = estimate(Vllm.at("0.9.2").withMaxModelLen(8192).with("enforce_eager", "true"), Workload.of(1, 1024, 256));

        assertTrue(deducted.toString().contains(row("  CUDA graphs", Bytes.of(deducted.cudaGraphBytesPerGpu()).toString()) + "\n"),
                deducted.toString());
        assertEquals(0, eager.cudaGraphBytesPerGpu());
        assertFalse(eager.toString().contains("CUDA graphs"), eager.toString());
    }

    @Test
    void should_report_the_graphs_an_engine_captures_even_when_its_budget_does_not_deduct_them() {
        // vLLM 0.9.2 captures graphs after sizing the pool: the pool charges none, the estimate still shows them
        MemoryEstimate m = estimate(Vllm.at("0.9.2").withMaxModelLen(8192), Workload.of(1, 1024, 256));

        assertEquals(0, m.pool().cudaGraphBytes());
        assertTrue(m.cudaGraphBytesPerGpu() > 0);
        assertEquals(m.deployment().engine().cudaGraphBytes(m.rank()), m.cudaGraphBytesPerGpu());
    }

    @Test
    void should_name_a_quantized_checkpoint_the_rotary_table_and_a_chosen_kv_format_in_the_assumptions() {
        // GIVEN fp8 weights and an fp8 KV cache chosen by the user, served by vLLM (which builds the rotary table)
        Deployment d = new Deployment(Catalog.gpu("h100-sxm"), 1, 1, 1, 1, Precision.FP8, Precision.FP8, Vllm.at("0.9.2").withMaxModelLen(8192));

        List<String> a = MemoryModel.estimate(LLAMA_8B, d, Workload.of(1, 1024, 256)).assumptions();

        assertEquals("weights fp8; norms and biases 16-bit; embeddings, lm_head and router kept per the quantizer's policy", a.get(2));
        // Llama-3.1-8B: 131,072 positions x head_dim 128 x 2 B
        assertEquals("weights per GPU include the rotary cos/sin table the engine builds at load (" + Bytes.of(131_072L * 128 * 2) + ")",
                a.get(3));
        assertEquals("KV cache fp8", a.get(4));
        // llama.cpp builds no such table
        List<String> gguf = MemoryModel.estimate(LLAMA_8B, Deployment.on(Catalog.gpu("h100-sxm")).withEngine(LlamaCpp.defaults()),
                Workload.of(1, 1024, 256)).assumptions();
        assertTrue(gguf.stream().noneMatch(s -> s.contains("rotary")), gguf.toString());
    }

    @Test
    void should_give_the_longest_length_that_starts_when_the_engine_refuses_only_the_max_length() {
        // GIVEN a pool too short for one 131,072-token request: vLLM refuses but names the longest length that fits
        MemoryEstimate m = estimate(Vllm.at("0.9.2").withMaxModelLen(131_072).withGpuMemoryUtilization(0.3), Workload.of(1, 1024, 256));

        assertEquals("max_model_len", m.refusal().orElseThrow().knob());
        assertTrue(m.largestMaxModelLen() > 0);
        assertEquals(m.pool().longestRequest(131_072), m.largestMaxModelLen());
    }

    @Test
    void should_fit_a_static_cache_that_holds_exactly_one_sequence_of_its_max_length() {
        // GIVEN transformers with one sequence: its static cache is exactly max_length tokens
        MemoryEstimate m = MemoryModel.estimate(LLAMA_8B, Deployment.on(Catalog.gpu("h100-sxm")).withEngine(Transformers.defaults()),
                Workload.of(1, 1024, 256));

        assertEquals(m.maxModelLen(), m.kvCacheTokens());
        assertTrue(m.fits(), m.verdict());
        // the cache holds exactly the batch and the engine runs exactly the batch: the KV cache is named
        assertEquals(MemoryEstimate.Limit.KV_CACHE, m.concurrencyLimit());
    }
}
