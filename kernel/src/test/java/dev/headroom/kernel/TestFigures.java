package dev.headroom.kernel;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.api.LinePlot;
import tech.tablesaw.plotly.api.VerticalBarPlot;
import tech.tablesaw.plotly.components.Figure;

/** Small tables and jsplot figures for renderer tests (Tablesaw and jsplot directly, no DSL). */
final class TestFigures {
    private TestFigures() {}

    static Table gpus() {
        return Table.create("gpus").addColumns(
                StringColumn.create("gpu", "h100-sxm", "a<100> & \"co\"", "l40s"),
                DoubleColumn.create("memory_gib", 80.0, 40.0, 48.0),
                IntColumn.create("count", 8, 4, 2));
    }

    static Table rows(int n) {
        IntColumn index = IntColumn.create("i");
        for (int i = 0; i < n; i++) {
            index.append(i);
        }
        return Table.create("many").addColumns(index);
    }

    static Figure line() {
        Table t = Table.create("curve").addColumns(
                IntColumn.create("batch", 1, 2, 4, 8),
                DoubleColumn.create("tokens_per_s", 100.0, 190.0, 350.0, 600.0));
        return LinePlot.create("Throughput by batch", t, "batch", "tokens_per_s");
    }

    static Figure bars() {
        return VerticalBarPlot.create("Memory", gpus(), "gpu", "memory_gib");
    }
}
