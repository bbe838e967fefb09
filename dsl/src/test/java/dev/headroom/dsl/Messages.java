package dev.headroom.dsl;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test helper: reads the "— known: a, b, c, ... (N more)" tail of an unknown-name message. */
final class Messages {
    private static final Pattern MORE = Pattern.compile(", \\.\\.\\. \\((\\d+) more\\)$");

    private Messages() {}

    static List<String> known(String message) {
        int at = message.indexOf("known: ");
        if (at < 0) {
            throw new AssertionError("message lists no known names: " + message);
        }
        String tail = MORE.matcher(message).replaceFirst("");
        return Arrays.stream(tail.substring(at + "known: ".length()).split(",")).map(String::trim).toList();
    }

    /** Names listed plus the "(N more)" the message says it left out. */
    static int knownCount(String message) {
        Matcher m = MORE.matcher(message);
        return known(message).size() + (m.find() ? Integer.parseInt(m.group(1)) : 0);
    }
}
