package dev.headroom.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.util.UUID;
import tech.tablesaw.plotly.components.Figure;

/**
 * A figure as HTML: a div with a unique id and a script that draws into it as soon as
 * {@code window.Plotly} exists (it may load after the output is shown), preceded by whatever
 * {@link PlotlyEmbedding} needs to load plotly.js.
 */
final class FigureHtml {
    /** Div ids are {@code headroom_plot_<32 hex digits>}: valid in JavaScript names too (jsplot builds variable names from them). */
    static final String DIV_ID_PREFIX = "headroom_plot_";
    private static final Gson GSON = new Gson();
    private static final int WAIT_MS = 120_000;

    private FigureHtml() {}

    /** From a plotly spec ({@link FigureSpec}). */
    static String render(JsonObject spec, PlotlyEmbedding plotly) {
        String draw = "      var spec = " + GSON.toJson(spec) + ";\n"
                + "      window.Plotly.newPlot(el, spec.data, spec.layout, spec.config || {});\n";
        return html(draw, plotly, newDivId());
    }

    /** From jsplot's own script, for a figure whose JavaScript {@link FigureSpec} cannot read. */
    static String renderWithJsplotScript(Figure figure, PlotlyEmbedding plotly) {
        String id = newDivId();
        String script = figure.asJavascript(id).strip();
        script = script.replaceFirst("^<script[^>]*>", "").replaceFirst("</script>$", "");
        return html(script.replace("</script", "<\\/script") + "\n", plotly, id);
    }

    private static String newDivId() {
        return DIV_ID_PREFIX + UUID.randomUUID().toString().replace("-", "");
    }

    private static String html(String drawBody, PlotlyEmbedding plotly, String id) {
        String hint = plotly.scriptUrl() == null
                ? "Re-run the notebook in a live Headroom kernel."
                : "Put " + plotly.scriptUrl() + " beside this page.";
        return plotly.loaderHtml()
                + "<div id=\"" + id + "\" class=\"headroom-plot\"></div>\n"
                + "<script type=\"text/javascript\">\n"
                + "(function () {\n"
                + "  var id = " + GSON.toJson(id) + ";\n"
                + "  var waited = 0;\n"
                + "  function ready() { return window.Plotly && document.getElementById(id); }\n"
                + "  function draw() {\n"
                + "    var el = document.getElementById(id);\n"
                + "    (function () {\n"
                + drawBody
                + "    })();\n"
                + "  }\n"
                + "  if (ready()) { draw(); return; }\n"
                + "  var timer = setInterval(function () {\n"
                + "    if (ready()) { clearInterval(timer); draw(); return; }\n"
                + "    waited += 50;\n"
                + "    if (waited >= " + WAIT_MS + ") {\n"
                + "      clearInterval(timer);\n"
                + "      var el = document.getElementById(id);\n"
                + "      if (el) { el.textContent = " + GSON.toJson("This chart needs plotly.js, which did not load. " + hint) + "; }\n"
                + "    }\n"
                + "  }, 50);\n"
                + "})();\n"
                + "</script>";
    }
}
