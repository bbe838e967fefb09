package dev.headroom.dsl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.BarTrace;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

/**
 * Charts of sweep tables as tablesaw-jsplot figures. The kernel renders them offline; these methods only
 * build figures and never touch plotly.js or HTML.
 */
public final class Plots {
    private static final String[][] MEMORY_TERMS = {
            {"weights_bytes_per_gpu", "weights"}, {"workload_kv_bytes_per_gpu", "KV cache"}, {"activation_bytes_per_gpu", "activations"},
            {"runtime_overhead_bytes_per_gpu", "runtime overhead"}};
    private static final double GIB = 1L << 30;

    private Plots() {}

    /**
     * Per-GPU memory stacked by term (weights, KV cache for the batch, activations, overhead) against one
     * swept column, with the GPU's memory as a line: where the KV bar crosses it, the batch no longer fits.
     */
    public static Figure memory(Table sweep, String xColumn) {
        Args.notNull("memory(sweep, ...)", sweep);
        Args.name("memory(sweep, xColumn)", xColumn);
        Object[] x = categories(sweep, xColumn);
        List<Trace> traces = new ArrayList<>();
        for (String[] term : MEMORY_TERMS) {
            traces.add(BarTrace.builder(x, gib(values(sweep, term[0]))).name(term[1]).build());
        }
        traces.add(ScatterTrace.builder(StringColumn.create(xColumn, Arrays.stream(x).map(String::valueOf)),
                        DoubleColumn.create("gpu_gib", gib(values(sweep, "gpu_memory_bytes")))).mode(ScatterTrace.Mode.LINE)
                .name("GPU memory").build());
        Layout layout = Layout.builder()
                .title("Memory per GPU by " + xColumn)
                .barMode(Layout.BarMode.STACK)
                .xAxis(Axis.builder().title(xColumn).type(Axis.Type.CATEGORY).build())
                .yAxis(Axis.builder().title("GiB per GPU").build())
                .build();
        return new Figure(layout, traces.toArray(new Trace[0]));
    }

    /** Weights against KV cache only: the picture of KV coming to dominate as the batch grows. */
    public static Figure weightsVsKv(Table sweep, String xColumn) {
        Args.notNull("weightsVsKv(sweep, ...)", sweep);
        Args.name("weightsVsKv(sweep, xColumn)", xColumn);
        Object[] x = categories(sweep, xColumn);
        Layout layout = Layout.builder()
                .title("Weights vs KV cache per GPU by " + xColumn)
                .barMode(Layout.BarMode.GROUP)
                .xAxis(Axis.builder().title(xColumn).type(Axis.Type.CATEGORY).build())
                .yAxis(Axis.builder().title("GiB per GPU").build())
                .build();
        return new Figure(layout,
                BarTrace.builder(x, gib(values(sweep, "weights_bytes_per_gpu"))).name("weights").build(),
                BarTrace.builder(x, gib(values(sweep, "workload_kv_bytes_per_gpu"))).name("KV cache").build());
    }

    /** One bar per row: a numeric column by a category column (e.g. $ per 1M tokens by GPU). */
    public static Figure bars(Table table, String categoryColumn, String valueColumn) {
        Args.notNull("bars(table, ...)", table);
        Args.name("bars(table, categoryColumn, ...)", categoryColumn);
        Args.name("bars(table, categoryColumn, valueColumn)", valueColumn);
        Layout layout = Layout.builder()
                .title(valueColumn + " by " + categoryColumn)
                .xAxis(Axis.builder().title(categoryColumn).type(Axis.Type.CATEGORY).build())
                .yAxis(Axis.builder().title(valueColumn).build())
                .build();
        return new Figure(layout, BarTrace.builder(categories(table, categoryColumn), values(table, valueColumn)).name(valueColumn).build());
    }

    /** One numeric column against another, as a line with markers; axis titles are the column names. */
    public static Figure line(Table table, String xColumn, String yColumn) {
        Args.notNull("line(table, ...)", table);
        Args.name("line(table, xColumn, ...)", xColumn);
        Args.name("line(table, xColumn, yColumn)", yColumn);
        Layout layout = Layout.builder()
                .title(yColumn + " by " + xColumn)
                .xAxis(Axis.builder().title(xColumn).build())
                .yAxis(Axis.builder().title(yColumn).build())
                .build();
        return new Figure(layout, ScatterTrace.builder(values(table, xColumn), values(table, yColumn))
                .mode(ScatterTrace.Mode.LINE_AND_MARKERS).name(yColumn).build());
    }

    private static double[] gib(double[] bytes) {
        double[] out = new double[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] / GIB;
        }
        return out;
    }

    private static Object[] categories(Table t, String column) {
        requireColumn(t, column);
        return t.column(column).asList().stream().map(String::valueOf).toArray();
    }

    private static double[] values(Table t, String column) {
        requireColumn(t, column);
        if (!(t.column(column) instanceof NumericColumn<?> n)) {
            throw new dev.headroom.core.base.InvalidInputException("column '" + column + "' of table '" + t.name()
                    + "' is not numeric — numeric columns: " + String.join(", ", t.numericColumns().stream().map(c -> c.name()).toList()));
        }
        return n.asDoubleArray();
    }

    private static void requireColumn(Table t, String column) {
        if (!t.columnNames().contains(column)) {
            throw dev.headroom.core.base.InvalidInputException.unknown("column of table '" + t.name() + "'", column, t.columnNames());
        }
    }
}
