package dev.headroom.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;

/**
 * What each chart drawn on the open page shows, read in the browser from plotly's graph divs and their SVG: its
 * title, its legend, whether a bar series repeats an x value or a line has two values at one x, whether a bar stands at exactly zero, how many
 * error bars were drawn and the text in the SVG. What a reader sees, not what the Java side meant to send.
 */
record ChartFacts(String page, String title, List<String> seriesInLegend, int errorBarsDrawn, boolean repeatsX, boolean barAtZero,
                  String svgText) {

    private static final String COLLECT = """
            JSON.stringify(Array.from(document.querySelectorAll('div.headroom-plot')).map(function (d) {
              function keys(x) {
                if (!Array.isArray(x)) { return []; }
                if (x.length === 2 && Array.isArray(x[0]) && Array.isArray(x[1])) {
                  return x[0].map(function (v, i) { return v + '\\u0001' + x[1][i]; });
                }
                return x.map(String);
              }
              var traces = d.data || [];
              // a bar series that repeats an x stacks or hides rows; a line that has two y values at one x zig-zags
              var repeats = traces.some(function (t) {
                var k = keys(t.x);
                if (t.type === 'bar') { return new Set(k).size !== k.length; }
                if ((t.mode || '').indexOf('lines') < 0) { return false; }
                var seen = {};
                return k.some(function (x, i) {
                  var y = String((t.y || [])[i]);
                  if (seen.hasOwnProperty(x) && seen[x] !== y) { return true; }
                  seen[x] = y;
                  return false;
                });
              });
              var zero = traces.some(function (t) {
                return t.type === 'bar' && Array.from(t.y || []).some(function (v) { return v === 0; });
              });
              var title = d.layout && d.layout.title ? (d.layout.title.text || d.layout.title) : '';
              var legend = Array.from(d.querySelectorAll('.legend .traces .legendtext')).map(function (t) { return t.textContent; });
              return {title: String(title), legend: legend, errorBars: d.querySelectorAll('g.errorbar path').length,
                      repeats: repeats, zero: zero, text: Array.from(d.querySelectorAll('svg text')).map(function (t) { return t.textContent; }).join(' | ')};
            }))""";

    static List<ChartFacts> collect(Chromium chromium, String page) throws Exception {
        JsonElement json = chromium.evaluate(COLLECT);
        JsonArray charts = new JsonParser().parse(json.getAsString()).getAsJsonArray();
        List<ChartFacts> out = new ArrayList<>();
        for (JsonElement e : charts) {
            JsonObject c = e.getAsJsonObject();
            List<String> legend = new ArrayList<>();
            c.getAsJsonArray("legend").forEach(l -> legend.add(l.getAsString()));
            out.add(new ChartFacts(page, c.get("title").getAsString(), legend, c.get("errorBars").getAsInt(),
                    c.get("repeats").getAsBoolean(), c.get("zero").getAsBoolean(), c.get("text").getAsString()));
        }
        return out;
    }

    @Override
    public String toString() {
        return page + ": '" + title + "' legend " + seriesInLegend + ", " + errorBarsDrawn + " error bars" + (repeatsX ? ", REPEATS X" : "");
    }
}
