package dev.headroom.kernel;

import com.google.gson.Gson;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * How figure outputs get plotly.js, never from a CDN.
 *
 * <ul>
 *   <li><b>inline</b> (default, live notebooks): the first figure of a kernel session carries the
 *       library in a script that defines {@code window.Plotly} (hiding RequireJS's {@code define}
 *       from the bundle so classic Notebook 6 works too); later figures carry nothing and reuse it.</li>
 *   <li><b>script file</b> ({@code HEADROOM_PLOTLY_SRC=plotly-2.35.3.js}, exported write-ups): every
 *       figure carries a small loader that fetches that relative URL once per page, through RequireJS
 *       when the page has it; the report writer puts one copy of the file beside the pages
 *       ({@link PlotlyAsset}).</li>
 * </ul>
 */
final class PlotlyEmbedding {
    static final String SRC_ENV = "HEADROOM_PLOTLY_SRC";
    private static final Gson GSON = new Gson();

    private final String scriptUrl;
    private final Supplier<String> library;
    private final AtomicBoolean libraryEmitted = new AtomicBoolean();

    private PlotlyEmbedding(String scriptUrl, Supplier<String> library) {
        this.scriptUrl = scriptUrl;
        this.library = library;
    }

    static PlotlyEmbedding inline(Supplier<String> library) {
        return new PlotlyEmbedding(null, library);
    }

    /** Figures reference {@code relativeUrl}; absolute URLs are refused (outputs must work offline). */
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
        return src == null || src.isBlank() ? inline(PlotlyAsset::source) : scriptFile(src);
    }

    /** The file name figures reference, or null in inline mode. */
    String scriptUrl() {
        return scriptUrl;
    }

    /** HTML to put before a figure so that plotly.js gets loaded; empty when it already was. */
    String loaderHtml() {
        if (scriptUrl != null) {
            return scriptLoader(scriptUrl);
        }
        if (!libraryEmitted.compareAndSet(false, true)) {
            return "";
        }
        return "<script type=\"text/javascript\">\n"
                + "/* plotly.js " + PlotlyAsset.VERSION + ", sent once per Headroom kernel session; later figures reuse window.Plotly. */\n"
                + "if (!window.Plotly) {\n"
                + "(function (define, module, exports) {\n"
                + library.get().replace("</script", "<\\/script")
                + "\n}).call(window);\n"
                + "}\n"
                + "</script>\n";
    }

    private static String scriptLoader(String url) {
        return "<script type=\"text/javascript\">\n"
                + "(function () {\n"
                + "  if (window.Plotly || window.__headroomPlotlyRequested) { return; }\n"
                + "  window.__headroomPlotlyRequested = true;\n"
                + "  var src = " + GSON.toJson(url) + ";\n"
                + "  if (typeof window.require === 'function' && typeof window.define === 'function' && window.define.amd) {\n"
                + "    window.require.config({ paths: { 'headroom-plotly': src.replace(/\\.js$/, '') } });\n"
                + "    window.require(['headroom-plotly'], function (plotly) { window.Plotly = window.Plotly || plotly; });\n"
                + "  } else {\n"
                + "    var script = document.createElement('script');\n"
                + "    script.src = src;\n"
                + "    document.head.appendChild(script);\n"
                + "  }\n"
                + "})();\n"
                + "</script>\n";
    }
}
