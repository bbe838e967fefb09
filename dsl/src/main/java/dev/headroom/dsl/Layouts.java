package dev.headroom.dsl;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The layout every chart shares: a title naming what is shown and for which model, GPU and engine; axis titles in
 * words with units; the width of the cell it is drawn in (no fixed size); room for long tick labels; the legend titled
 * by what tells the series apart.
 */
final class Layouts {
    static final int HEIGHT = 460;

    private Layouts() {}

    static Map<String, Object> of(String title, String xTitle, String yTitle) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("title", Map.of("text", title, "x", 0.01, "xanchor", "left", "font", Map.of("size", 15)));
        l.put("autosize", true);
        l.put("height", HEIGHT);
        l.put("margin", Map.of("l", 70, "r", 30, "t", 70, "b", 60));
        l.put("xaxis", axis(xTitle));
        l.put("yaxis", axis(yTitle));
        l.put("hovermode", "closest");
        return l;
    }

    static Map<String, Object> axis(String title) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("title", Map.of("text", title));
        a.put("automargin", true); // long or rotated tick labels push the title out instead of overlapping it
        return a;
    }

    /** Bars and categories: each label once, in the table's order. */
    @SuppressWarnings("unchecked")
    static void categoryX(Map<String, Object> layout) {
        ((Map<String, Object>) layout.get("xaxis")).put("type", "category");
    }

    /** A logarithmic x axis for numbers that span decades (batches of 1 to 256). */
    @SuppressWarnings("unchecked")
    static void logX(Map<String, Object> layout) {
        ((Map<String, Object>) layout.get("xaxis")).put("type", "log");
    }

    @SuppressWarnings("unchecked")
    static void yFromZero(Map<String, Object> layout) {
        ((Map<String, Object>) layout.get("yaxis")).put("rangemode", "tozero");
    }

    static void legend(Map<String, Object> layout, String title) {
        Map<String, Object> legend = new LinkedHashMap<>();
        if (title != null && !title.isBlank()) {
            legend.put("title", Map.of("text", title));
        }
        layout.put("legend", legend);
        layout.put("showlegend", true);
    }

    /** Whether numbers are better on a log axis: all positive and spanning at least 32x. */
    static boolean spansDecades(double[] x) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double v : x) {
            if (Double.isNaN(v)) {
                continue;
            }
            if (v <= 0) {
                return false;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max / min >= 32;
    }
}
