package dev.headroom.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.headroom.dsl.Chart;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.traces.Trace;

/**
 * A jsplot {@link Figure} as a plotly JSON spec {@code {data, layout, config}}: the content of an
 * {@code application/vnd.plotly.v1+json} output and the argument of {@code Plotly.newPlot}.
 * Built from the JavaScript each trace, the layout and the config generate.
 */
final class FigureSpec {
    private FigureSpec() {}

    static JsonObject of(Figure figure) {
        if (figure instanceof Chart chart) { // Headroom's charts hold their spec as data: no JavaScript to read back
            return new JsonParser().parse(chart.json()).getAsJsonObject();
        }
        JsonArray data = new JsonArray();
        Trace[] traces = figure.getTraces();
        if (traces != null) {
            for (int i = 0; i < traces.length; i++) {
                data.add(JsLiteral.parseDeclaration(traces[i].asJavascript(i)));
            }
        }
        JsonObject spec = new JsonObject();
        spec.add("data", data);
        spec.add("layout", figure.getLayout() == null ? new JsonObject() : JsLiteral.parseDeclaration(figure.getLayout().asJavascript()));
        if (figure.getConfig() != null) {
            spec.add("config", JsLiteral.parseDeclaration(figure.getConfig().asJavascript()));
        }
        return spec;
    }

    /** "Figure 'Memory by batch' — 2 traces (scatter, scatter)": the text/plain form. */
    static String summary(JsonObject spec) {
        JsonElement layout = spec.get("layout");
        String title = "";
        if (layout != null && layout.isJsonObject() && layout.getAsJsonObject().has("title")) {
            JsonElement t = layout.getAsJsonObject().get("title");
            if (t.isJsonPrimitive()) {
                title = t.getAsString();
            } else if (t.isJsonObject() && t.getAsJsonObject().has("text")) {
                title = t.getAsJsonObject().get("text").getAsString();
            }
        }
        List<String> types = new ArrayList<>();
        for (JsonElement trace : spec.getAsJsonArray("data")) {
            JsonElement type = trace.isJsonObject() ? trace.getAsJsonObject().get("type") : null;
            types.add(type == null || !type.isJsonPrimitive() ? "trace" : type.getAsString());
        }
        int n = types.size();
        return "Figure" + (title.isBlank() ? "" : " '" + title + "'") + " — " + n + (n == 1 ? " trace" : " traces")
                + (n == 0 ? "" : " (" + String.join(", ", types) + ")");
    }
}
