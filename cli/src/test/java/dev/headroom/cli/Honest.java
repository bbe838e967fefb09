package dev.headroom.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test helper: what no output may ever show — NaN, an infinity, or a negative quantity. */
final class Honest {
    /** A minus that starts a number: after a space, bracket, quote, '=', ':' or ',' (not inside "llama-3.1" or a date). */
    private static final Pattern NEGATIVE = Pattern.compile("(?<![\\w.\\-/@])[-\u2212]\\d");

    private Honest() {}

    /** Fails on NaN, Infinity or a negative number in {@code text}, except inside any of the {@code typed} values. */
    static void assertNoLies(String text, String what, String... typed) {
        String checked = text;
        for (String t : typed) {
            if (!t.isEmpty()) {
                checked = checked.replace(t, "<typed>");
            }
        }
        assertFalse(checked.contains("NaN"), what + " shows NaN:\n" + text);
        assertFalse(checked.contains("Infinity"), what + " shows Infinity:\n" + text);
        Matcher m = NEGATIVE.matcher(checked);
        assertFalse(m.find(), what + " shows a negative number at '" + (m.hitEnd() ? "" : context(checked, m)) + "':\n" + text);
    }

    private static String context(String text, Matcher m) {
        return text.substring(Math.max(0, m.start() - 30), Math.min(text.length(), m.end() + 30));
    }
}
