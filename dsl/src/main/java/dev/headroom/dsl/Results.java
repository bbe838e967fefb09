package dev.headroom.dsl;

import dev.headroom.core.Column.Unit;
import dev.headroom.core.Columns;
import dev.headroom.core.Estimate;
import dev.headroom.core.base.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.selection.Selection;

/**
 * A table of estimates, one row each: a Tablesaw {@link Table} (every Tablesaw operation works) with views and
 * filters in the words of the question. {@code memory()}, {@code speed()}, {@code cost()} show the columns that
 * vary (the swept settings) and that group's results; {@code fitsOnly()}, {@code cheapest(n)}, {@code best(metric)}
 * pick rows; {@code pivot(row, column, metric)} makes a grid for a heatmap; {@code estimate(row)} and
 * {@code assumptions(row)} give one row's whole estimate and its assumptions. Filters and sorts return Results, so
 * they chain; a row always knows which scenario it came from.
 */
public final class Results extends Table {
    /** Each view's columns after the varying settings; absent ones are skipped, and X_low/X_high follow X when present. */
    private static final List<String> MEMORY = List.of("weights_bytes_per_gpu", "activation_bytes_per_gpu", "runtime_overhead_bytes_per_gpu",
            "cuda_graph_bytes_per_gpu", "kv_cache_bytes_per_gpu", "workload_kv_bytes_per_gpu", "total_bytes_per_gpu", "gpu_memory_bytes", "fits", "limit",
            "max_concurrency", "max_concurrency_limit");
    private static final List<String> SPEED = List.of("fits", "concurrency", "ttft_ms", "tpot_ms", "e2e_latency_ms", "output_tokens_per_s",
            "output_tokens_per_s_per_gpu", "total_tokens_per_s", "bottleneck", "not_estimated");
    private static final List<String> COST = List.of("fits", "output_tokens_per_s", "usd_per_gpu_hour", "usd_per_hour",
            "usd_per_million_input_tokens", "usd_per_million_output_tokens", "compared_api", "break_even_tokens_per_day",
            "capacity_tokens_per_day", "not_estimated");
    private static final List<String> SETUP = Columns.of(dev.headroom.core.Column.Group.SETUP).stream()
            .map(dev.headroom.core.Column::name).toList();

    /** What a wide table shows when printed: the settings that vary and the answers most questions start from. */
    private static final List<String> SUMMARY = List.of("fits", "max_concurrency", "ttft_ms", "tpot_ms", "output_tokens_per_s",
            "usd_per_million_output_tokens", "not_estimated");
    /** Wider tables print their {@link #summary()}: 60 columns wrap and get cut in any notebook or terminal. */
    static final int MAX_SHOWN_COLUMNS = 16;

    private final transient Sweep source;
    /** Shown with every column (after {@link #all()} or a view), not as a summary. */
    private final boolean whole;
    /** The sweep row of each row of this table (null when the table was not made by a sweep). */
    private final int[] sourceRows;

    private Results(String name, Collection<Column<?>> columns, Sweep source, int[] sourceRows, boolean whole) {
        super(name, columns);
        this.source = source;
        this.sourceRows = sourceRows;
        this.whole = whole;
    }

    /** A sweep's whole table. */
    static Results of(Table t, Sweep source) {
        int[] rows = new int[t.rowCount()];
        Arrays.setAll(rows, i -> i);
        return new Results(t.name(), t.columns(), source, rows, false);
    }

    /** Any table of estimates (without a sweep behind it, {@link #estimate(int)} is not available). */
    public static Results of(Table t) {
        return t instanceof Results r ? r : new Results(t.name(), t.columns(), null, null, false);
    }

    private Results derived(Table t, int[] rows) {
        return new Results(t.name(), t.columns(), source, rows, whole);
    }

    // ------------------------------------------------------------------ views

    /** The settings that vary from row to row (the swept ones), then weights, activations, overhead, the KV pool, fits and max concurrency. */
    public Results memory() {
        return view("memory", MEMORY);
    }

    /** The settings that vary, then latency (TTFT, TPOT, end to end), tokens/s and the bottleneck. */
    public Results speed() {
        return view("speed", SPEED);
    }

    /** The settings that vary, then tokens/s, prices per hour and per 1M tokens, and the break-even against an API. */
    public Results cost() {
        return view("cost", COST);
    }

