package dev.headroom.dsl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;

/** One column against another, one line or one set of bars per series ({@link Series}): never a sum of rows. */
final class LineCharts {
    private LineCharts() {}

    static Chart line(Table t, String x, String y, String by) {
        Traces.numeric(t, y);
        List<String> keys = Series.keys(t, x, by);
        List<Series> series = Series.split(t, keys);
        boolean numericX = t.column(x) instanceof NumericColumn<?>;
        List<Map<String, Object>> traces = new ArrayList<>();
        List<Double> allX = new ArrayList<>();
        for (Series s : series) {
            int[] rows = numericX ? sortedByX(t, x, s.rows()) : s.rows();
            Object xs;
            if (numericX) {
                double[] v = Traces.values(t, x, rows);
                Arrays.stream(v).forEach(allX::add);
                xs = v;
            } else {
                xs = Traces.labels(t, x, rows);
            }
            Map<String, Object> trace = Traces.line(s.name().isEmpty() ? Labels.words(y) : s.name(), xs, Traces.values(t, y, rows));
            Traces.errorBars(trace, t, y, rows);
            traces.add(trace);
        }
        Map<String, Object> layout = Layouts.of(Labels.title(capitalized(Labels.words(y)) + " by " + Labels.words(x), t),
                Labels.axis(x), Labels.axis(y));
        if (numericX && Layouts.spansDecades(allX.stream().mapToDouble(Double::doubleValue).toArray())) {
            Layouts.logX(layout);
        }
        if (!numericX) {
            Layouts.categoryX(layout);
        }
        legend(layout, keys, series);
        return new Chart(traces, layout);
    }

    static Chart bars(Table t, String x, String y, String by) {
        Traces.numeric(t, y);
        List<String> keys = Series.keys(t, x, by);
        List<Series> series = Series.split(t, keys);
        List<Map<String, Object>> traces = new ArrayList<>();
        List<Map<String, Object>> marks = new ArrayList<>();
        for (Series s : series) {
            String[] xs = numberedRepeats(Traces.labels(t, x, s.rows()));
            double[] ys = Traces.values(t, y, s.rows());
            Map<String, Object> trace = Traces.bar(s.name().isEmpty() ? Labels.words(y) : s.name(), xs, ys);
            Traces.errorBars(trace, t, y, s.rows());
            traces.add(trace);
            if (Traces.anyMissing(ys)) {
                marks.add(Traces.missingMarks(xs, Traces.whyMissing(t, ys, s.rows())));
            }
        }
        traces.addAll(marks);
        Map<String, Object> layout = Layouts.of(Labels.title(capitalized(Labels.words(y)) + " by " + Labels.words(x), t),
                Labels.axis(x), Labels.axis(y));
        Layouts.categoryX(layout);
        Layouts.yFromZero(layout);
        layout.put("barmode", "group");
        legend(layout, keys, series);
        return new Chart(traces, layout);
    }

    static void legend(Map<String, Object> layout, List<String> keys, List<Series> series) {
        if (series.size() > 1) {
            Layouts.legend(layout, Series.legendTitle(keys));
        } else {
            layout.put("showlegend", false);
        }
    }

    /** A series' rows in ascending x, so a line goes left to right instead of zig-zagging. */
    static int[] sortedByX(Table t, String x, int[] rows) {
        NumericColumn<?> c = Traces.numeric(t, x);
        return Arrays.stream(rows).boxed()
                .sorted(Comparator.comparingDouble(r -> c.isMissing(r) ? Double.POSITIVE_INFINITY : c.getDouble(r)))
                .mapToInt(Integer::intValue).toArray();
    }

    /** Plotly draws equal categories of one series on top of each other: a repeated label gets " #2", " #3". */
    static String[] numberedRepeats(String[] labels) {
        Map<String, Integer> seen = new HashMap<>();
        String[] out = new String[labels.length];
        for (int i = 0; i < labels.length; i++) {
            int n = seen.merge(labels[i], 1, Integer::sum);
            out[i] = n == 1 ? labels[i] : labels[i] + " #" + n;
        }
        return out;
    }

    static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
