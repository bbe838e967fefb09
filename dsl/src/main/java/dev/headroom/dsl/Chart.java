package dev.headroom.dsl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.HoverLabel;
import tech.tablesaw.plotly.traces.Trace;

/**
 * A chart made by {@link Plots}: a plotly spec (traces, layout, config) held as plain data. It is a jsplot
 * {@link Figure}, so it goes wherever a figure goes; the notebook kernel draws it offline from {@link #json()}.
 * In JShell, printing a chart saves it as a page and says where ({@link Plots#save}).
 */
public final class Chart extends Figure {
    private final List<Map<String, Object>> traces;
    private final Map<String, Object> layout;
    private final Map<String, Object> config;
    private volatile Path savedTo;

    Chart(List<Map<String, Object>> traces, Map<String, Object> layout) {
        super(new Trace[0]);
        this.traces = List.copyOf(traces);
        this.layout = Collections.unmodifiableMap(new LinkedHashMap<>(layout));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("responsive", true); // fills the cell's width and follows it when the window resizes
        c.put("displaylogo", false);
        this.config = Collections.unmodifiableMap(c);
    }

    /** The plotly spec {@code {"data": [...], "layout": {...}, "config": {...}}}, as {@code Plotly.newPlot} takes it. */
    public String json() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("data", traces);
        spec.put("layout", layout);
        spec.put("config", config);
        return Json.write(spec);
    }

    /** The title shown above the chart. */
    public String title() {
        Object t = layout.get("title");
        return t instanceof Map<?, ?> m ? String.valueOf(m.get("text")) : "";
    }

    /** Each trace's attributes (name, x, y, type, ...), for tests and for readers who want the numbers. */
    public List<Map<String, Object>> traces() {
        return traces;
    }

    /** The names of the series, in legend order. */
    public List<String> seriesNames() {
        return traces.stream().filter(t -> !Boolean.FALSE.equals(t.get("showlegend")))
                .map(t -> String.valueOf(t.get("name"))).distinct().toList();
    }

    Map<String, Object> layout() {
        return layout;
    }

    /** jsplot's script for this figure (what {@code Plot.show} and jsplot pages use): draws the same spec. */
    @Override
    public String asJavascript(String divName) {
        return "<script>\n"
                + "    var target_" + divName + " = document.getElementById('" + divName + "');\n"
                + "    var spec_" + divName + " = " + json() + ";\n"
                + "    Plotly.newPlot(target_" + divName + ", spec_" + divName + ".data, spec_" + divName + ".layout, spec_"
                + divName + ".config);\n"
                + "</script>\n";
    }

    /** The traces as jsplot traces (each writes its own JSON), for code that reads a figure's traces. */
    @Override
    public Trace[] getTraces() {
        List<Trace> out = new ArrayList<>();
        for (int i = 0; i < traces.size(); i++) {
            Map<String, Object> t = traces.get(i);
            out.add(new Trace() {
                @Override
                public String asJavascript(int index) {
                    return "var trace" + index + " = " + Json.write(t) + ";";
                }

                @Override
                public String name() {
                    return String.valueOf(t.get("name"));
                }

                @Override
                public HoverLabel hoverLabel() {
                    return null;
                }

                @Override
                public boolean showLegend() {
                    return !Boolean.FALSE.equals(t.get("showlegend"));
                }
            });
        }
        return out.toArray(new Trace[0]);
    }

    /** "Chart 'title' — 3 series: a, b, c"; in JShell (no notebook to draw it) also where the chart was saved as a page. */
    @Override
    public String toString() {
        List<String> names = seriesNames();
        String text = "Chart '" + title() + "' — " + names.size() +  " series" + ": " + String.join(", ", names);
        if (ChartPages.drawnInline() || !ChartPages.available()) {
            return text;
        }
        Path p = savedTo;
        if (p == null) {
            p = ChartPages.saveToTemp(this);
            savedTo = p;
        }
        return text + "\n  saved to " + p + " (open it in a browser; Plots.save(chart, \"name.html\") saves it where you want)";
    }
}
