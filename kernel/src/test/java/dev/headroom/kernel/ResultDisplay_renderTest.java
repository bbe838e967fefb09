package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

class ResultDisplay_renderTest {
    private final ResultDisplay display = new ResultDisplay(new Renderer(), PlotlyEmbedding.inline(() -> "/* plotly stand-in */"));

    private static String html(DisplayData data) {
        return (String) data.getData(MIMEType.TEXT_HTML);
    }

    private static String text(DisplayData data) {
        return (String) data.getData(MIMEType.TEXT_PLAIN);
    }

    @Test
    void should_render_a_table_as_an_escaped_html_table_and_as_text() {
        DisplayData data = display.render(TestFigures.gpus());
        String html = html(data);
        assertTrue(html.contains("<table"), html);
        assertTrue(html.contains("<th style=\"text-align: left\">gpu</th>"), html);
        assertTrue(html.contains("<td style=\"text-align: left\">a&lt;100&gt; &amp; &quot;co&quot;</td>"), html);
        assertTrue(html.contains("<td style=\"text-align: right\">80</td>"), html);
        assertTrue(html.contains("gpus — 3 rows × 3 columns"), html);
        assertFalse(html.contains("a<100>"), html);
        String text = text(data);
        assertTrue(text.contains("h100-sxm") && text.contains("memory_gib"), text);
    }

    @Test
    void should_cap_table_html_rows_and_say_how_many_are_left_out() {
        DisplayData data = display.render(TestFigures.rows(250));
        String html = html(data);
        assertEquals(TableHtml.MAX_ROWS, html.split("<tr><td", -1).length - 1);
        assertTrue(html.contains("… 150 more rows (showing the first 100)"), html);
        assertTrue(text(data).lines().count() < 60, text(data));
    }

    @Test
    void should_render_a_figure_as_html_plotly_json_and_text() {
        DisplayData data = display.render(TestFigures.line());
        assertTrue(html(data).contains("<div id=\"headroom_plot_"), html(data));
        JsonObject spec = (JsonObject) data.getData(MIMEType.parse(ResultDisplay.PLOTLY_MIME));
        assertEquals("scatter", spec.getAsJsonArray("data").get(0).getAsJsonObject().get("type").getAsString());
        assertEquals("Throughput by batch", spec.getAsJsonObject("layout").get("title").getAsString());
        assertEquals("Figure 'Throughput by batch' — 1 trace (scatter)", text(data));
    }

    @Test
    void should_render_a_headroom_chart_with_its_own_layout_and_series() {
        // GIVEN a chart of a sweep over two KV precisions
        var t = dev.headroom.dsl.Sizing.model("llama-3.1-8b").on("h100-sxm").sweep().batch(1, 8).kv("bf16", "fp8").table();
        dev.headroom.dsl.Chart chart = dev.headroom.dsl.Plots.line(t, "batch", "output_tokens_per_s");

        DisplayData data = display.render(chart);

        // THEN the plotly spec carries the chart's title, axes and one trace per precision
        JsonObject spec = (JsonObject) data.getData(MIMEType.parse(ResultDisplay.PLOTLY_MIME));
        assertEquals(2, spec.getAsJsonArray("data").size());
        assertEquals(chart.title(), spec.getAsJsonObject("layout").getAsJsonObject("title").get("text").getAsString());
        assertTrue(spec.getAsJsonObject("config").get("responsive").getAsBoolean());
        assertTrue(text(data).startsWith("Chart '"), text(data));
    }

    @Test
    void should_save_a_chart_as_a_page_that_carries_plotly_and_its_spec() throws Exception {
        var t = dev.headroom.dsl.Sizing.model("llama-3.1-8b").on("h100-sxm").sweep().batch(1, 8).table();
        dev.headroom.dsl.Chart chart = dev.headroom.dsl.Plots.bars(t, "batch", "tpot_ms");
        java.nio.file.Path file = java.nio.file.Files.createTempDirectory("chart-page").resolve("tpot.html");

        java.nio.file.Path saved = dev.headroom.dsl.Plots.save(chart, file.toString());

        String page = java.nio.file.Files.readString(saved);
        assertTrue(page.startsWith("<!DOCTYPE html>"), page.substring(0, 40));
        assertEquals(1, Notebooks_executeIT.count(page, Notebooks_executeIT.LIBRARY_MARKER), "plotly.js inside, once");
        assertTrue(page.contains("\"barmode\":\"group\""), "the chart's own layout");
        assertFalse(page.contains("<script src"), "no script loaded from elsewhere");
    }

    /** A Headroom-like result type: plain text by toString, HTML by a toHtml method. */
    public record Breakdown(long weightsBytes) {
        public String toHtml() {
            return "<b>weights</b> " + weightsBytes;
        }

        @Override
        public String toString() {
            return "weights " + weightsBytes;
        }
    }

    @Test
    void should_render_an_object_with_toHtml_as_html_and_its_toString_as_text() {
        DisplayData data = display.render(new Breakdown(1024));
        assertEquals("<b>weights</b> 1024", html(data));
        assertEquals("weights 1024", text(data));
    }

    @Test
    void should_render_other_objects_as_text_only() {
        DisplayData data = display.render(java.util.List.of(1, 2));
        assertEquals("[1, 2]", text(data));
        assertNull(data.getData(MIMEType.TEXT_HTML));
    }
}
