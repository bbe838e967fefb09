package dev.headroom.dsl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;

/**
 * Memory per GPU: what the engine reserves, stacked (weights, activations, overhead, and its KV pool split into the
 * part this batch fills and the part it leaves free), against the GPU's memory; and the KV cache against the weights.
 * Rows of several settings at one x stand side by side, grouped under the setting, never stacked together.
 */
final class MemoryCharts {
    private static final String WEIGHTS = "weights_bytes_per_gpu";
    private static final String ACTIVATIONS = "activation_bytes_per_gpu";
    private static final String OVERHEAD = "runtime_overhead_bytes_per_gpu";
    private static final String POOL = "kv_cache_bytes_per_gpu";
    private static final String BATCH_KV = "workload_kv_bytes_per_gpu";
    private static final String GPU = "gpu_memory_bytes";
    private static final String TOTAL = "total_bytes_per_gpu";
    static final String OTHER = "CUDA graphs and other reserve";

    private MemoryCharts() {}

    static Chart stack(Table t, String x, String by) {
        List<String> keys = Series.keys(t, x, by);
        List<Series> series = Series.split(t, keys);
        int[] rows = ordered(t, x, series);
        Object xs = keys.isEmpty() ? Traces.labels(t, x, rows) : twoLevel(t, x, keys, series);
        double[] pool = Traces.values(t, POOL, rows);
        double[] batch = Traces.values(t, BATCH_KV, rows);
        double[] used = new double[rows.length];
        double[] free = new double[rows.length];
        double[] beyond = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            used[i] = Math.min(batch[i], pool[i]);
            free[i] = Math.max(0, pool[i] - batch[i]);
            beyond[i] = batch[i] > pool[i] ? batch[i] - pool[i] : Double.NaN;
        }
        double[] weights = Traces.values(t, WEIGHTS, rows);
        double[] activations = Traces.values(t, ACTIVATIONS, rows);
        double[] overhead = Traces.values(t, OVERHEAD, rows);
        // what the engine reserves beyond these terms (CUDA graphs it deducts from the KV budget, a separate state
        // pool), so that the stack is always the engine's whole reservation
        double[] other = new double[rows.length];
        boolean anyOther = false;
        if (t.columnNames().contains(TOTAL)) {
            double[] total = Traces.values(t, TOTAL, rows);
            for (int i = 0; i < rows.length; i++) {
                other[i] = Math.max(0, total[i] - weights[i] - activations[i] - overhead[i] - pool[i]);
                anyOther |= other[i] > 1e-3; // more than a MiB (values are in GiB)
            }
        }
        List<Map<String, Object>> traces = new ArrayList<>();
        traces.add(stacked("weights", xs, weights, "#4c78a8"));
        traces.add(stacked("activations (peak)", xs, activations, "#f58518"));
        traces.add(stacked("runtime overhead", xs, overhead, "#b279a2"));
        if (anyOther) {
            traces.add(stacked(OTHER, xs, other, "#bab0ac"));
        }
        traces.add(stacked("KV cache this batch fills", xs, used, "#54a24b"));
        traces.add(stacked("KV pool reserved, free", xs, free, "#9ecae9"));
        if (!allMissing(beyond)) {
            traces.add(stacked("KV the pool cannot hold", xs, beyond, "#e45756"));
        }
        Map<String, Object> gpuLine = Traces.line("GPU memory", xs, Traces.values(t, GPU, rows));
        gpuLine.put("mode", "lines");
        gpuLine.put("line", Map.of("color", "#333333", "dash", "dash", "shape", "hvh"));
        traces.add(gpuLine);
        Map<String, Object> layout = Layouts.of(Labels.title("Memory per GPU by " + Labels.words(x), t),
                keys.isEmpty() ? Labels.axis(x) : Series.legendTitle(keys) + " · " + Labels.axis(x), "memory per GPU (GiB)");
        layout.put("barmode", "stack");
        Layouts.categoryX(layout);
        if (!keys.isEmpty()) {
            @SuppressWarnings("unchecked") Map<String, Object> axis = (Map<String, Object>) layout.get("xaxis");
            axis.put("type", "multicategory");
        }
        Layouts.legend(layout, null);
        return new Chart(traces, layout);
    }

    /** The KV cache the batch needs against the weights: where the KV line crosses the weights line, KV dominates. */
    static Chart crossover(Table t, String x, String by) {
        List<String> keys = Series.keys(t, x, by);
        List<Series> series = Series.split(t, keys);
        boolean numericX = t.column(x) instanceof NumericColumn<?>;
        List<Map<String, Object>> traces = new ArrayList<>();
        List<Double> allX = new ArrayList<>();
        String[] palette = Palette.COLORS;
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            int[] rows = numericX ? LineCharts.sortedByX(t, x, s.rows()) : s.rows();
            Object xs = numericX ? Traces.values(t, x, rows) : Traces.labels(t, x, rows);
            if (xs instanceof double[] d) {
                for (double v : d) {
                    allX.add(v);
                }
            }
            String suffix = s.name().isEmpty() ? "" : " (" + s.name() + ")";
            String color = palette[k % palette.length];
            double[] kv = Traces.values(t, BATCH_KV, rows);
            double[] weights = Traces.values(t, WEIGHTS, rows);
            Map<String, Object> kvTrace = Traces.line("KV cache of the batch" + suffix, xs, kv);
            kvTrace.put("line", Map.of("color", color));
            kvTrace.put("legendgroup", s.name());
            traces.add(kvTrace);
            Map<String, Object> wTrace = Traces.line("weights" + suffix, xs, weights);
            wTrace.put("mode", "lines");
            wTrace.put("line", Map.of("color", color, "dash", "dash"));
            wTrace.put("legendgroup", s.name());
            traces.add(wTrace);
            int cross = firstAtOrAbove(kv, weights);
            if (cross >= 0) {
                Map<String, Object> mark = new LinkedHashMap<>();
                mark.put("type", "scatter");
                mark.put("mode", "markers+text");
                mark.put("name", "KV passes the weights" + suffix);
                mark.put("x", new Object[] {xs instanceof double[] d ? (Object) d[cross] : ((String[]) xs)[cross]});
                mark.put("y", new double[] {kv[cross]});
                mark.put("text", new String[] {"KV > weights from " + Labels.words(x) + " " + Traces.labels(t, x, rows)[cross]});
                mark.put("textposition", "top left");
                mark.put("marker", Map.of("size", 12, "symbol", "star", "color", color));
                mark.put("legendgroup", s.name());
                mark.put("showlegend", false);
                traces.add(mark);
            }
        }
        Map<String, Object> layout = Layouts.of(Labels.title("KV cache vs weights per GPU by " + Labels.words(x), t),
                Labels.axis(x), "memory per GPU (GiB)");
        if (numericX && Layouts.spansDecades(allX.stream().mapToDouble(Double::doubleValue).toArray())) {
            Layouts.logX(layout);
        } else if (!numericX) {
            Layouts.categoryX(layout);
        }
        Layouts.yFromZero(layout);
        Layouts.legend(layout, null);
        return new Chart(traces, layout);
    }

    private static Map<String, Object> stacked(String name, Object x, double[] y, String color) {
        Map<String, Object> bar = Traces.bar(name, x, y);
        bar.put("marker", Map.of("color", color));
        bar.put("hovertemplate", "%{y:.2f} GiB<extra>" + name + "</extra>");
        return bar;
    }

    /** Rows series by series, each in ascending x when x is a number. */
    private static int[] ordered(Table t, String x, List<Series> series) {
        boolean numeric = t.column(x) instanceof NumericColumn<?>;
        return series.stream().flatMapToInt(s -> java.util.Arrays.stream(numeric ? LineCharts.sortedByX(t, x, s.rows()) : s.rows())).toArray();
    }

    /** Two-level categories: the series' setting above, x below (plotly's multicategory axis). */
    private static Object[] twoLevel(Table t, String x, List<String> keys, List<Series> series) {
        List<String> outer = new ArrayList<>();
        List<String> inner = new ArrayList<>();
        boolean numeric = t.column(x) instanceof NumericColumn<?>;
        for (Series s : series) {
            int[] rows = numeric ? LineCharts.sortedByX(t, x, s.rows()) : s.rows();
            String[] labels = LineCharts.numberedRepeats(Traces.labels(t, x, rows));
            for (String l : labels) {
                outer.add(s.name());
                inner.add(l);
            }
        }
        return new Object[] {outer.toArray(new String[0]), inner.toArray(new String[0])};
    }

    private static int firstAtOrAbove(double[] kv, double[] weights) {
        for (int i = 0; i < kv.length; i++) {
            if (!Double.isNaN(kv[i]) && !Double.isNaN(weights[i]) && kv[i] >= weights[i]) {
                return i;
            }
        }
        return -1;
    }

    private static boolean allMissing(double[] v) {
        for (double d : v) {
            if (!Double.isNaN(d)) {
                return false;
            }
        }
        return true;
    }
}
