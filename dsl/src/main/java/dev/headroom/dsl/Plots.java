package dev.headroom.dsl;

import java.nio.file.Path;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

/**
 * Charts of Headroom tables, drawn offline in the notebook (plotly.js travels with the notebook, never from a CDN).
 * Every chart fills the cell's width, names the model, GPU and engine in its title, labels its axes in words with
 * units (memory in GiB), leaves missing values missing, draws one series per group with a legend (rows are never
 * added up), and draws error bars wherever a column X comes with X_low and X_high.
 */
public final class Plots {
    private Plots() {}

    /** One column against another as lines; one line per setting that varies besides x (a sweep over kv and batch: one line per kv). */
    public static Chart line(Table t, String x, String y) {
        return LineCharts.line(table("line", t, x, y), x, y, null);
    }

    /** One line per value of {@code by} (and of any other setting that varies at a fixed x). */
    public static Chart line(Table t, String x, String y, String by) {
        return LineCharts.line(table("line", t, x, y), x, y, by);
    }

    /** One bar per row, grouped side by side when another setting varies; a bar without a value says why. */
    public static Chart bars(Table t, String x, String y) {
        return LineCharts.bars(table("bars", t, x, y), x, y, null);
    }

    /** One bar per row, one colour per value of {@code by}. */
    public static Chart bars(Table t, String x, String y, String by) {
        return LineCharts.bars(table("bars", t, x, y), x, y, by);
    }

    /**
     * Memory per GPU stacked: weights, activations, overhead, and the engine's KV pool (the part the batch fills and
     * the part it leaves free), against the GPU's memory. Red above the pool: KV the batch needs and the pool cannot hold.
     */
    public static Chart memory(Table t, String x) {
        return MemoryCharts.stack(sweep("memory", t, x), x, null);
    }

    /** The same, one group of bars per value of {@code by}. */
    public static Chart memory(Table t, String x, String by) {
        return MemoryCharts.stack(sweep("memory", t, x), x, by);
    }

    /** The KV cache the batch needs against the weights, with the point where KV passes them. */
    public static Chart kvVsWeights(Table t, String x) {
        return MemoryCharts.crossover(sweep("kvVsWeights", t, x), x, null);
    }

    public static Chart kvVsWeights(Table t, String x, String by) {
        return MemoryCharts.crossover(sweep("kvVsWeights", t, x), x, by);
    }

    /** Output tokens/s and time per output token against the requests in flight, one line per setting that varies. */
    public static Chart speed(Table t) {
        return ServingCharts.speed(Args.notNull("speed(sweep)", t), null);
    }

    /** The same, one line per value of {@code by} (a precision, an engine, a GPU). */
    public static Chart speed(Table t, String by) {
        return ServingCharts.speed(Args.notNull("speed(sweep, ...)", t), by);
    }

    /** Dollars per million output tokens by a setting (GPU, GPU count); a bar without a price or that does not fit says so. */
    public static Chart cost(Table t, String x) {
        return ServingCharts.cost(sweep("cost", t, x), x, null);
    }

    public static Chart cost(Table t, String x, String by) {
        return ServingCharts.cost(sweep("cost", t, x), x, by);
    }

    /** Whether each pair of two settings fits (a batch x context grid), the reason in each cell that does not. */
    public static Chart fits(Table t, String row, String column) {
        return GridCharts.fits(t, row, column);
    }

    /** Any number over two settings (see {@link Results#pivot}): one cell per row, never a sum. */
    public static Chart heatmap(Table t, String row, String column, String metric) {
        return GridCharts.heatmap(t, row, column, metric);
    }

    /** Published value against prediction for the cases of {@link Validation}, one colour per kind, with error bars. */
    public static Chart validation(Table cases) {
        return ValidationChart.of(cases, "kind");
    }

    public static Chart validation(Table cases, String by) {
        return ValidationChart.of(cases, by);
    }

    /** A sweep table and its x column, named in the call's words when missing: "memory(sweep, xColumn) ... null". */
    private static Table sweep(String method, Table t, String x) {
        Args.notNull(method + "(sweep, ...)", t);
        Args.name(method + "(sweep, xColumn)", x);
        return t;
    }

    private static Table table(String method, Table t, String x, String y) {
        Args.notNull(method + "(table, ...)", t);
        Args.name(method + "(table, xColumn, ...)", x);
        Args.name(method + "(table, xColumn, yColumn)", y);
        return t;
    }

    /** Writes a chart as a self-contained HTML page (plotly.js inside, drawn offline) and returns where. */
    public static Path save(Figure chart, String file) {
        return ChartPages.save(chart, file);
    }
}
