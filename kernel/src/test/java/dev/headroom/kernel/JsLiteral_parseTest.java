package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

class JsLiteral_parseTest {
    @Test
    void should_read_jsplot_style_object_literals_as_json() {
        String js = "var trace0 =\n{\nx: [\"1\",\"8\"],\ny: [80.0, NaN, -1.5e3],\nmode: 'markers',\n// note\nmarker: {color: 'rgb(1,2,3)', 'size': 4,},\nshowlegend: true,\n};";
        assertEquals(new JsonParser().parse("{\"x\":[\"1\",\"8\"],\"y\":[80.0,null,-1.5e3],\"mode\":\"markers\","
                + "\"marker\":{\"color\":\"rgb(1,2,3)\",\"size\":4},\"showlegend\":true}"), JsLiteral.parseDeclaration(js));
    }

    @Test
    void should_read_escapes_in_strings() {
        assertEquals(new JsonParser().parse("{\"t\":\"it's \\\"q\\\"\\n\"}"), JsLiteral.parseDeclaration("var l = {t: 'it\\'s \"q\"\\n'}"));
    }

    @Test
    void should_refuse_code_that_is_not_a_literal() {
        assertThrows(IllegalArgumentException.class, () -> JsLiteral.parseDeclaration("var data = [ trace0];"));
        assertThrows(IllegalArgumentException.class, () -> JsLiteral.parseDeclaration("var f = {a: function () {}};"));
    }
}
