package dev.headroom.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.util.UUID;
import tech.tablesaw.plotly.components.Figure;

/**
 * A figure as HTML: a div with a unique id and a script that draws into it once {@code window.Plotly}
 * exists (it may load after the output is shown), preceded by whatever {@link PlotlyEmbedding} needs
 * to load plotly.js.
 *
 * <p>The div first holds a hint for notebooks whose scripts do not run (an untrusted notebook shows
 * the HTML without running it); the script replaces the hint when it runs. No colours are set, so the
 * text reads in light and dark themes alike.
 */
final class FigureHtml {
    /** Div ids are {@code headroom_plot_<32 hex digits>}: valid in JavaScript names too (jsplot builds variable names from them). */
    static final String DIV_ID_PREFIX = "headroom_plot_";
    static final String UNTRUSTED_HINT = "This chart needs a trusted notebook: File > Trust Notebook, or re-run the cell.";
    private static final Gson GSON = new Gson();
    /** After this long with no plotly.js on the page and none loading, the chart says so. */
    private static final int GIVE_UP_MS = 30_000;

    private FigureHtml() {}

    /** From a plotly spec ({@link FigureSpec}). */
    static String render(JsonObject spec, PlotlyEmbedding plotly) {
        String draw = "      var spec = " + GSON.toJson(spec).replace("</", "<\\/") + ";\n"
                + "      w.Plotly.newPlot(el, spec.data, spec.layout, spec.config || {});\n";
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
        String missing = plotly.scriptUrl() == null
                ? "This chart needs plotly.js, which is not on this page (the output that carried it was cleared). "
                        + "Run the notebook again (Kernel > Restart & Run All)."
                : "This chart needs plotly.js: put " + plotly.scriptUrl() + " beside this page.";
        return plotly.loaderHtml()
                + "<div id=\"" + id + "\" class=\"headroom-plot\">"
                + "<p class=\"headroom-plot-hint\" style=\"font-style: italic; opacity: 0.8\">" + Html.escape(UNTRUSTED_HINT) + "</p>"
                + "</div>\n"
                + "<script type=\"text/javascript\">\n"
                + "(function () {\n"
                + "  var w = window;\n"
                + "  var id = " + GSON.toJson(id) + ";\n"
                + "  var el = document.getElementById(id);\n"
                + "  if (!el) { return; }\n"
                + "  el.textContent = '';\n"
                + "  function ready() { return w.Plotly && w.Plotly.newPlot; }\n"
                + "  function draw() {\n"
                + "    el = document.getElementById(id);\n"
                + "    if (!el) { return; }\n"
                + "    if (!ready()) {\n"
                + "      el.textContent = " + GSON.toJson("plotly.js did not load") + " + (w.__headroomPlotlyError ? ': ' + w.__headroomPlotlyError : '') + '. ' + "
                + GSON.toJson(missing) + ";\n"
                + "      return;\n"
                + "    }\n"
                + "    el.textContent = '';\n"
                + "    (function () {\n"
                + drawBody
                + "    })();\n"
                + "  }\n"
                + "  if (ready() || w.__headroomPlotlyError) { draw(); return; }\n"
                + "  (w.__headroomPlotlyWaiting = w.__headroomPlotlyWaiting || []).push(draw);\n"
                + "  setTimeout(function () {\n"
                + "    if (!ready() && !w.__headroomPlotlyLoading && document.getElementById(id) && !document.getElementById(id).firstChild) {\n"
                + "      document.getElementById(id).textContent = " + GSON.toJson(missing) + ";\n"
                + "    }\n"
                + "  }, " + GIVE_UP_MS + ");\n"
                + "})();\n"
                + "</script>";
    }
}
