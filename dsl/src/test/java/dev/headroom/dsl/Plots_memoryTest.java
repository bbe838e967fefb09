package dev.headroom.dsl;

import static dev.headroom.dsl.Sizing.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** The memory chart: what the engine reserves, stacked per row, against the GPU; rows of other settings never stack together. */
class Plots_memoryTest {
    private static final double GIB = 1L << 30;
    private static final Table SWEEP = model("llama-3.1-8b").on("h100-sxm").sweep().batch(1, 8, 32).table();

    @Test
    void should_stack_the_engines_reservation_under_the_gpu_line() {
        Chart c = Plots.memory(SWEEP, "batch");

        assertEquals(List.of("weights", "activations (peak)", "runtime overhead", MemoryCharts.OTHER, "KV cache this batch fills",
                "KV pool reserved, free", "GPU memory"), c.seriesNames());
        // vLLM (since 0.21) deducts its CUDA graphs from the KV budget: they are the rest of the reservation here
        double[] other = (double[]) c.traces().get(3).get("y");
        assertEquals(SWEEP.longColumn("cuda_graph_bytes_per_gpu").get(0) / GIB, other[0], 1e-6);
        // the stack adds up to what the engine reserves (total_bytes_per_gpu), row by row
        for (int r = 0; r < SWEEP.rowCount(); r++) {
            double stacked = 0;
            for (Map<String, Object> t : c.traces()) {
                if ("bar".equals(t.get("type"))) {
                    double v = ((double[]) t.get("y"))[r];
                    stacked += Double.isNaN(v) ? 0 : v;
                }
            }
            assertEquals(SWEEP.longColumn("total_bytes_per_gpu").get(r) / GIB, stacked, 1e-6, "row " + r);
        }
        assertEquals("stack", c.layout().get("barmode"));
    }

    @Test
    void should_put_each_precision_in_a_group_of_its_own_instead_of_stacking_them_together() {
        // GIVEN the README's first example: bf16 and fp8 KV at each batch
        Table t = model("llama-3.1-8b").on("h100-sxm").input(2048).output(512).sweep().batch(1, 8, 32, 128).kv("bf16", "fp8").table();

        // WHEN it is drawn by batch without naming the groups
        Chart c = Plots.memory(t, "batch");

        // THEN each row is its own bar: eight weights values of one copy each (about 15 GiB), never 30
        double[] weights = (double[]) c.traces().get(0).get("y");
        assertEquals(8, weights.length);
        for (double w : weights) {
            assertEquals(t.longColumn("weights_bytes_per_gpu").get(0) / GIB, w, 1e-9);
        }
        // AND the x axis has two levels: the KV precision, then the batch
        Object[] x = (Object[]) c.traces().get(0).get("x");
        assertEquals(List.of("bf16", "bf16", "bf16", "bf16", "fp8", "fp8", "fp8", "fp8"), List.of((String[]) x[0]));
        assertEquals(List.of("1", "8", "32", "128", "1", "8", "32", "128"), List.of((String[]) x[1]));
        // AND every row fits, so nothing is drawn beyond the pool
        assertTrue(c.seriesNames().stream().noneMatch(n -> n.contains("cannot hold")), c.seriesNames().toString());
    }

    @Test
    void should_show_kv_the_pool_cannot_hold_in_a_series_of_its_own() {
        Table t = model("llama-3.1-70b").on("h100-sxm").gpus(4).context(32768).sweep().batch(1, 64).table();

        Chart c = Plots.memory(t, "batch");

        assertTrue(c.seriesNames().contains("KV the pool cannot hold"), c.seriesNames().toString());
    }

    @Test
    void should_mark_where_the_kv_cache_passes_the_weights() {
        Table t = model("llama-3.1-8b").on("h100-sxm").context(8192).sweep().batch(1, 2, 4, 8, 16, 32).table();

        Chart c = Plots.kvVsWeights(t, "batch");

        Map<String, Object> star = c.traces().stream().filter(m -> String.valueOf(m.get("name")).startsWith("KV passes")).findFirst().orElseThrow();
        // 8,192 tokens x 128 KiB = 1 GiB per sequence: 16 sequences pass the 15 GiB of weights
        assertEquals(16.0, ((Object[]) star.get("x"))[0]);
    }

    @Test
    void should_list_the_columns_for_an_unknown_column() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Plots.memory(SWEEP, "bacth"));

        assertTrue(e.getMessage().contains("'bacth'"), e.getMessage());
        assertEquals(SWEEP.columnCount(), Messages.knownCount(e.getMessage()), "every column accounted for: " + e.getMessage());
        assertTrue(e.getMessage().indexOf("known: batch") >= 0, "nearest first: " + e.getMessage());
    }

    @Test
    void should_name_the_numeric_columns_for_a_text_column() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Plots.line(SWEEP, "batch", "model"));

        assertTrue(e.getMessage().contains("'model'") && e.getMessage().contains("not numeric"), e.getMessage());
        assertTrue(e.getMessage().contains("workload_kv_bytes_per_gpu"), e.getMessage());
    }
}
