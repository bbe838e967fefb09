package dev.headroom.dsl;

import dev.headroom.core.Column;
import dev.headroom.core.Estimate;
import java.util.List;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Fills one primitive array per column, row by row (rows may be filled by several threads at once: each
 * writes only its own rows), then wraps them as Tablesaw columns. Missing values stay missing: NaN and
 * Long.MIN_VALUE are Tablesaw's own missing markers.
 */
final class TableBuilder {
    private final String name;
    private final List<Column> columns;
    private final Object[] arrays;

    TableBuilder(String name, List<Column> columns, int rows) {
        this.name = name;
        this.columns = List.copyOf(columns);
        this.arrays = new Object[columns.size()];
        for (int c = 0; c < arrays.length; c++) {
            arrays[c] = switch (columns.get(c).kind()) {
                case WHOLE -> new long[rows];
                case REAL -> new double[rows];
                case TEXT -> new String[rows];
                case FLAG -> new boolean[rows];
            };
        }
    }

    void set(int row, Estimate e) {
        for (int c = 0; c < arrays.length; c++) {
            Column col = columns.get(c);
            switch (col.kind()) {
                case WHOLE -> ((long[]) arrays[c])[row] = col.whole().applyAsLong(e);
                case REAL -> {
                    double v = col.real().applyAsDouble(e);
                    ((double[]) arrays[c])[row] = Double.isFinite(v) ? v : Double.NaN;
                }
                case TEXT -> ((String[]) arrays[c])[row] = col.text().apply(e);
                case FLAG -> ((boolean[]) arrays[c])[row] = col.flag().test(e);
            }
        }
    }

    Table build() {
        Table t = Table.create(name);
        for (int c = 0; c < arrays.length; c++) {
            String n = columns.get(c).name();
            t.addColumns(switch (columns.get(c).kind()) {
                case WHOLE -> LongColumn.create(n, (long[]) arrays[c]);
                case REAL -> DoubleColumn.create(n, (double[]) arrays[c]);
                case TEXT -> StringColumn.create(n, (String[]) arrays[c]);
                case FLAG -> BooleanColumn.create(n, (boolean[]) arrays[c]);
            });
        }
        return t;
    }
}
