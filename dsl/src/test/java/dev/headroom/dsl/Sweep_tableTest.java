package dev.headroom.dsl;

import static dev.headroom.dsl.Sizing.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.InvalidInputException;
import dev.headroom.core.MemoryEstimate;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class Sweep_tableTest {
    private static final double GIB = 1L << 30;
    /** Table cells are rounded to 3 decimals of GiB. */
    private static final double CELL = 0.0005 + 1e-12;

    @Test
    void should_give_one_row_per_batch_in_the_order_given() {
        Table t = model("llama-3.1-8b").on("h100-sxm").sweep().batch(1, 8, 32).table();

        assertEquals(3, t.rowCount());
        assertEquals(List.of(1, 8, 32), t.intColumn("batch").asList());
        assertEquals(List.of("llama-3.1-8b", "llama-3.1-8b", "llama-3.1-8b"), t.stringColumn("model").asList());
        assertEquals(List.of("h100-sxm", "h100-sxm", "h100-sxm"), t.stringColumn("gpu").asList());
    }

    @Test
    void should_show_each_estimates_bytes_as_gib_of_2_to_the_30() {
        // GIVEN the sweep and the same scenarios estimated one by one
        Scenario base = model("llama-3.1-8b").on("h100-sxm");
        int[] batches = {1, 8, 32};
        Table t = base.sweep().batch(1, 8, 32).table();

        for (int i = 0; i < batches.length; i++) {
            MemoryEstimate e = base.batch(batches[i]).memory();
            // THEN every GiB column is the estimate's bytes / 2^30
            assertEquals(e.weightsBytesPerGpu() / GIB, t.doubleColumn("weights_gib").get(i), CELL);
            assertEquals(e.workloadKvBytesPerGpu() / GIB, t.doubleColumn("kv_cache_gib").get(i), CELL);
            assertEquals(e.activationBytesPerGpu() / GIB, t.doubleColumn("activations_gib").get(i), CELL);
            assertEquals(e.runtimeOverheadBytesPerGpu() / GIB, t.doubleColumn("overhead_gib").get(i), CELL);
            assertEquals(e.gpuMemoryBytes() / GIB, t.doubleColumn("gpu_gib").get(i), CELL);
            assertEquals(e.kvCacheBytesPerGpu() / GIB, t.doubleColumn("kv_pool_gib").get(i), CELL);
            long needed = e.weightsBytesPerGpu() + e.workloadKvBytesPerGpu() + e.activationBytesPerGpu() + e.runtimeOverheadBytesPerGpu();
            assertEquals(needed, t.longColumn("needed_bytes").get(i));
            assertEquals(needed / GIB, t.doubleColumn("needed_gib").get(i), CELL);
        }
    }

    @Test
    void should_grow_the_batch_kv_linearly_at_128_kib_per_token() {
        // MODEL.md: Llama-3.1-8B bf16 holds 131,072 B (128 KiB) of KV per token.
        Scenario base = model("llama-3.1-8b").on("h100-sxm").input(1024).output(1024);

        Table t = base.sweep().batch(1, 8, 32).table();

        // batch x 2048 tokens x 128 KiB = batch x 0.25 GiB
        assertEquals(0.25, t.doubleColumn("kv_cache_gib").get(0), CELL);
        assertEquals(2.0, t.doubleColumn("kv_cache_gib").get(1), CELL);
        assertEquals(8.0, t.doubleColumn("kv_cache_gib").get(2), CELL);
        // GPU memory column: the 79.22 GiB the H100 reports (validation M01)
        assertEquals(79.22, t.doubleColumn("gpu_gib").get(0), CELL);
    }

    @Test
    void should_vary_the_last_axis_fastest() {
        Table t = model("llama-3.1-8b").on("h100-sxm").sweep().gpu("h100-sxm", "a100-80gb").batch(1, 4).table();

        assertEquals(List.of("h100-sxm", "h100-sxm", "a100-80gb", "a100-80gb"), t.stringColumn("gpu").asList());
        assertEquals(List.of(1, 4, 1, 4), t.intColumn("batch").asList());
    }

    @Test
    void should_reject_an_empty_axis_naming_it() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> model("llama-3.1-8b").on("h100-sxm").sweep().batch());
        assertTrue(e.getMessage().contains("batch"), e.getMessage());
    }

    @Test
    void should_span_all_gpus_with_tp_when_sweeping_gpu_counts() {
        Table t = model("llama-3.1-70b").on("h100-sxm").sweep().gpus(2, 4, 8).table();

        assertEquals(List.of(2, 4, 8), t.intColumn("gpus").asList());
        assertEquals(List.of(2, 4, 8), t.intColumn("tp").asList());
    }

    @Test
    void should_sweep_tp_from_a_single_gpu_scenario_with_one_gpu_per_rank() {
        // The CLI's --tp without --gpus uses tp x pp GPUs; the DSL should read the same way.
        Table t = model("llama-3.1-70b").on("h100-sxm").sweep().tp(1, 2, 4, 8).table();

        assertEquals(List.of(1, 2, 4, 8), t.intColumn("tp").asList());
        assertEquals(List.of(1, 2, 4, 8), t.intColumn("gpus").asList());
    }
}
