package dev.headroom.kernel;

import com.google.gson.JsonObject;
import dev.headroom.dsl.Chart;
import dev.headroom.dsl.Results;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

/**
 * Turns a cell's value into a Jupyter mime bundle. One renderer per type, registered here:
 * Tablesaw {@link Table} (HTML table + text), jsplot {@link Figure} (offline plotly HTML + plotly
 * JSON + text); any other object gets text/plain from {@code toString()} and text/html from its
 * {@code toHtml()} method when it has one.
 */
final class ResultDisplay {
    static final String PLOTLY_MIME = "application/vnd.plotly.v1+json";

    private final Renderer renderer;

    ResultDisplay(Renderer renderer, PlotlyEmbedding plotly) {
        this.renderer = renderer;
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .register((all, context) -> {
                    // a wide table of estimates shows its summary, named so that it says how to see every column
                    Table table = all instanceof Results r ? r.shown() : all;
                    DisplayData out = context.getOutputContainer();
                    out.putHTML(TableHtml.render(table));
                    out.putText(TableText.render(table));
                });
        renderer.createRegistration(Figure.class)
                .preferring(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .supporting(PLOTLY_MIME)
                .register((figure, context) -> renderFigure(figure, plotly, context.getOutputContainer()));
    }

    DisplayData render(Object value) {
        DisplayData data = renderer.render(value);
        if (!data.hasDataForType(MIMEType.TEXT_HTML)) {
            HtmlMethod.render(value).ifPresent(data::putHTML);
        }
        return data;
    }

    private static void renderFigure(Figure figure, PlotlyEmbedding plotly, DisplayData out) {
        JsonObject spec;
        try {
            spec = FigureSpec.of(figure);
        } catch (IllegalArgumentException unreadable) {
            out.putHTML(FigureHtml.renderWithJsplotScript(figure, plotly));
            out.putText("Figure" + (figure.getLayout() == null ? "" : " '" + figure.getLayout().getTitle() + "'"));
            return;
        }
        out.putHTML(FigureHtml.render(spec, plotly));
        out.putData(PLOTLY_MIME, spec);
        out.putText(figure instanceof Chart chart ? chart.toString() : FigureSpec.summary(spec));
    }
}
