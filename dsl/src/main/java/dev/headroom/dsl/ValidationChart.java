package dev.headroom.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;

/**
 * Published value against prediction, one point per case on log axes: on the diagonal the prediction is exact, between
 * the dotted lines it is within ±25%. Error bars show the interval the estimate carries where it has one.
 */
final class ValidationChart {
    private ValidationChart() {}

    static Chart of(Table cases, String by) {
        Table judged = cases.where(cases.doubleColumn("predicted").isNotMissing().and(cases.doubleColumn("published").isNotMissing())
                .and(cases.doubleColumn("published").isGreaterThan(0)).and(cases.doubleColumn("predicted").isGreaterThan(0)));
        List<Series> series = Series.split(judged, List.of(by));
        List<Map<String, Object>> traces = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Series s : series) {
            double[] x = Traces.values(judged, "published", s.rows());
            double[] y = Traces.values(judged, "predicted", s.rows());
            for (int i = 0; i < x.length; i++) {
                min = Math.min(min, Math.min(x[i], y[i]));
                max = Math.max(max, Math.max(x[i], y[i]));
            }
            Map<String, Object> trace = Traces.line(s.name(), x, y);
            trace.put("mode", "markers");
            trace.put("text", hover(judged, s.rows()));
            trace.put("hovertemplate", "%{text}<br>published %{x:.4g}, predicted %{y:.4g}<extra></extra>");
            Traces.errorBars(trace, judged, "predicted", s.rows());
            traces.add(trace);
        }
        if (max > 0) {
            traces.add(guide("exact", min, max, 1, "solid"));
            traces.add(guide("+25%", min, max, 1.25, "dot"));
            traces.add(guide("-25%", min, max, 0.75, "dot"));
        }
        Map<String, Object> layout = Layouts.of("Published vs predicted, " + judged.rowCount() + " cases (log scales)",
                "published value (the source's unit)", "Headroom's prediction (same unit)");
        Layouts.logX(layout);
        @SuppressWarnings("unchecked") Map<String, Object> y = (Map<String, Object>) layout.get("yaxis");
        y.put("type", "log");
        Layouts.legend(layout, Labels.words(by));
        return new Chart(traces, layout);
    }

    private static String[] hover(Table t, int[] rows) {
        String[] out = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int r = rows[i];
            out[i] = t.stringColumn("case").get(r) + " " + t.stringColumn("metric").get(r) + " (" + t.stringColumn("unit").get(r) + "): "
                    + t.stringColumn("setting").get(r);
        }
        return out;
    }

    private static Map<String, Object> guide(String name, double min, double max, double factor, String dash) {
        Map<String, Object> line = Traces.line(name, new double[] {min, max}, new double[] {min * factor, max * factor});
        line.put("mode", "lines");
        line.put("line", Map.of("color", "#888888", "dash", dash, "width", 1));
        line.put("hoverinfo", "skip");
        return line;
    }
}
