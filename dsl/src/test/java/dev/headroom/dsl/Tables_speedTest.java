package dev.headroom.dsl;

import static dev.headroom.dsl.Sizing.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.Estimate;
import dev.headroom.core.perf.PerfEstimate;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** The speed columns of an estimate table, under each load a Scenario can ask for. */
class Tables_speedTest {
    /** Tables keep the estimate's numbers unrounded (renderers format them for reading). */
    private static void assertCell(double expected, double cell, String column) {
        assertEquals(expected, cell, 1e-12 * Math.abs(expected), column);
    }

    private static void assertSpeedColumns(Table t, PerfEstimate p) {
        assertTrue(t.columnNames().containsAll(List.of("ttft_ms", "tpot_ms", "output_tokens_per_s")), t.columnNames().toString());
        assertCell(1e3 * p.ttftSeconds(), t.doubleColumn("ttft_ms").get(0), "ttft_ms");
        assertCell(1e3 * p.tpotSeconds(), t.doubleColumn("tpot_ms").get(0), "tpot_ms");
        assertCell(p.outputTokensPerSecond(), t.doubleColumn("output_tokens_per_s").get(0), "output_tokens_per_s");
    }

    @Test
    void should_show_a_closed_loop_in_milliseconds_and_tokens_per_second() {
        // GIVEN 16 requests in flight
        Scenario s = model("llama-3.1-8b").on("h100-sxm").maxLength(8192).input(1024).output(256).concurrency(16);

        // WHEN tabled
        Table t = s.sweep().table();

        // THEN one row whose speed columns are the estimate's seconds x 1000 and tokens/s
        assertEquals(1, t.rowCount());
        assertSpeedColumns(t, s.estimate().perf());
        assertEquals(16.0, t.doubleColumn("concurrency").get(0), 1e-9);
    }

    @Test
    void should_show_the_saturating_throughput_with_its_resolved_concurrency() {
        Scenario s = model("llama-3.1-8b").on("h100-sxm").maxLength(8192).input(1024).output(256).maxThroughput();

        Table t = Tables.of(List.of(s.estimate()));

        PerfEstimate p = s.estimate().perf();
        assertSpeedColumns(t, p);
        assertTrue(t.doubleColumn("concurrency").get(0) > 1, "resolved, not 0: " + t.doubleColumn("concurrency").get(0));
        assertEquals("saturating throughput", t.stringColumn("load").get(0));
    }

    @Test
    void should_show_a_served_request_rate_as_rate_times_output_tokens() {
        Scenario s = model("llama-3.1-8b").on("h100-sxm").maxLength(8192).input(1024).output(256).rate(2);

        Table t = s.sweep().table();

        assertSpeedColumns(t, s.estimate().perf());
        // 2 requests/s x 256 output tokens
        assertEquals(512.0, t.doubleColumn("output_tokens_per_s").get(0), 1e-9);
    }

    @Test
    void should_leave_ttft_missing_for_an_overloaded_rate_not_nan_text() {
        // GIVEN far more requests than one L4 can serve
        Scenario s = model("llama-3.1-8b").on("l4").maxLength(4096).input(1024).output(256).rate(1000);
        Estimate e = s.estimate();
        assertNull(e.perf().ttftSeconds());

        // WHEN tabled
        Table t = s.sweep().table();

        // THEN the cell is missing (Tablesaw's missing value), the other speed cells are numbers, and no "NaN" is printed
        assertTrue(t.doubleColumn("ttft_ms").isMissing(0));
        assertEquals(1, t.doubleColumn("ttft_ms").countMissing());
        assertFalse(t.doubleColumn("tpot_ms").isMissing(0));
        assertFalse(t.doubleColumn("output_tokens_per_s").isMissing(0));
        assertEquals("overloaded", t.stringColumn("bottleneck").get(0));
        assertFalse(t.print().contains("NaN"), t.print());
        assertFalse(t.doubleColumn("ttft_ms").getString(0).contains("NaN"), t.doubleColumn("ttft_ms").getString(0));
    }

    @Test
    void should_leave_cost_missing_where_the_catalog_has_no_price() {
        Scenario s = model("llama-3.1-8b").on("mi355x").maxLength(8192).concurrency(4);

        Table t = s.sweep().table();

        assertTrue(t.doubleColumn("usd_per_hour").isMissing(0));
        assertFalse(t.doubleColumn("tpot_ms").isMissing(0));
        Table priced = s.pricePerGpuHour(3).sweep().table();
        assertEquals(3.0, priced.doubleColumn("usd_per_hour").get(0), 1e-9);
    }

    @Property(tries = 10)
    void should_never_lower_output_tokens_per_second_down_a_concurrency_sweep(@ForAll @IntRange(min = 1, max = 32) int a,
                                                                             @ForAll @IntRange(min = 1, max = 32) int b) {
        // GIVEN a sweep over two concurrencies, the smaller first (both below the 256 vLLM admits)
        int small = Math.min(a, b);
        int big = Math.max(a, b) * 8;
        Table t = model("llama-3.1-8b").on("h100-sxm").maxLength(8192).input(512).output(256).sweep().concurrency(small, big).table();

        // THEN the concurrency column holds the swept values, and more in flight never gives fewer tokens/s
        assertEquals(List.of((double) small, (double) big), t.doubleColumn("concurrency").asList());
        assertTrue(t.doubleColumn("output_tokens_per_s").get(1) >= t.doubleColumn("output_tokens_per_s").get(0), t.print());
        assertTrue(t.doubleColumn("tpot_ms").get(1) >= t.doubleColumn("tpot_ms").get(0), t.print());
        assertNotNull(t.column("ttft_ms"));
    }
}
