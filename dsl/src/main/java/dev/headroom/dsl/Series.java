package dev.headroom.dsl;

import dev.headroom.core.Columns;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.training.TrainingColumns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * The rows of one series of a chart, and how a table splits into series. Rows are never merged or added up: every
 * setting that takes several values among rows with the same x becomes part of the series' name, so each series has
 * one row per x (a sweep over KV precisions and batches gives one line per precision, not a zig-zag or a sum).
 *
 * @param name the legend entry ("fp8", or "bf16 / fp8" for two settings); empty for a chart of one series
 * @param rows the table's rows in this series, in table order
 */
record Series(String name, int[] rows) {

    /** The settings that name the series: {@code by} when given, and every other setting that varies at a fixed x. */
    static List<String> keys(Table t, String x, String by) {
        List<String> keys = new ArrayList<>();
        if (x != null) {
            require(t, x);
        }
        if (by != null) {
            require(t, by);
            keys.add(by);
        }
        for (Column<?> c : t.columns()) {
            String name = c.name();
            if (name.equals(x) || keys.contains(name) || !isSetting(name)) {
                continue;
            }
            if (variesAtFixed(t, x, keys, name)) {
                keys.add(name);
            }
        }
        // a setting another key already determines (input_tokens under context) adds nothing to the names
        List<String> kept = new ArrayList<>();
        for (String k : keys) {
            if (k.equals(by) || kept.stream().noneMatch(j -> determines(t, j, k))) {
                kept.add(k);
            }
        }
        return kept;
    }

    /** Setting columns: the column lists' setup columns and columns of one's own (a sweep's custom axis). */
    private static boolean isSetting(String name) {
        if (name.endsWith("_low") || name.endsWith("_high")) {
            return false;
        }
        var serving = Columns.named(name);
        if (serving.isPresent()) {
            return serving.get().group() == dev.headroom.core.Column.Group.SETUP;
        }
        var training = TrainingColumns.named(name);
        if (training.isPresent()) {
            return training.get().group() == dev.headroom.core.training.TrainingColumn.Group.SETUP;
        }
        return true;
    }

    /** Whether {@code column} takes two values among rows that agree on x and on the keys found so far. */
    private static boolean variesAtFixed(Table t, String x, List<String> keys, String column) {
        Map<String, String> seen = new HashMap<>();
        Column<?> c = t.column(column);
        for (int r = 0; r < t.rowCount(); r++) {
            String at = key(t, r, x, keys);
            String v = c.getUnformattedString(r);
            String before = seen.putIfAbsent(at, v);
            if (before != null && !before.equals(v)) {
                return true;
            }
        }
        return false;
    }

    /** Whether each value of {@code a} comes with one value of {@code b}. */
    private static boolean determines(Table t, String a, String b) {
        Map<String, String> seen = new HashMap<>();
        for (int r = 0; r < t.rowCount(); r++) {
            String before = seen.putIfAbsent(t.column(a).getUnformattedString(r), t.column(b).getUnformattedString(r));
            if (before != null && !before.equals(t.column(b).getUnformattedString(r))) {
                return false;
            }
        }
        return true;
    }

    private static String key(Table t, int r, String x, List<String> keys) {
        StringBuilder b = new StringBuilder(x == null ? "" : t.column(x).getUnformattedString(r));
        for (String k : keys) {
            b.append('\u0001').append(t.column(k).getUnformattedString(r));
        }
        return b.toString();
    }

    /** The table's rows split by the values of {@code keys}, in order of first appearance. */
    static List<Series> split(Table t, List<String> keys) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        Map<String, String> names = new HashMap<>();
        for (int r = 0; r < t.rowCount(); r++) {
            String k = key(t, r, null, keys);
            groups.computeIfAbsent(k, unused -> new ArrayList<>()).add(r);
            int row = r;
            names.computeIfAbsent(k, unused -> String.join(" / ", keys.stream().map(c -> display(t, c, row)).toList()));
        }
        List<Series> out = new ArrayList<>();
        groups.forEach((k, rows) -> out.add(new Series(names.get(k), rows.stream().mapToInt(Integer::intValue).toArray())));
        return out;
    }

    /** A key's value as a legend shows it: a number with its setting's name ("batch 8"), text as it is ("fp8"). */
    private static String display(Table t, String column, int row) {
        Column<?> c = t.column(column);
        if (c.isMissing(row)) {
            return column + " missing";
        }
        String v = c.getString(row);
        return c instanceof tech.tablesaw.api.NumericColumn<?> ? Labels.words(column) + " " + v : v;
    }

    /** The legend's title: the settings' names in words. */
    static String legendTitle(List<String> keys) {
        return String.join(" / ", keys.stream().map(Labels::words).toList());
    }

    static void require(Table t, String column) {
        if (!t.columnNames().contains(column)) {
            throw InvalidInputException.unknown("column of table '" + t.name() + "'", column, t.columnNames());
        }
    }
}
