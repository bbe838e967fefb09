package dev.headroom.dsl;

import static dev.headroom.dsl.Sizing.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.traces.Trace;

class Plots_memoryTest {
    private static final Table SWEEP = model("llama-3.1-8b").on("h100-sxm").sweep().batch(1, 8, 32).table();

    @Test
    void should_stack_four_memory_terms_under_the_gpu_line() {
        Figure f = Plots.memory(SWEEP, "batch");

        Trace[] traces = f.getTraces();
        assertEquals(5, traces.length);
        assertEquals(List.of("weights", "KV cache", "activations", "runtime overhead", "GPU memory"),
                Arrays.stream(traces).map(Trace::name).toList());
    }

    @Test
    void should_plot_weights_against_kv() {
        assertEquals(2, Plots.weightsVsKv(SWEEP, "batch").getTraces().length);
        assertEquals(1, Plots.line(SWEEP, "batch", "workload_kv_bytes_per_gpu").getTraces().length);
    }

    @Test
    void should_list_the_columns_for_an_unknown_column() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Plots.memory(SWEEP, "bacth"));

        assertTrue(e.getMessage().contains("'bacth'"), e.getMessage());
        assertEquals(SWEEP.columnCount(), dev.headroom.dsl.Messages.knownCount(e.getMessage()), "every column accounted for: " + e.getMessage());
        assertTrue(e.getMessage().indexOf("known: batch") >= 0, "nearest first: " + e.getMessage());
    }

    @Test
    void should_name_the_numeric_columns_for_a_text_column() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Plots.line(SWEEP, "batch", "model"));

        assertTrue(e.getMessage().contains("'model'") && e.getMessage().contains("not numeric"), e.getMessage());
        assertTrue(e.getMessage().contains("workload_kv_bytes_per_gpu"), e.getMessage());
    }
}
