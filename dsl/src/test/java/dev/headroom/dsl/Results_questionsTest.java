package dev.headroom.dsl;

import static dev.headroom.dsl.Sizing.model;
import static dev.headroom.dsl.Sizing.powersOfTwo;
import static dev.headroom.dsl.Sizing.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** The everyday questions in one step each, and answers that agree with each other. */
class Results_questionsTest {
    private static final Scenario LLAMA = model("llama-3.1-8b").on("h100-sxm");

    private static List<Long> longs(Table t, String column) {
        var c = (tech.tablesaw.api.NumericColumn<?>) t.column(column);
        return java.util.stream.IntStream.range(0, t.rowCount()).mapToObj(r -> (long) c.getDouble(r)).toList();
    }

    @Test
    void should_sweep_a_context_axis_with_the_prompt_filling_what_the_answer_leaves() {
        Results t = LLAMA.output(512).sweep().context(4096, 16384).table();

        assertEquals(List.of(4096L, 16384L), longs(t, "max_model_len"));
        assertEquals(List.of(4096L - 512, 16384L - 512), longs(t, "input_tokens"));
        assertEquals(List.of(512L, 512L), longs(t, "output_tokens"));
    }

    @Test
    void should_take_arrays_ranges_and_decimal_rates() {
        assertArrayEquals(new int[] {1, 2, 4, 8, 16}, powersOfTwo(1, 16));
        assertArrayEquals(new int[] {1024, 2048, 3072}, range(1024, 3072, 1024));
        assertArrayEquals(new double[] {0.5, 1.0, 1.5}, range(0.5, 1.5, 0.5));
        int[] batches = powersOfTwo(1, 4);
        assertEquals(3, LLAMA.sweep().batch(batches).table().rowCount());
        assertEquals(2, LLAMA.sweep().rate(0.5, 2).table().rowCount());
    }

    @Test
    void should_let_a_later_step_replace_an_earlier_one() {
        assertEquals(1, LLAMA.gpus(4).gpus(1).deployment().gpus());
        assertEquals(2, LLAMA.tp(4).gpus(2).deployment().gpus());
    }

    @Test
    void should_print_a_scenario_without_estimating_it() {
        // a setting that cannot be deployed still prints: nothing is computed to print
        String text = LLAMA.gpus(3).tp(2).toString();
        assertTrue(text.startsWith("llama-3.1-8b on"), text);
    }

    @Test
    void should_pick_rows_that_fit_the_cheapest_and_the_best() {
        Results t = model("llama-3.1-70b").context(8192).sweep().gpu("h100-sxm", "a100-80gb", "l4").gpus(1, 2, 4).table();

        Results fits = t.fitsOnly();
        assertTrue(fits.rowCount() > 0 && fits.rowCount() < t.rowCount(), fits.rowCount() + " of " + t.rowCount());
        assertTrue(fits.booleanColumn("fits").asList().stream().allMatch(b -> b));

        Results cheapest = t.cheapest(2);
        assertEquals(2, cheapest.rowCount());
        assertTrue(cheapest.doubleColumn("usd_per_million_output_tokens").get(0) <= cheapest.doubleColumn("usd_per_million_output_tokens").get(1));
        double lowest = fits.doubleColumn("usd_per_million_output_tokens").removeMissing().min();
        assertEquals(lowest, cheapest.doubleColumn("usd_per_million_output_tokens").get(0), 1e-12);

        Results fastest = t.best("tpot_ms");
        assertEquals(fits.doubleColumn("tpot_ms").removeMissing().min(), fastest.doubleColumn("tpot_ms").get(0), 1e-12);
        // a row keeps its scenario: its whole estimate is one call away
        assertEquals(fastest.doubleColumn("tpot_ms").get(0), fastest.estimate(0).perf().tpotSeconds() * 1e3, 1e-6);
        assertFalse(fastest.assumptions(0).toString().isBlank());
    }

    @Test
    void should_give_no_speed_or_cost_to_a_configuration_that_does_not_fit_and_say_why() {
        Results t = model("llama-3.1-70b").context(8192).sweep().gpu("l4").table();

        assertFalse(t.booleanColumn("fits").get(0));
        assertTrue(t.doubleColumn("tpot_ms").isMissing(0));
        assertTrue(t.doubleColumn("usd_per_million_output_tokens").isMissing(0));
        assertEquals("does not fit", t.stringColumn("not_estimated").get(0));
    }

    @Test
    void should_answer_the_largest_batch_with_the_tables_max_concurrency() {
        Scenario s = LLAMA.context(8192);
        Results t = s.sweep().batch(1).table();

        assertEquals(s.largestBatch(), longs(t, "max_concurrency").get(0).intValue());
        assertTrue(s.largestBatch() <= longs(t, "engine_max_sequences").get(0), "capped by the engine's limit");
    }

    @Test
    void should_compare_gpus_and_pivot_a_grid_without_merging_rows() {
        Results byGpu = LLAMA.context(8192).compare("h100-sxm", "h200", "l40s");
        assertEquals(List.of("h100-sxm", "h200", "l40s"), byGpu.stringColumn("gpu").asList());

        Table grid = LLAMA.sweep().batch(1, 8).context(4096, 8192).table().pivot("batch", "max_model_len", "total_bytes_per_gpu");
        assertEquals(2, grid.rowCount());
        assertEquals(3, grid.columnCount());

        Results two = LLAMA.sweep().batch(1, 8).kv("bf16", "fp8").context(4096, 8192).table();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> two.pivot("batch", "max_model_len", "tpot_ms"));
        assertTrue(e.getMessage().contains("kv_dtype"), e.getMessage());
    }

    @Test
    void should_print_a_wide_table_as_its_summary_and_every_column_on_request() {
        Results t = LLAMA.sweep().batch(1, 8).kv("bf16", "fp8").table();
        assertTrue(t.columnCount() > Results.MAX_SHOWN_COLUMNS);

        Table shown = t.shown();
        assertTrue(shown.columnCount() <= Results.MAX_SHOWN_COLUMNS, shown.columnNames().toString());
        assertTrue(shown.columnNames().containsAll(List.of("batch", "kv_dtype", "tpot_ms", "output_tokens_per_s")), shown.columnNames().toString());
        assertTrue(t.toString().contains(".all()"), t.toString());
        assertEquals(t.columnCount(), t.all().shown().columnCount());
        assertEquals(t.memory().columnCount(), t.memory().shown().columnCount());
    }
}
