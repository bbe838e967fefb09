package dev.headroom.dsl;

import dev.headroom.core.training.TrainingColumn;
import dev.headroom.core.training.TrainingColumns;
import dev.headroom.core.training.TrainingEstimate;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Training estimates as Tablesaw tables, one row each, made from the training column list: the CLI's names and units. */
public final class TrainingTables {
    private TrainingTables() {}

    /** Every training column except prose; what does not exist (time of a setup that does not fit) is missing. */
    public static Table of(List<TrainingEstimate> estimates) {
        return of(estimates, TrainingColumns.ALL.stream().filter(c -> !TrainingColumns.isProse(c)).toList());
    }

    public static Table of(List<TrainingEstimate> estimates, List<TrainingColumn> columns) {
        List<tech.tablesaw.columns.Column<?>> out = new ArrayList<>();
        int n = estimates.size();
        for (TrainingColumn c : columns) {
            switch (c.kind()) {
                case WHOLE -> {
                    long[] v = new long[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = c.whole().applyAsLong(estimates.get(i));
                    }
                    out.add(LongColumn.create(c.name(), v));
                }
                case REAL -> {
                    double[] v = new double[n];
                    for (int i = 0; i < n; i++) {
                        double x = c.real().applyAsDouble(estimates.get(i));
                        v[i] = Double.isFinite(x) ? x : Double.NaN;
                    }
                    out.add(DoubleColumn.create(c.name(), v));
                }
                case TEXT -> out.add(StringColumn.create(c.name(), estimates.stream().map(c.text()).toArray(String[]::new)));
                case FLAG -> {
                    BooleanColumn b = BooleanColumn.create(c.name());
                    estimates.forEach(e -> b.append(c.flag().test(e)));
                    out.add(b);
                }
            }
        }
        return Table.create("training", out.toArray(new tech.tablesaw.columns.Column<?>[0]));
    }
}
