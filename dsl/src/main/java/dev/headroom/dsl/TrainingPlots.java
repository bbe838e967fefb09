package dev.headroom.dsl;

import dev.headroom.core.base.InvalidInputException;
import java.util.ArrayList;
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

/** Charts of training tables (from a training sweep or {@code methods()}), as tablesaw-jsplot figures. */
public final class TrainingPlots {
    /** The memory terms in stacking order: column and legend name. */
    private static final String[][] TERMS = {
            {"weights_bytes_per_gpu", "weights"}, {"master_weights_bytes_per_gpu", "fp32 master weights"},
            {"gradients_bytes_per_gpu", "gradients"}, {"optimizer_bytes_per_gpu", "optimizer states"},
            {"gathered_bytes_per_gpu", "gathered layers"}, {"activation_bytes_per_gpu", "activations"},
            {"logits_bytes_per_gpu", "logits and loss"}, {"buffers_bytes_per_gpu", "communication buffers"},
            {"fragmentation_bytes_per_gpu", "fragmentation"}, {"cuda_context_bytes_per_gpu", "CUDA context"}};
    private static final double GIB = 1L << 30;

    private TrainingPlots() {}

    /**
     * Memory per GPU stacked by term, one bar per row labelled by the given columns (e.g. "method", "recompute"),
     * with the GPU's memory as a line: a bar above the line does not fit. GiB (2^30 bytes).
     */
    public static Figure memory(Table training, String... labelColumns) {
        if (labelColumns.length == 0) {
            throw new InvalidInputException("TrainingPlots.memory(table, ...) needs at least one column to label the bars, e.g. \"method\"");
        }
        Object[] x = labels(training, labelColumns);
        List<Trace> traces = new ArrayList<>();
        for (String[] term : TERMS) {
            traces.add(BarTrace.builder(x, gib(values(training, term[0]))).name(term[1]).build());
        }
        traces.add(ScatterTrace.builder(StringColumn.create("bar", java.util.Arrays.stream(x).map(String::valueOf)),
                DoubleColumn.create("gpu_gib", gib(values(training, "gpu_memory_bytes")))).mode(ScatterTrace.Mode.LINE).name("GPU memory").build());
        String by = String.join(" / ", labelColumns);
        Layout layout = Layout.builder()
                .title("Training memory per GPU by " + by)
                .barMode(Layout.BarMode.STACK)
                .xAxis(Axis.builder().title(by).type(Axis.Type.CATEGORY).build())
                .yAxis(Axis.builder().title("GiB per GPU").build())
                .build();
        return new Figure(layout, traces.toArray(new Trace[0]));
    }

    /** One bar per row of a numeric column (e.g. "usd", "tokens_per_s_per_gpu"), labelled by the given columns. */
    public static Figure bars(Table training, String valueColumn, String... labelColumns) {
        Object[] x = labels(training, labelColumns.length == 0 ? new String[] {"method"} : labelColumns);
        String by = String.join(" / ", labelColumns.length == 0 ? new String[] {"method"} : labelColumns);
        Layout layout = Layout.builder()
                .title(valueColumn + " by " + by)
                .xAxis(Axis.builder().title(by).type(Axis.Type.CATEGORY).build())
                .yAxis(Axis.builder().title(valueColumn).build())
                .build();
        return new Figure(layout, BarTrace.builder(x, values(training, valueColumn)).name(valueColumn).build());
    }

    private static Object[] labels(Table t, String... columns) {
        for (String c : columns) {
            require(t, c);
        }
        Object[] out = new Object[t.rowCount()];
        for (int r = 0; r < out.length; r++) {
            StringBuilder b = new StringBuilder();
            for (String c : columns) {
                if (b.length() > 0) {
                    b.append(" / ");
                }
                b.append(t.column(c).getString(r));
            }
            // Plotly merges equal category labels: number repeated ones so every row keeps its bar.
            String label = b.toString();
            int seen = 0;
            for (int k = 0; k < r; k++) {
                if (String.valueOf(out[k]).equals(label) || String.valueOf(out[k]).startsWith(label + " #")) {
                    seen++;
                }
            }
            out[r] = seen == 0 ? label : label + " #" + (seen + 1);
        }
        return out;
    }

    private static double[] values(Table t, String column) {
        require(t, column);
        if (!(t.column(column) instanceof NumericColumn<?> n)) {
            throw new InvalidInputException("column '" + column + "' of table '" + t.name() + "' is not numeric");
        }
        return n.asDoubleArray();
    }

    private static double[] gib(double[] bytes) {
        double[] out = new double[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] / GIB;
        }
        return out;
    }

    private static void require(Table t, String column) {
        if (!t.columnNames().contains(column)) {
            throw InvalidInputException.unknown("column of table '" + t.name() + "'", column, t.columnNames());
        }
    }
}
