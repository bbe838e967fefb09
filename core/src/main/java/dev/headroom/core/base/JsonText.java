package dev.headroom.core.base;

import java.util.Locale;

/** JSON string literals, written one way for every JSON Headroom prints (command line, chart specs). */
public final class JsonText {
    private JsonText() {}

    /**
     * Appends {@code s} as a quoted JSON string. {@code </} becomes {@code <\/} so the text can also sit inside an HTML
     * script element; JSON readers read both the same.
     */
    public static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '/' -> b.append(i > 0 && s.charAt(i - 1) == '<' ? "\\/" : "/");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
