package dev.headroom.cli;

import java.util.List;
import java.util.Map;

/** Aligned plain-text columns for terminal output. */
final class TextTable {
    private TextTable() {}

    static String of(List<Map<String, Object>> rows, List<String> columns) {
        int[] width = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            width[c] = columns.get(c).length();
            for (Map<String, Object> r : rows) {
                width[c] = Math.max(width[c], String.valueOf(r.get(columns.get(c))).length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, columns.stream().map(s -> (Object) s).toList(), width);
        for (Map<String, Object> r : rows) {
            line(b, columns.stream().map(r::get).toList(), width);
        }
        return b.toString();
    }

    private static void line(StringBuilder b, List<Object> cells, int[] width) {
        for (int c = 0; c < cells.size(); c++) {
            String s = String.valueOf(cells.get(c));
            b.append(s).append(" ".repeat(width[c] - s.length())).append(c + 1 < cells.size() ? "  " : "\n");
        }
    }
}
