package dev.headroom.kernel;

import dev.headroom.dsl.ChartPages;
import tech.tablesaw.plotly.components.Figure;

/**
 * The page {@code Plots.save(chart, "chart.html")} writes: one chart drawn exactly as the notebook draws it, with
 * plotly.js inside (gzipped once), so the file draws offline with nothing beside it. Found by {@link ChartPages}
 * through {@code META-INF/services}, which keeps plotly.js and the chart HTML in this module only.
 */
public final class ChartPageWriter implements ChartPages.Writer {

    @Override
    public String page(Figure figure, String title) {
        // A fresh embedding per page: every saved page carries its own copy of the library.
        PlotlyEmbedding plotly = PlotlyEmbedding.inline(PlotlyAsset::gzippedBase64);
        String chart = FigureHtml.render(FigureSpec.of(figure), plotly);
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + Html.escape(title) + "</title>\n"
                + "<meta name=\"generator\" content=\"Headroom " + PlotlyAsset.buildProperty("version") + "\">\n"
                + "</head>\n<body style=\"margin: 1em; font-family: sans-serif\">\n"
                + chart + "\n</body>\n</html>\n";
    }
}
