package dev.headroom.dsl;

import dev.headroom.core.base.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Plotly traces as plain maps, and the values they draw read from a table: numbers scaled for display (bytes to
 * GiB), missing values kept missing (null in the spec, a gap in the chart), and error bars wherever the table carries
 * an interval for the column ({@code X_low} and {@code X_high} beside {@code X}).
 */
final class Traces {
    private Traces() {}

    /** The values of {@code column} at {@code rows}, scaled for display; NaN where missing. */
    static double[] values(Table t, String column, int[] rows) {
        NumericColumn<?> c = numeric(t, column);
        double scale = Labels.scale(column);
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = c.isMissing(rows[i]) ? Double.NaN : c.getDouble(rows[i]) * scale;
        }
        return out;
    }

    /** A column's values at {@code rows} as text, as the table prints them (categories on an axis). */
    static String[] labels(Table t, String column, int[] rows) {
        Series.require(t, column);
        Column<?> c = t.column(column);
        String[] out = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = c.isMissing(rows[i]) ? "(missing)" : c.getString(rows[i]);
        }
        return out;
    }

    static NumericColumn<?> numeric(Table t, String column) {
        Series.require(t, column);
        Column<?> c = t.column(column);
        if (c instanceof NumericColumn<?> n) {
            return n;
        }
        if (c instanceof BooleanColumn b) {
            return b.asDoubleColumn();
        }
        throw new InvalidInputException("column '" + column + "' of table '" + t.name() + "' is not numeric — numeric columns: "
                + String.join(", ", t.numericColumns().stream().map(Column::name).toList()));
    }

    static Map<String, Object> line(String name, Object x, double[] y) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "scatter");
        m.put("mode", "lines+markers");
        m.put("name", name);
        m.put("x", x);
        m.put("y", y);
        return m;
    }

    static Map<String, Object> bar(String name, Object x, double[] y) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "bar");
        m.put("name", name);
        m.put("x", x);
        m.put("y", y);
        return m;
    }

    /**
     * Error bars from {@code column_low} and {@code column_high} when the table has both (the estimate's interval);
     * nothing otherwise. Bars go from each point to its bounds; a row without bounds gets none.
     */
    static void errorBars(Map<String, Object> trace, Table t, String column, int[] rows) {
        String low = column + "_low";
        String high = column + "_high";
        if (!t.columnNames().contains(low) || !t.columnNames().contains(high)) {
            return;
        }
        double[] y = values(t, column, rows);
        double[] lo = values(t, low, rows);
        double[] hi = values(t, high, rows);
        double[] plus = new double[rows.length];
        double[] minus = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            plus[i] = Math.max(0, hi[i] - y[i]);
            minus[i] = Math.max(0, y[i] - lo[i]);
        }
        Map<String, Object> bars = new LinkedHashMap<>();
        bars.put("type", "data");
        bars.put("symmetric", false);
        bars.put("array", plus);
        bars.put("arrayminus", minus);
        bars.put("visible", true);
        trace.put("error_y", bars);
    }

    /**
     * Text marks at the foot of the bars that have no value, saying why (a missing bar would otherwise read as zero):
     * "no price", "does not fit".
     */
    static Map<String, Object> missingMarks(Object[] x, String[] why) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "scatter");
        m.put("mode", "text");
        m.put("name", "not estimated");
        m.put("x", x);
        double[] zero = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            zero[i] = why[i] == null ? Double.NaN : 0;
        }
        m.put("y", zero);
        m.put("text", why);
        m.put("textposition", "top center");
        m.put("hoverinfo", "text");
        m.put("showlegend", false);
        return m;
    }

    /** Why a row has no value for {@code column}: the table's own reason when it has one, else "missing". */
    static String[] whyMissing(Table t, double[] y, int[] rows) {
        String[] out = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
            if (!Double.isNaN(y[i])) {
                continue;
            }
            String why = null;
            for (String reason : new String[] {"not_estimated", "limit"}) {
                if (why == null && t.columnNames().contains(reason) && !t.column(reason).isMissing(rows[i])) {
                    String v = t.column(reason).getString(rows[i]);
                    why = v.isBlank() || v.equals("fits") ? null : v;
                }
            }
            out[i] = why == null ? "missing" : why;
        }
        return out;
    }

    static boolean anyMissing(double[] y) {
        for (double v : y) {
            if (Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }
}
