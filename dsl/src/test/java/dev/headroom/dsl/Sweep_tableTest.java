package dev.headroom.dsl;

import static dev.headroom.dsl.Sizing.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.memory.MemoryEstimate;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class Sweep_tableTest {
    private static final long GIB = 1L << 30;

    @Test
    void should_give_one_row_per_batch_in_the_order_given() {
        Table t = model("llama-3.1-8b").on("h100-sxm").sweep().batch(1, 8, 32).table();

        assertEquals(3, t.rowCount());
        assertEquals(List.of(1L, 8L, 32L), t.longColumn("batch").asList());
        assertEquals(List.of("llama-3.1-8b", "llama-3.1-8b", "llama-3.1-8b"), t.stringColumn("model").asList());
        assertEquals(List.of("h100-sxm", "h100-sxm", "h100-sxm"), t.stringColumn("gpu").asList());
    }

    @Test
    void should_hold_each_estimates_exact_bytes() {
        // GIVEN the sweep and the same scenarios estimated one by one
        Scenario base = model("llama-3.1-8b").on("h100-sxm");
        int[] batches = {1, 8, 32};
        Table t = base.sweep().batch(1, 8, 32).table();

        for (int i = 0; i < batches.length; i++) {
            MemoryEstimate e = base.batch(batches[i]).memory();
            // THEN every memory column is the estimate's exact byte count (one unit everywhere: bytes)
            assertEquals(e.weightsBytesPerGpu(), t.longColumn("weights_bytes_per_gpu").get(i));
            assertEquals(e.workloadKvBytesPerGpu(), t.longColumn("workload_kv_bytes_per_gpu").get(i));
            assertEquals(e.activationBytesPerGpu(), t.longColumn("activation_bytes_per_gpu").get(i));
            assertEquals(e.runtimeOverheadBytesPerGpu(), t.longColumn("runtime_overhead_bytes_per_gpu").get(i));
            assertEquals(e.gpuMemoryBytes(), t.longColumn("gpu_memory_bytes").get(i));
            assertEquals(e.kvCacheBytesPerGpu(), t.longColumn("kv_cache_bytes_per_gpu").get(i));
            assertEquals(e.totalBytesPerGpu(), t.longColumn("total_bytes_per_gpu").get(i));
        }
    }

    @Test
    void should_give_every_row_what_its_scenario_gives_alone() {
        // GIVEN a sweep whose request axes are applied per row without rebuilding the scenario, over a context axis
        // (prompt + answer fill the context) and a prompt axis that replaces the context (the later step wins)
        Scenario base = model("llama-3.1-8b").on("h100-sxm");
        Table withContext = base.sweep().context(4096, 8192).concurrency(1, 16).output(100, 3000).table();
        Table withPrompt = base.sweep().context(4096).input(500, 7000).output(100).rate(0.5, 4.0).table();

        // THEN each row holds the figures of the same steps taken one by one
        int row = 0;
        for (int context : new int[] {4096, 8192}) {
            for (int users : new int[] {1, 16}) {
                for (int answer : new int[] {100, 3000}) {
                    assertSameRow(base.context(context).concurrency(users).output(answer), withContext, row++);
                }
            }
        }
        row = 0;
        for (int prompt : new int[] {500, 7000}) {
            for (double rate : new double[] {0.5, 4.0}) {
                assertSameRow(base.context(4096).input(prompt).output(100).rate(rate), withPrompt, row++);
            }
        }
    }

    private static void assertSameRow(Scenario alone, Table t, int row) {
        dev.headroom.core.Estimate e = alone.estimate();
        String at = alone + " (row " + row + ")";
        assertEquals(alone.workload().inputTokens(), t.longColumn("input_tokens").get(row), at);
        assertEquals(alone.workload().outputTokens(), t.longColumn("output_tokens").get(row), at);
        assertEquals(e.memory().workload().load().kind().words(), t.stringColumn("load").get(row), at);
        assertEquals(e.memory().workloadKvBytesPerGpu(), t.longColumn("workload_kv_bytes_per_gpu").get(row), at);
        assertEquals(e.memory().cudaGraphBytesPerGpu(), t.longColumn("cuda_graph_bytes_per_gpu").get(row), at);
        assertEquals(e.memory().largestMaxModelLen(), t.longColumn("largest_max_model_len").get(row), at);
        assertEquals(e.memory().fits(), t.booleanColumn("fits").get(row), at);
        if (e.perf() != null) {
            assertEquals(e.perf().tpotSeconds() * 1000, t.doubleColumn("tpot_ms").get(row), 1e-9, at);
            assertEquals(e.perf().outputTokensPerSecond(), t.doubleColumn("output_tokens_per_s").get(row), 1e-9, at);
            assertEquals(e.perf().tpotLow() * 1000, t.doubleColumn("tpot_ms_low").get(row), 1e-9, at);
        }
    }

    @Test
    void should_grow_the_batch_kv_linearly_at_128_kib_per_token() {
        // MODEL.md: Llama-3.1-8B bf16 holds 131,072 B (128 KiB) of KV per token.
        Scenario base = model("llama-3.1-8b").on("h100-sxm").input(1024).output(1024);

        Table t = base.sweep().batch(1, 8, 32).table();

        // batch x 2048 tokens x 128 KiB = batch x 0.25 GiB
        assertEquals(GIB / 4, t.longColumn("workload_kv_bytes_per_gpu").get(0));
        assertEquals(2 * GIB, t.longColumn("workload_kv_bytes_per_gpu").get(1));
        assertEquals(8 * GIB, t.longColumn("workload_kv_bytes_per_gpu").get(2));
        // GPU memory column: the 79.22 GiB the H100 reports (validation M01), stored as round(79.22 x 2^30)
        assertEquals(Math.round(79.22 * GIB), t.longColumn("gpu_memory_bytes").get(0));
    }

    @Test
    void should_vary_the_last_axis_fastest() {
        Table t = model("llama-3.1-8b").on("h100-sxm").sweep().gpu("h100-sxm", "a100-80gb").batch(1, 4).table();

        assertEquals(List.of("h100-sxm", "h100-sxm", "a100-80gb", "a100-80gb"), t.stringColumn("gpu").asList());
        assertEquals(List.of(1L, 4L, 1L, 4L), t.longColumn("batch").asList());
    }

    @Test
    void should_reject_an_empty_axis_naming_it() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> model("llama-3.1-8b").on("h100-sxm").sweep().batch());
        assertTrue(e.getMessage().contains("batch"), e.getMessage());
    }

    @Test
    void should_span_all_gpus_with_tp_when_sweeping_gpu_counts() {
        Table t = model("llama-3.1-70b").on("h100-sxm").sweep().gpus(2, 4, 8).table();

        assertEquals(List.of(2L, 4L, 8L), t.longColumn("gpus").asList());
        assertEquals(List.of(2L, 4L, 8L), t.longColumn("tp").asList());
    }

    @Test
    void should_sweep_tp_from_a_single_gpu_scenario_with_one_gpu_per_rank() {
        // The CLI's --tp without --gpus uses tp x pp GPUs; the DSL should read the same way.
        Table t = model("llama-3.1-70b").on("h100-sxm").sweep().tp(1, 2, 4, 8).table();

        assertEquals(List.of(1L, 2L, 4L, 8L), t.longColumn("tp").asList());
        assertEquals(List.of(1L, 2L, 4L, 8L), t.longColumn("gpus").asList());
    }
}
