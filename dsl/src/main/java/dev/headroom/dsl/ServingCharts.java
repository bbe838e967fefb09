package dev.headroom.dsl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;

/** Serving charts: throughput and time per token against the requests in flight, and dollars per million tokens. */
final class ServingCharts {
    private static final String X = "concurrency";
    private static final String THROUGHPUT = "output_tokens_per_s";
    private static final String TPOT = "tpot_ms";
    private static final String PER_MILLION = "usd_per_million_output_tokens";

    private ServingCharts() {}

    /**
     * Two panels side by side over the requests in flight: output tokens/s (left) and time per output token (right),
     * one colour per series (a precision, an engine) in both. More concurrency buys throughput and costs latency.
     */
    static Chart speed(Table t, String by) {
        Traces.numeric(t, X);
        List<String> keys = Series.keys(t, X, by);
        List<Series> series = Series.split(t, keys);
        List<Map<String, Object>> traces = new ArrayList<>();
        List<Double> allX = new ArrayList<>();
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            int[] rows = LineCharts.sortedByX(t, X, s.rows());
            double[] xs = Traces.values(t, X, rows);
            for (double v : xs) {
                allX.add(v);
            }
            String name = s.name().isEmpty() ? Labels.subject(t) : s.name();
            String color = Palette.COLORS[k % Palette.COLORS.length];
            Map<String, Object> rate = Traces.line(name, xs, Traces.values(t, THROUGHPUT, rows));
            Traces.errorBars(rate, t, THROUGHPUT, rows);
            rate.put("line", Map.of("color", color));
            rate.put("legendgroup", name);
            traces.add(rate);
            Map<String, Object> tpot = Traces.line(name, xs, Traces.values(t, TPOT, rows));
            Traces.errorBars(tpot, t, TPOT, rows);
            tpot.put("line", Map.of("color", color));
            tpot.put("legendgroup", name);
            tpot.put("showlegend", false);
            tpot.put("xaxis", "x2");
            tpot.put("yaxis", "y2");
            traces.add(tpot);
        }
        Map<String, Object> layout = Layouts.of(Labels.title("Throughput and time per token by requests in flight", t),
                Labels.axis(X), Labels.axis(THROUGHPUT));
        boolean log = Layouts.spansDecades(allX.stream().mapToDouble(Double::doubleValue).toArray());
        panel(layout, "xaxis", "yaxis", new double[] {0, 0.45}, log, "y", "x");
        Map<String, Object> x2 = Layouts.axis(Labels.axis(X));
        Map<String, Object> y2 = Layouts.axis(Labels.axis(TPOT));
        layout.put("xaxis2", x2);
        layout.put("yaxis2", y2);
        panel(layout, "xaxis2", "yaxis2", new double[] {0.55, 1}, log, "y2", "x2");
        Layouts.legend(layout, keys.isEmpty() ? null : Series.legendTitle(keys));
        return new Chart(traces, layout);
    }

    @SuppressWarnings("unchecked")
    private static void panel(Map<String, Object> layout, String xName, String yName, double[] domain, boolean log, String yId, String xId) {
        Map<String, Object> x = (Map<String, Object>) layout.get(xName);
        Map<String, Object> y = (Map<String, Object>) layout.get(yName);
        x.put("domain", domain);
        x.put("anchor", yId);
        if (log) {
            x.put("type", "log");
        }
        y.put("anchor", xId);
        y.put("rangemode", "tozero");
    }

    /** Dollars per million output tokens by GPU, GPU count or any setting; a bar without a value says why. */
    static Chart cost(Table t, String x, String by) {
        Chart bars = LineCharts.bars(t, x, PER_MILLION, by);
        Map<String, Object> layout = new LinkedHashMap<>(bars.layout());
        layout.put("title", Map.of("text", Labels.title("Cost per 1M output tokens by " + Labels.words(x), t), "x", 0.01,
                "xanchor", "left", "font", Map.of("size", 15)));
        return new Chart(bars.traces(), layout);
    }
}
