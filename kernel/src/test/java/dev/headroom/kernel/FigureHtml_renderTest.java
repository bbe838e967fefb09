package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FigureHtml_renderTest {
    private static final Pattern DIV_ID = Pattern.compile("<div id=\"(headroom_plot_[0-9a-f]{32})\"");

    private static String divId(String html) {
        Matcher matcher = DIV_ID.matcher(html);
        assertTrue(matcher.find(), html);
        return matcher.group(1);
    }

    private static String render(ResultDisplay display) {
        return (String) display.render(TestFigures.line()).getData(MIMEType.TEXT_HTML);
    }

    @Test
    void should_give_every_chart_its_own_div_id() {
        ResultDisplay display = new ResultDisplay(new Renderer(), PlotlyEmbedding.inline(() -> "/* lib */"));
        String first = render(display);
        String second = render(display);
        assertNotEquals(divId(first), divId(second));
        assertTrue(second.contains("document.getElementById(id)"), second);
    }

    @Test
    void should_never_reference_a_cdn_or_remote_script() {
        ResultDisplay inline = new ResultDisplay(new Renderer(), PlotlyEmbedding.inline(PlotlyAsset::source));
        ResultDisplay file = new ResultDisplay(new Renderer(), PlotlyEmbedding.scriptFile(PlotlyAsset.FILE_NAME));
        for (String html : new String[] {render(inline), render(inline), render(file), render(file)}) {
            // The chart itself (after the one-off library) names no remote host at all ...
            String chart = html.substring(html.indexOf("<div id=\"headroom_plot_"));
            assertFalse(chart.contains("cdn."), "cdn reference in " + chart);
            assertFalse(chart.contains("https://"), "https reference in " + chart);
            // ... and no script tag has a source (the library is inline or loaded from the relative file).
            assertFalse(Pattern.compile("<script[^>]*\\ssrc\\s*=").matcher(html).find(), "script tag with a src");
        }
    }

    @Test
    void should_emit_the_plotly_library_once_per_session() {
        // GIVEN a session whose library source is counted
        AtomicInteger reads = new AtomicInteger();
        ResultDisplay display = new ResultDisplay(new Renderer(), PlotlyEmbedding.inline(() -> {
            reads.incrementAndGet();
            return "window.Plotly = window.Plotly || {}; /* PLOTLY-LIBRARY */";
        }));
        // WHEN three figures are shown
        String first = render(display);
        String second = render(display);
        String third = (String) display.render(TestFigures.bars()).getData(MIMEType.TEXT_HTML);
        // THEN only the first carries the library, wrapped so RequireJS's define does not capture it
        assertEquals(1, reads.get());
        assertTrue(first.contains("PLOTLY-LIBRARY"), first);
        assertTrue(first.contains("(function (define, module, exports) {"), first);
        assertTrue(first.indexOf("PLOTLY-LIBRARY") < first.indexOf("<div id=\"headroom_plot_"), "library before the chart");
        assertFalse(second.contains("PLOTLY-LIBRARY"));
        assertFalse(third.contains("PLOTLY-LIBRARY"));
        // AND every figure waits for window.Plotly before drawing
        for (String html : new String[] {first, second, third}) {
            assertTrue(html.contains("function ready() { return window.Plotly && document.getElementById(id); }"), html);
        }
    }

    @Test
    void should_reference_the_script_file_by_relative_url_in_export_mode() {
        ResultDisplay display = new ResultDisplay(new Renderer(), PlotlyEmbedding.scriptFile("plotly-2.35.3.js"));
        String first = render(display);
        String second = render(display);
        for (String html : new String[] {first, second}) {
            assertTrue(html.contains("var src = \"plotly-2.35.3.js\";"), html);
            assertTrue(html.length() < 20_000, "no inlined library: " + html.length() + " chars");
        }
    }

    @Test
    void should_refuse_an_absolute_plotly_url() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PlotlyEmbedding.scriptFile("https://cdn.plot.ly/plotly-2.35.3.min.js"));
        assertTrue(e.getMessage().contains("HEADROOM_PLOTLY_SRC must be a relative file name"), e.getMessage());
    }

    @Test
    void should_draw_from_jsplot_script_when_the_spec_cannot_be_read() {
        String html = FigureHtml.renderWithJsplotScript(TestFigures.line(), PlotlyEmbedding.scriptFile("p.js"));
        String id = divId(html);
        assertTrue(html.contains("var target_" + id + " = document.getElementById('" + id + "');"), html);
        assertFalse(html.contains("<script>\n        var target"), "jsplot's own script tags are stripped");
    }
}