    /** Every setting column: model, GPU, split, engine, precisions and the requests. */
    public Results setup() {
        return view("setup", SETUP);
    }

    /** The settings that vary, then fits, max concurrency, TTFT, TPOT, tokens/s and $ per 1M output tokens: what a wide table prints. */
    public Results summary() {
        return view("summary", SUMMARY, false);
    }

    /** This table shown with every column when printed (a wide table otherwise prints its {@link #summary()}). */
    public Results all() {
        return new Results(name(), columns(), source, sourceRows, true);
    }

    /**
     * What printing this table shows (text, and the notebook's HTML): the table itself when narrow or after
     * {@link #all()}, else its summary, named so that it says how to see the rest.
     */
    public Table shown() {
        if (whole || columnCount() <= MAX_SHOWN_COLUMNS) {
            return this;
        }
        Results s = summary();
        s.setName(name() + " (" + s.columnCount() + " of " + columnCount() + " columns: .all() shows every one; "
                + ".memory(), .speed(), .cost() a group)");
        return s;
    }

    @Override
    public String toString() {
        Table s = shown();
        return s == this ? super.toString() : s.toString();
    }

    private Results view(String what, List<String> wanted) {
        return view(what, wanted, true);
    }

    /** @param bounds whether X_low and X_high follow X (the summary leaves them to the views) */
    private Results view(String what, List<String> wanted, boolean bounds) {
        Set<String> names = new LinkedHashSet<>(varyingSettings());
        for (String w : wanted) {
            if (columnNames().contains(w)) {
                names.add(w);
                for (String bound : List.of(w + "_low", w + "_high")) {
                    if (bounds && columnNames().contains(bound)) {
                        names.add(bound);
                    }
                }
            }
        }
        Table t = selectColumns(names.toArray(String[]::new));
        t.setName(name() + ": " + what);
        return new Results(t.name(), t.columns(), source, sourceRows, true);
    }

