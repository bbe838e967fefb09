package dev.headroom.dsl;

import dev.headroom.core.Columns;
import dev.headroom.core.base.InvalidInputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A metric laid out by two settings (one row per value of the first, one column per value of the second), each
 * cell the value of exactly one row: two rows never merge into a cell. Numbers sort ascending, text keeps its order
 * of appearance; a cell no row fills, or whose value is missing, stays missing. {@code fits} reads as 1 or 0.
 *
 * @param source the table row of each cell, -1 where none
 */
record Grid(String row, String column, String metric, List<String> rowKeys, List<String> columnKeys, double[][] cells,
            int[][] source) {

    static Grid of(Table t, String row, String column, String metric) {
        for (String c : List.of(row, column, metric)) {
            if (!t.columnNames().contains(c)) {
                throw InvalidInputException.unknown("column of table '" + t.name() + "'", c, t.columnNames());
            }
        }
        Column<?> metricColumn = t.column(metric);
        if (!(metricColumn instanceof NumericColumn<?>) && !(metricColumn instanceof BooleanColumn)) {
            throw new InvalidInputException("pivot(..., \"" + metric + "\"): '" + metric + "' is text; a grid holds numbers or fits");
        }
        List<String> rowKeys = keys(t.column(row));
        List<String> columnKeys = keys(t.column(column));
        double[][] cells = new double[rowKeys.size()][columnKeys.size()];
        int[][] source = new int[rowKeys.size()][columnKeys.size()];
        for (double[] r : cells) {
            java.util.Arrays.fill(r, Double.NaN);
        }
        for (int[] r : source) {
            java.util.Arrays.fill(r, -1);
        }
        Map<String, Integer> rowIndex = index(rowKeys);
        Map<String, Integer> columnIndex = index(columnKeys);
        for (int r = 0; r < t.rowCount(); r++) {
            int i = rowIndex.get(t.column(row).getUnformattedString(r));
            int j = columnIndex.get(t.column(column).getUnformattedString(r));
            if (source[i][j] >= 0) {
                throw shared(t, row, column, metric, source[i][j], r);
            }
            source[i][j] = r;
            cells[i][j] = value(metricColumn, r);
        }
        return new Grid(row, column, metric, rowKeys, columnKeys, cells, source);
    }

    private static double value(Column<?> c, int r) {
        if (c.isMissing(r)) {
            return Double.NaN;
        }
        if (c instanceof BooleanColumn b) {
            return b.get(r) ? 1 : 0;
        }
        return ((NumericColumn<?>) c).getDouble(r);
    }

    /** Distinct values: numbers ascending, text in order of appearance. */
    private static List<String> keys(Column<?> c) {
        List<String> seen = new ArrayList<>(new java.util.LinkedHashSet<>(
                java.util.stream.IntStream.range(0, c.size()).mapToObj(c::getUnformattedString).toList()));
        if (c instanceof NumericColumn<?>) {
            seen.sort(Comparator.comparingDouble(Double::parseDouble));
        }
        return seen;
    }

    private static Map<String, Integer> index(List<String> keys) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            m.put(keys.get(i), i);
        }
        return m;
    }

    /** Two rows would fill one cell: name the columns in which they differ, so the user knows what to filter on. */
    private static InvalidInputException shared(Table t, String row, String column, String metric, int a, int b) {
        List<String> differ = t.columns().stream()
                .filter(c -> !c.name().equals(metric) && !c.getUnformattedString(a).equals(c.getUnformattedString(b)))
                .filter(c -> Columns.named(c.name()).map(k -> k.group() == dev.headroom.core.Column.Group.SETUP).orElse(true))
                .map(Column::name).collect(Collectors.toList());
        return new InvalidInputException("pivot(\"" + row + "\", \"" + column + "\", \"" + metric + "\"): rows " + a + " and " + b
                + " both have " + row + " = " + t.column(row).getUnformattedString(a) + " and " + column + " = "
                + t.column(column).getUnformattedString(a) + (differ.isEmpty() ? "" : "; they differ in " + String.join(", ", differ))
                + " — keep one value of each first, e.g. .where(t.stringColumn(\"" + (differ.isEmpty() ? "..." : differ.get(0))
                + "\").isEqualTo(...)); cells never add up rows");
    }

    /** The grid as a table: the row setting, then one column per value of the column setting. */
    Table table() {
        Table out = Table.create(metric + " by " + row + " and " + column);
        out.addColumns(tech.tablesaw.api.StringColumn.create(row, rowKeys));
        for (int j = 0; j < columnKeys.size(); j++) {
            double[] values = new double[rowKeys.size()];
            for (int i = 0; i < rowKeys.size(); i++) {
                values[i] = cells[i][j];
            }
            DoubleColumn c = DoubleColumn.create(columnKeys.get(j), values);
            Columns.named(metric).ifPresent(k -> CellFormats.apply(c, k.unit()));
            out.addColumns(c);
        }
        return out;
    }
}
