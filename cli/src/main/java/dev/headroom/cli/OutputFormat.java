package dev.headroom.cli;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The machine formats over one model: a result is an ordered map of snake_case keys. */
enum OutputFormat {
    text, json, csv;

    static String json(Object value) {
        return Json.write(value);
    }

    /** A header line and one line per row; missing values are empty, lists joined with "; ", fields quoted where needed. */
    static String csv(List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(String.join(",", rows.get(0).keySet())).append('\n');
        for (Map<String, Object> row : rows) {
            b.append(row.values().stream().map(OutputFormat::cell).collect(Collectors.joining(","))).append('\n');
        }
        return b.toString();
    }

    private static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d && !Double.isFinite(d)) {
            return "";
        }
        String s = v instanceof Collection<?> c ? c.stream().map(String::valueOf).collect(Collectors.joining("; ")) : String.valueOf(v);
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