    /**
     * The setting columns whose value changes from row to row, in table order: the sweep's axes, or for any table
     * the setup columns and columns of its own (a custom axis) that vary. With one row: model and GPU.
     */
    public List<String> varyingSettings() {
        List<String> out = new ArrayList<>();
        for (Column<?> c : columns()) {
            boolean setting = SETUP.contains(c.name()) || Columns.named(c.name()).isEmpty() && !isBound(c.name());
            if (setting && varies(c)) {
                out.add(c.name());
            }
        }
        if (out.isEmpty()) {
            for (String s : List.of("model", "gpu")) {
                if (columnNames().contains(s)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private static boolean isBound(String name) {
        return name.endsWith("_low") || name.endsWith("_high");
    }

    private static boolean varies(Column<?> c) {
        if (c.size() < 2) {
            return false;
        }
        String first = c.getUnformattedString(0);
        for (int r = 1; r < c.size(); r++) {
            if (!c.getUnformattedString(r).equals(first)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ filters

    /** The rows that fit. */
    public Results fitsOnly() {
        requireColumn("fits");
        return where(((BooleanColumn) column("fits")).isTrue());
    }

    /** The {@code n} rows with the lowest cost per 1M output tokens (rows that fit and have a price), cheapest first. */
    public Results cheapest(int n) {
        Args.positive("cheapest(...)", n);
        return ranked("usd_per_million_output_tokens", n);
    }

    /**
     * The row that does best on a metric among those that fit: highest for throughputs and capacities, lowest for
     * latencies, memory and money ({@code best("output_tokens_per_s")}, {@code best("tpot_ms")}).
     */
    public Results best(String metric) {
        return best(metric, 1);
    }

    /** The {@code n} best rows on a metric, best first. */
    public Results best(String metric, int n) {
        Args.positive("best(metric, ...)", n);
        return ranked(metric, n);
    }

    private Results ranked(String metric, int n) {
        requireColumn(metric);
        if (!(column(metric) instanceof NumericColumn<?> values)) {
            throw new InvalidInputException("best(\"" + metric + "\"): '" + metric + "' is not a number — numeric columns: "
                    + String.join(", ", numericColumns().stream().map(Column::name).toList()));
        }
        Selection usable = values.isNotMissing();
        if (columnNames().contains("fits")) {
            usable = usable.and(((BooleanColumn) column("fits")).isTrue());
        }
        Results candidates = where(usable);
        Results sorted = lowerIsBetter(metric) ? candidates.sortAscendingOn(metric) : candidates.sortDescendingOn(metric);
        return sorted.first(n);
    }

    /** Latencies, memory and money are better low; throughputs, capacities and counts are better high. */
    static boolean lowerIsBetter(String metric) {
        Unit unit = Columns.named(metric).map(dev.headroom.core.Column::unit).orElse(null);
        if (unit != null) {
            return switch (unit) {
                case MS, BYTES, USD, USD_PER_HOUR, USD_PER_MONTH, USD_PER_MILLION_TOKENS -> true;
                default -> false;
            };
        }
        return metric.endsWith("_ms") || metric.contains("usd") || metric.contains("bytes") || metric.contains("latency");
    }

    // ------------------------------------------------------------------ grids

    /**
     * One row per value of {@code row}, one column per value of {@code column}, each cell the {@code metric} of the
     * one row with those two values: the grid a heatmap draws ({@code Plots.heatmap}). Rows never merge: when other
     * settings vary too, several rows share a cell and the call says which columns to filter on first.
     */
    public Table pivot(String row, String column, String metric) {
        return Grid.of(this, row, column, metric).table();
    }

    // ------------------------------------------------------------------ one row's estimate

    /** The whole estimate of one row (memory breakdown, speed, cost, assumptions), computed again from its scenario. */
    public Estimate estimate(int row) {
        return scenario(row).estimate();
    }

    /** The assumptions behind one row's estimate, in words. */
    public Assumptions assumptions(int row) {
        return scenario(row).assumptions();
    }

    /** The scenario a row came from (its steps, ready to branch from). */
    public Scenario scenario(int row) {
        if (source == null) {
            throw new InvalidInputException("this table was not made by a sweep, so its rows have no scenario: make it with "
                    + "scenario.sweep()...table() to ask for one row's estimate");
        }
        if (row < 0 || row >= rowCount()) {
            throw new InvalidInputException("row " + row + " is outside this table's " + rowCount() + " rows (0 to " + (rowCount() - 1) + ")");
        }
        return source.scenarioAt(sourceRows[row]);
    }

    // ------------------------------------------------------------------ Tablesaw operations that keep the rows' origin

    @Override
    public Results where(Selection selection) {
        Table t = super.where(selection);
        return derived(t, sourceRows == null ? null : selection.toArray().length == 0 ? new int[0] : pick(selection.toArray()));
    }

    @Override
    public Results where(Function<Table, Selection> selection) {
        return where(selection.apply(this));
    }

    @Override
    public Results dropWhere(Selection selection) {
        return where(Selection.withRange(0, rowCount()).andNot(selection));
    }

    @Override
    public Results dropWhere(Function<Table, Selection> selection) {
        return dropWhere(selection.apply(this));
    }

    @Override
    public Results first(int n) {
        return where(Selection.withRange(0, Math.min(n, rowCount())));
    }

    @Override
    public Results last(int n) {
        return where(Selection.withRange(Math.max(0, rowCount() - n), rowCount()));
    }

    @Override
    public Results sortOn(String... columns) {
        return sorted(t -> t.sortOn(columns));
    }

    @Override
    public Results sortAscendingOn(String... columns) {
        return sorted(t -> t.sortAscendingOn(columns));
    }

    @Override
    public Results sortDescendingOn(String... columns) {
        return sorted(t -> t.sortDescendingOn(columns));
    }

    @Override
    public Results copy() {
        return derived(super.copy(), sourceRows);
    }

    /** Sorts a plain copy that carries each row's index, then reads the new order back from it. */
    private Results sorted(Function<Table, Table> sort) {
        String index = "__row";
        Table plain = Table.create(name(), columns());
        plain.addColumns(IntColumn.indexColumn(index, rowCount(), 0));
        Table s = sort.apply(plain);
        int[] order = ((IntColumn) s.column(index)).asIntArray();
        s.removeColumns(index);
        return derived(s, sourceRows == null ? null : pick(order));
    }

    private int[] pick(int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = sourceRows[rows[i]];
        }
        return out;
    }

    private void requireColumn(String name) {
        if (!columnNames().contains(name)) {
            throw InvalidInputException.unknown("column of table '" + name() + "'", name, columnNames());
        }
    }
}
