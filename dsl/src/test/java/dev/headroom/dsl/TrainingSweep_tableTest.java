package dev.headroom.dsl;

import static dev.headroom.dsl.Sizing.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.training.TrainingColumns;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.traces.Trace;

class TrainingSweep_tableTest {
    private static final TrainingScenario BASE = model("llama-3.1-8b").on("a100-80gb").train().seqLen(2048).recompute("full");

    @Test
    void should_make_one_row_per_combination_with_every_training_column() {
        Table t = BASE.gpus(8).sweep().method("full", "lora", "qlora").zero(0, 3).table();

        assertEquals(6, t.rowCount());
        for (var c : TrainingColumns.ALL) {
            assertEquals(!TrainingColumns.isProse(c), t.columnNames().contains(c.name()), c.name());
        }
        assertEquals(List.of("full", "full", "lora", "lora", "qlora", "qlora"), t.stringColumn("method").asList());
        assertEquals(List.of("ddp", "zero-3", "ddp", "zero-3", "ddp", "zero-3"), t.stringColumn("sharding").asList());
    }

    @Test
    void should_put_an_axis_of_ones_own_first_when_it_is_not_a_column() {
        Table t = BASE.sweep().axis("rank", List.of(8, 64), (s, r) -> s.lora(r)).table();

        assertEquals("rank", t.columnNames().get(0));
        assertEquals(List.of(8, 64), t.intColumn("rank").asList());
        assertTrue(t.longColumn("trainable_params").get(1) > t.longColumn("trainable_params").get(0));
    }

    @Test
    void should_leave_time_missing_where_a_setup_does_not_fit() {
        Table t = model("llama-3.1-70b").on("rtx-4090").train().seqLen(2048).sweep().method("full", "qlora").table();

        assertTrue(t.doubleColumn("step_time_s").isMissing(0), "full 70B on one 24 GB card has no time");
        assertEquals(false, t.booleanColumn("fits").get(0));
    }

    @Test
    void should_stack_every_memory_term_under_the_gpu_line() {
        Table t = BASE.sweep().method("full", "lora", "qlora").recompute("none", "full").table();

        Figure f = TrainingPlots.memory(t, "method", "recompute");

        Trace[] traces = f.getTraces();
        assertEquals(11, traces.length);
        assertEquals(List.of("weights", "fp32 master weights", "gradients", "optimizer states", "gathered layers", "activations",
                "logits and loss", "communication buffers", "fragmentation", "CUDA context", "GPU memory"),
                Arrays.stream(traces).map(Trace::name).toList());
        assertTrue(f.asJavascript("div").contains("qlora / full"), "bars are labelled by the chosen columns");
    }

    @Test
    void should_name_the_unknown_column_of_a_chart() {
        Table t = BASE.sweep().method("lora").table();

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TrainingPlots.memory(t, "metod"));

        assertTrue(e.getMessage().contains("'metod'"), e.getMessage());
    }
}
