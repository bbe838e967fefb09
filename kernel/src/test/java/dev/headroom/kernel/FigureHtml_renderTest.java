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
        ResultDisplay inline = new ResultDisplay(new Renderer(), PlotlyEmbedding.inline(PlotlyAsset::gzippedBase64));
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
        // GIVEN a session whose (stand-in) gzipped library is counted: base64 of "PLOTLY-LIBRARY"
        AtomicInteger reads = new AtomicInteger();
        PlotlyEmbedding plotly = PlotlyEmbedding.inline(() -> {
            reads.incrementAndGet();
            return LIBRARY;
        });
        ResultDisplay display = new ResultDisplay(new Renderer(), plotly);
        // WHEN three figures are shown, two in one cell and one in the next
        plotly.beginCell("code:first cell");
        String first = render(display);
        String second = render(display);
        plotly.beginCell("code:second cell");
        String third = (String) display.render(TestFigures.bars()).getData(MIMEType.TEXT_HTML);
        // THEN only the first carries the library, inflated in the browser and run with RequireJS's define hidden
        assertEquals(1, reads.get());
        assertTrue(first.contains(LIBRARY), first);
        assertTrue(first.contains("new DecompressionStream('gzip')"), first);
        assertTrue(first.contains("(new Function('define', 'module', 'exports', source)).call(w);"), first);
        assertTrue(first.indexOf(LIBRARY) < first.indexOf("<div id=\"headroom_plot_"), "library before the chart");
        assertFalse(second.contains(LIBRARY));
        assertFalse(third.contains(LIBRARY));
        // AND every figure waits for window.Plotly before drawing
        for (String html : new String[] {first, second, third}) {
            assertTrue(html.contains("function ready() { return w.Plotly && w.Plotly.newPlot; }"), html);
            assertTrue(html.contains("(w.__headroomPlotlyWaiting = w.__headroomPlotlyWaiting || []).push(draw);"), html);
        }
    }

    /** base64 of "PLOTLY-LIBRARY": stands in for the gzipped library. */
    private static final String LIBRARY = "UExPVExZLUxJQlJBUlk=";

    @Test
    void should_send_the_library_again_when_the_cell_that_carried_it_runs_again() {
        // GIVEN the library went out with the first chart of cell A
        PlotlyEmbedding plotly = PlotlyEmbedding.inline(() -> LIBRARY);
        ResultDisplay display = new ResultDisplay(new Renderer(), plotly);
        plotly.beginCell("id:cell-a");
        assertTrue(render(display).contains(LIBRARY));
        plotly.beginCell("id:cell-b");
        assertFalse(render(display).contains(LIBRARY));
        // WHEN cell A runs again (its old output, and the library with it, is replaced)
        plotly.beginCell("id:cell-a");
        String again = render(display);
        String secondInA = render(display);
        // THEN its first chart carries the library again, once
        assertTrue(again.contains(LIBRARY), again);
        assertFalse(secondInA.contains(LIBRARY));
    }

    @Test
    void should_show_a_trust_hint_that_the_chart_script_removes_and_set_no_colours() {
        String html = render(new ResultDisplay(new Renderer(), PlotlyEmbedding.inline(() -> LIBRARY)));
        String div = html.substring(html.indexOf("<div id=\"headroom_plot_"), html.indexOf("</div>") + 6);
        assertTrue(div.contains("This chart needs a trusted notebook: File &gt; Trust Notebook, or re-run the cell."), div);
        String script = html.substring(html.lastIndexOf("<script"));
        assertTrue(script.contains("var el = document.getElementById(id);\n  if (!el) { return; }\n  el.textContent = '';"), script);
        assertFalse(html.toLowerCase(java.util.Locale.ROOT).matches("(?s).*[^-]color\\s*:.*"), "no colour in chart HTML");
    }

    @Test
    void should_carry_the_real_library_gzipped_in_about_a_third_of_its_size() throws Exception {
        String base64 = PlotlyAsset.gzippedBase64();
        byte[] inflated = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(base64)))
                .readAllBytes();
        assertEquals(PlotlyAsset.source(), new String(inflated, java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(base64.length() < 3_500_000, "compressed and encoded: " + base64.length() + " chars");
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
