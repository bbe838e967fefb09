package dev.headroom.dsl;

import static dev.headroom.dsl.Sizing.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** Line and bar charts: one series per group, never a sum of rows; error bars from X_low/X_high; missing is not zero. */
class Plots_seriesTest {
    private static final Table KV_BY_BATCH = model("llama-3.1-8b").on("h100-sxm").input(2048).output(512)
            .sweep().batch(1, 8, 32, 128).kv("bf16", "fp8").table();

    private static List<Map<String, Object>> drawn(Chart c) {
        return c.traces().stream().filter(t -> !"text".equals(t.get("mode"))).toList();
    }

    @Test
    void should_draw_one_line_per_setting_that_varies_besides_x() {
        // WHEN a sweep over batch and KV precision is drawn against batch, naming no groups
        Chart c = Plots.line(KV_BY_BATCH, "batch", "output_tokens_per_s");

        // THEN one line per KV precision, each with one point per batch, left to right
        assertEquals(List.of("bf16", "fp8"), c.seriesNames());
        for (Map<String, Object> t : drawn(c)) {
            double[] x = (double[]) t.get("x");
            assertEquals(4, x.length, t.get("name").toString());
            double[] sorted = x.clone();
            Arrays.sort(sorted);
            assertTrue(Arrays.equals(sorted, x), "ascending x: " + Arrays.toString(x));
        }
    }

    @Test
    void should_name_the_groups_in_the_legend_and_say_in_words_what_the_axes_hold() {
        Chart c = Plots.line(KV_BY_BATCH, "batch", "tpot_ms", "kv_dtype");

        assertEquals(2, drawn(c).size());
        String json = c.json();
        assertTrue(json.contains("ms"), "the time axis names its unit: " + json);
        assertTrue(c.title().contains("llama-3.1-8b") || c.title().contains("Llama"), c.title());
        assertTrue(c.title().toLowerCase().contains("h100"), c.title());
        assertFalse(c.title().contains("tpot_ms"), "words, not column names: " + c.title());
    }

    @Test
    void should_never_add_up_rows_that_share_an_x_value() {
        // GIVEN three set-ups of one GPU: bars by GPU would stack or sum them
        Table t = model("llama-3.1-8b").on("h100-sxm").sweep().batch(1, 8, 64).table();

        Chart c = Plots.bars(t, "gpu", "output_tokens_per_s");

        // THEN every row is a bar of its own value, and the values drawn are exactly the table's
        Set<Double> drawnValues = new HashSet<>();
        for (Map<String, Object> trace : drawn(c)) {
            for (double v : (double[]) trace.get("y")) {
                drawnValues.add(v);
            }
        }
        Set<Double> rows = new HashSet<>();
        for (int r = 0; r < t.rowCount(); r++) {
            rows.add(t.doubleColumn("output_tokens_per_s").get(r));
        }
        assertEquals(rows, drawnValues);
        assertEquals(3, drawn(c).size(), "one series per batch: " + c.seriesNames());
    }

    @Test
    void should_draw_error_bars_from_the_low_and_high_columns() {
        Table t = model("llama-3.1-8b").on("h100-sxm").sweep().concurrency(1, 16, 64).table();
        assertTrue(t.columnNames().contains("output_tokens_per_s_low"), t.columnNames().toString());

        Chart c = Plots.speed(t);

        for (Map<String, Object> trace : drawn(c)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> bars = (Map<String, Object>) trace.get("error_y");
            assertTrue(bars != null && Boolean.TRUE.equals(bars.get("visible")), "error bars on " + trace.get("name") + ": " + bars);
            double[] up = (double[]) bars.get("array");
            double[] down = (double[]) bars.get("arrayminus");
            for (int i = 0; i < up.length; i++) {
                assertTrue(up[i] >= 0 && down[i] >= 0 && up[i] + down[i] > 0, "a band around each point: " + up[i] + ", " + down[i]);
            }
        }
    }

    @Test
    void should_say_no_price_where_a_gpu_has_none_instead_of_a_zero_bar() {
        // GIVEN a GPU the catalog has no rental price for, beside one it has
        Table t = model("llama-3.1-8b").context(4096).sweep().gpu("h100-sxm", "a30").table();

        Chart c = Plots.cost(t, "gpu");

        double[] y = (double[]) drawn(c).get(0).get("y");
        assertTrue(y[0] > 0, "h100 has a cost");
        assertTrue(Double.isNaN(y[1]), "a30 is missing, not zero: " + y[1]);
        Map<String, Object> marks = c.traces().stream().filter(m -> "text".equals(m.get("mode"))).findFirst().orElseThrow();
        assertEquals("no price", ((String[]) marks.get("text"))[1]);
        assertFalse(c.json().contains("\"y\":[0"), "no bar drawn at zero");
        // AND the priced bar carries the cost band that follows from the speed band
        @SuppressWarnings("unchecked")
        Map<String, Object> band = (Map<String, Object>) drawn(c).get(0).get("error_y");
        assertTrue(((double[]) band.get("array"))[0] > 0 && ((double[]) band.get("arrayminus"))[0] > 0, c.json());
    }

    @Test
    void should_name_the_columns_a_chart_could_draw_for_an_unknown_one() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Plots.line(KV_BY_BATCH, "batch", "tokens_per_s"));
        assertTrue(e.getMessage().contains("output_tokens_per_s"), e.getMessage());
    }
}
