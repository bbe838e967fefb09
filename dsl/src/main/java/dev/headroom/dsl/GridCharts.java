package dev.headroom.dsl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;

/** Heatmaps of a metric over two settings ({@link Grid}): whether each combination fits, or any number. */
final class GridCharts {
    private GridCharts() {}

    /** Fits (green) or does not (red) for each pair of values, the reason in the cell; a pair no row has stays blank. */
    static Chart fits(Table t, String row, String column) {
        Grid g = Grid.of(t, row, column, "fits");
        String[][] text = new String[g.rowKeys().size()][g.columnKeys().size()];
        boolean hasLimit = t.columnNames().contains("limit");
        for (int i = 0; i < text.length; i++) {
            for (int j = 0; j < text[i].length; j++) {
                int r = g.source()[i][j];
                if (r < 0 || Double.isNaN(g.cells()[i][j])) {
                    text[i][j] = "";
                } else if (g.cells()[i][j] == 1) {
                    text[i][j] = "fits";
                } else {
                    text[i][j] = hasLimit ? shortReason(t.column("limit").getString(r)) : "does not fit";
                }
            }
        }
        Map<String, Object> trace = heatmap(g, text);
        trace.put("colorscale", new Object[] {new Object[] {0, "#e45756"}, new Object[] {0.5, "#e45756"},
                new Object[] {0.5, "#54a24b"}, new Object[] {1, "#54a24b"}});
        trace.put("zmin", 0);
        trace.put("zmax", 1);
        trace.put("showscale", false);
        trace.put("hovertemplate", Labels.words(row) + " %{y}, " + Labels.words(column) + " %{x}: %{text}<extra></extra>");
        Map<String, Object> layout = Layouts.of(Labels.title("Fits or not by " + Labels.words(row) + " and " + Labels.words(column), t),
                Labels.axis(column), Labels.axis(row));
        categories(layout);
        return new Chart(List.of(trace), layout);
    }

    /** Any number over two settings: one cell per row of the table, missing cells blank. */
    static Chart heatmap(Table t, String row, String column, String metric) {
        Grid g = Grid.of(t, row, column, metric);
        double scale = Labels.scale(metric);
        String[][] text = new String[g.rowKeys().size()][g.columnKeys().size()];
        double[][] z = new double[text.length][];
        for (int i = 0; i < text.length; i++) {
            z[i] = new double[g.columnKeys().size()];
            for (int j = 0; j < text[i].length; j++) {
                z[i][j] = g.cells()[i][j] * scale;
                text[i][j] = Double.isNaN(z[i][j]) ? "" : Labels.number(z[i][j]);
            }
        }
        Map<String, Object> trace = heatmap(new Grid(g.row(), g.column(), g.metric(), g.rowKeys(), g.columnKeys(), z, g.source()), text);
        trace.put("colorscale", "Viridis");
        trace.put("colorbar", Map.of("title", Map.of("text", Labels.axis(metric))));
        trace.put("hovertemplate", Labels.words(row) + " %{y}, " + Labels.words(column) + " %{x}: %{text}<extra></extra>");
        Map<String, Object> layout = Layouts.of(Labels.title(LineCharts.capitalized(Labels.words(metric)) + " by "
                + Labels.words(row) + " and " + Labels.words(column), t), Labels.axis(column), Labels.axis(row));
        categories(layout);
        return new Chart(List.of(trace), layout);
    }

    private static Map<String, Object> heatmap(Grid g, String[][] text) {
        Map<String, Object> trace = new LinkedHashMap<>();
        trace.put("type", "heatmap");
        trace.put("name", g.metric());
        trace.put("x", g.columnKeys());
        trace.put("y", g.rowKeys());
        List<Object> z = new ArrayList<>();
        for (double[] r : g.cells()) {
            z.add(r);
        }
        trace.put("z", z);
        trace.put("text", text);
        trace.put("texttemplate", "%{text}");
        trace.put("xgap", 2);
        trace.put("ygap", 2);
        return trace;
    }

    @SuppressWarnings("unchecked")
    private static void categories(Map<String, Object> layout) {
        Layouts.categoryX(layout);
        ((Map<String, Object>) layout.get("yaxis")).put("type", "category");
        layout.put("showlegend", false);
    }

    /** The limit in a few words for a cell: "KV cache", "engine max length". */
    private static String shortReason(String limit) {
        if (limit == null || limit.isBlank()) {
            return "does not fit";
        }
        if (limit.startsWith("cannot deploy")) {
            return "cannot deploy";
        }
        if (limit.startsWith("weights, activations")) {
            return "engine cannot start";
        }
        if (limit.startsWith("the KV pool holds less")) {
            return "pool below max length";
        }
        if (limit.startsWith("the sequence is longer")) {
            return "beyond max length";
        }
        if (limit.startsWith("the engine's limit")) {
            return "engine's sequence limit";
        }
        if (limit.equals("KV cache")) {
            return "KV cache full";
        }
        return limit.length() > 28 ? limit.substring(0, 26) + "…" : limit;
    }
}
