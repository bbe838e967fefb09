package dev.headroom.kernel;

import com.google.gson.Gson;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How chart outputs get plotly.js, never from a CDN or the network.
 *
 * <ul>
 *   <li><b>inline</b> (default): the first chart of a kernel session carries the library gzipped and
 *       base64-encoded (about 3.2 MB instead of 10.8 MB); the browser inflates it with
 *       {@code DecompressionStream('gzip')} and runs it with RequireJS's {@code define} hidden (classic
 *       Notebook 6 has RequireJS). Later charts carry nothing and wait for it. One kernel session is one
 *       notebook run, so an exported page (nbconvert, {@code ./headroom report}) holds the library once
 *       and draws every chart on its own, copied anywhere; a saved live notebook grows by that one copy.
 *       When the cell whose output carries the library runs again (its old output is replaced), its
 *       first chart carries the library again.</li>
 *   <li><b>script file</b> ({@code HEADROOM_PLOTLY_SRC=plotly-2.35.3.js}): every chart loads that
 *       relative URL once per page; smaller pages that need the file beside them ({@link PlotlyAsset}).</li>
 * </ul>
 */
final class PlotlyEmbedding {
    static final String SRC_ENV = "HEADROOM_PLOTLY_SRC";
    private static final Gson GSON = new Gson();

    private final String scriptUrl;
    private final Supplier<String> gzippedBase64;
    private String currentCell;
    private long currentExecution;
    private String carrierCell;
    private long carrierExecution = -1;
    private boolean sent;

    private PlotlyEmbedding(String scriptUrl, Supplier<String> gzippedBase64) {
        this.scriptUrl = scriptUrl;
        this.gzippedBase64 = gzippedBase64;
    }

    /** @param gzippedBase64 the library gzipped and base64-encoded ({@link PlotlyAsset#gzippedBase64()}), read once */
    static PlotlyEmbedding inline(Supplier<String> gzippedBase64) {
        return new PlotlyEmbedding(null, gzippedBase64);
    }

    /** Charts reference {@code relativeUrl}; absolute URLs are refused (outputs must work offline). */
    static PlotlyEmbedding scriptFile(String relativeUrl) {
        String url = relativeUrl.strip();
        if (url.isEmpty() || url.contains("://") || url.startsWith("//") || url.startsWith("/") || url.contains(":")
                || url.contains("\"") || url.contains("<")) {
            throw new IllegalArgumentException(SRC_ENV + " must be a relative file name such as '" + PlotlyAsset.FILE_NAME
                    + "' (figures must draw offline), not '" + relativeUrl + "'");
        }
        return new PlotlyEmbedding(url, null);
    }

    static PlotlyEmbedding fromEnvironment(Map<String, String> environment) {
        String src = environment.get(SRC_ENV);
        return src == null || src.isBlank() ? inline(PlotlyAsset::gzippedBase64) : scriptFile(src);
    }

    /** The file name charts reference, or null in inline mode. */
    String scriptUrl() {
        return scriptUrl;
    }

    /**
     * A cell starts running.
     *
     * @param cellKey what identifies the notebook cell across runs: the frontend's cell id when it sends
     *                one, else the cell's source
     */
    synchronized void beginCell(String cellKey) {
        currentCell = cellKey;
        currentExecution++;
    }

    /** HTML to put before a chart so that plotly.js gets loaded; empty when an earlier output brings it. */
    synchronized String loaderHtml() {
        if (scriptUrl != null) {
            return scriptLoader(scriptUrl);
        }
        boolean carrierRunsAgain = sent && Objects.equals(carrierCell, currentCell) && carrierExecution != currentExecution;
        if (sent && !carrierRunsAgain) {
            return "";
        }
        sent = true;
        carrierCell = currentCell;
        carrierExecution = currentExecution;
        return inlineLoader(gzippedBase64.get());
    }

    private static String inlineLoader(String base64) {
        return "<script type=\"text/javascript\">\n"
                + "/* plotly.js " + PlotlyAsset.VERSION + " (gzip, base64), sent once per Headroom kernel session: every chart waits for it. */\n"
                + "(function () {\n"
                + "  var w = window;\n"
                + "  if ((w.Plotly && w.Plotly.newPlot) || w.__headroomPlotlyLoading) { return; }\n"
                + "  w.__headroomPlotlyLoading = true;\n"
                + SETTLE
                + "  if (typeof DecompressionStream !== 'function' || typeof Response !== 'function') {\n"
                + "    settle(new Error('this browser cannot inflate gzip (no DecompressionStream)'));\n"
                + "    return;\n"
                + "  }\n"
                + "  try {\n"
                + "    var packed = atob(\"" + base64 + "\");\n"
                + "    var bytes = new Uint8Array(packed.length);\n"
                + "    for (var i = 0; i < packed.length; i++) { bytes[i] = packed.charCodeAt(i); }\n"
                + "    new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text().then(function (source) {\n"
                + "      /* define, module and exports hidden: under RequireJS the bundle would register as an anonymous module. */\n"
                + "      (new Function('define', 'module', 'exports', source)).call(w);\n"
                + "      settle(w.Plotly && w.Plotly.newPlot ? null : new Error('plotly.js ran but did not define window.Plotly'));\n"
                + "    }).catch(settle);\n"
                + "  } catch (e) {\n"
                + "    settle(e);\n"
                + "  }\n"
                + "})();\n"
                + "</script>\n";
    }

    /** Ends loading (successfully or with an error) and runs the charts that wait. */
    private static final String SETTLE = ""
            + "  function settle(error) {\n"
            + "    w.__headroomPlotlyLoading = false;\n"
            + "    if (error) {\n"
            + "      w.__headroomPlotlyError = String((error && error.message) || error);\n"
            + "      if (w.console) { w.console.error('Headroom: plotly.js did not load', error); }\n"
            + "    }\n"
            + "    var waiting = w.__headroomPlotlyWaiting || [];\n"
            + "    w.__headroomPlotlyWaiting = [];\n"
            + "    for (var k = 0; k < waiting.length; k++) {\n"
            + "      try { waiting[k](); } catch (e) { if (w.console) { w.console.error(e); } }\n"
            + "    }\n"
            + "  }\n";

    private static String scriptLoader(String url) {
        return "<script type=\"text/javascript\">\n"
                + "(function () {\n"
                + "  var w = window;\n"
                + "  if ((w.Plotly && w.Plotly.newPlot) || w.__headroomPlotlyLoading) { return; }\n"
                + "  w.__headroomPlotlyLoading = true;\n"
                + SETTLE
                + "  var src = " + GSON.toJson(url) + ";\n"
                + "  if (typeof w.require === 'function' && typeof w.define === 'function' && w.define.amd) {\n"
                + "    w.require.config({ paths: { 'headroom-plotly': src.replace(/\\.js$/, '') } });\n"
                + "    w.require(['headroom-plotly'], function (plotly) { w.Plotly = w.Plotly || plotly; settle(null); }, settle);\n"
                + "  } else {\n"
                + "    var script = document.createElement('script');\n"
                + "    script.src = src;\n"
                + "    script.onload = function () { settle(null); };\n"
                + "    script.onerror = function () { settle(new Error(src + ' is not beside this page')); };\n"
                + "    document.head.appendChild(script);\n"
                + "  }\n"
                + "})();\n"
                + "</script>\n";
    }
}
