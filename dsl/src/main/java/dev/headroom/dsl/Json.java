package dev.headroom.dsl;

import dev.headroom.core.base.JsonText;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * Writes chart specs as JSON: maps, lists, arrays, text, numbers and booleans. A number that is not finite is written
 * as null, which plotly draws as a gap (a missing value is never drawn as zero). {@code </} is escaped so a spec can
 * sit inside an HTML script element.
 */
final class Json {
    private Json() {}

    static String write(Object value) {
        StringBuilder b = new StringBuilder(256);
        write(b, value);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            JsonText.quote(b, s);
        } else if (v instanceof Double || v instanceof Float) {
            number(b, ((Number) v).doubleValue());
        } else if (v instanceof Number n) {
            b.append(n.longValue());
        } else if (v instanceof Boolean flag) {
            b.append(flag);
        } else if (v instanceof double[] a) {
            b.append('[');
            for (int i = 0; i < a.length; i++) {
                if (i > 0) {
                    b.append(',');
                }
                number(b, a[i]);
            }
            b.append(']');
        } else if (v instanceof Object[] a) {
            b.append('[');
            for (int i = 0; i < a.length; i++) {
                if (i > 0) {
                    b.append(',');
                }
                write(b, a[i]);
            }
            b.append(']');
        } else if (v instanceof Collection<?> c) {
            write(b, c.toArray());
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                JsonText.quote(b, String.valueOf(e.getKey()));
                b.append(':');
                write(b, e.getValue());
            }
            b.append('}');
        } else {
            JsonText.quote(b, v.toString());
        }
    }

    private static void number(StringBuilder b, double d) {
        if (!Double.isFinite(d)) {
            b.append("null");
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            b.append((long) d);
        } else {
            b.append(String.format(Locale.ROOT, "%.6g", d).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replaceFirst("\\.(e|$)", "$1"));
        }
    }
}
