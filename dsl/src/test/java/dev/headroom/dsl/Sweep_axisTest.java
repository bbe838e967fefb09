package dev.headroom.dsl;

import static dev.headroom.dsl.Sizing.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

/** An axis of the user's own leads the table as a column of its values. */
class Sweep_axisTest {
    @Test
    void should_add_a_custom_axis_as_the_first_column() {
        // GIVEN a sweep over a "context" axis that sets the prompt length
        Table t = model("llama-3.1-8b").on("h100-sxm").maxLength(8192).output(0).sweep()
                .axis("context", List.of(1024, 2048, 4096), Scenario::input)
                .table();

        // THEN "context" is column 0, numeric, with the values in the order given, one row each
        assertEquals("context", t.columnNames().get(0));
        assertEquals(ColumnType.INTEGER, t.column(0).type());
        assertEquals(List.of(1024, 2048, 4096), t.intColumn("context").asList());
        assertEquals(List.of(1024L, 2048L, 4096L), t.longColumn("input_tokens").asList());
        assertEquals(3, t.rowCount());
    }

    @Test
    void should_lead_with_the_custom_axes_in_the_order_they_were_given() {
        Table t = model("llama-3.1-8b").on("h100-sxm").maxLength(8192).sweep()
                .axis("prompt", List.of(512, 1024), Scenario::input)
                .axis("label", List.of("short", "long"), (s, v) -> s.output(v.equals("short") ? 64 : 512))
                .table();

        assertEquals(List.of("prompt", "label"), t.columnNames().subList(0, 2));
        assertEquals(ColumnType.STRING, t.column("label").type());
        // the last axis varies fastest
        assertEquals(List.of(512, 512, 1024, 1024), t.intColumn("prompt").asList());
        assertEquals(List.of("short", "long", "short", "long"), t.stringColumn("label").asList());
        assertEquals(List.of(64L, 512L, 64L, 512L), t.longColumn("output_tokens").asList());
    }

    @Test
    void should_not_repeat_an_axis_that_is_already_a_column() {
        Table t = model("llama-3.1-8b").on("h100-sxm").sweep().batch(1, 2).table();

        assertEquals("model", t.columnNames().get(0));
        assertEquals(1, t.columnNames().stream().filter("batch"::equals).count());
    }

    @Test
    void should_show_the_request_rate_it_swept() {
        Table t = model("llama-3.1-8b").on("h100-sxm").maxLength(8192).input(1024).output(256).sweep().rate(0.5, 2.0).table();

        // request_rate is one of the column list's own columns: shown once, with the values swept
        assertEquals(1, t.columnNames().stream().filter("request_rate"::equals).count());
        assertEquals(List.of(0.5, 2.0), t.doubleColumn("request_rate").asList());
        // served rates: rate x 256 output tokens
        assertEquals(List.of(128.0, 512.0), t.doubleColumn("output_tokens_per_s").asList());
        assertTrue(t.columnNames().contains("ttft_ms"));
    }
}
