package dev.headroom.core;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test helper: reads the "— known: a, b, c, ... (N more)" tail of an unknown-name message. */
public final class Messages {
    private static final Pattern MORE = Pattern.compile(", \\.\\.\\. \\((\\d+) more\\)$");

    private Messages() {}

    /** The names the message lists, nearest first (long lists are cut to the nearest few). */
    public static List<String> known(String message) {
        int at = message.indexOf("known: ");
        if (at < 0) {
            throw new AssertionError("message lists no known names: " + message);
        }
        String tail = MORE.matcher(message).replaceFirst("");
        return Arrays.stream(tail.substring(at + "known: ".length()).split(",")).map(String::trim).toList();
    }

    /** How many names the message accounts for: those listed plus the "(N more)" it says it left out. */
    public static int knownCount(String message) {
        Matcher m = MORE.matcher(message);
        return known(message).size() + (m.find() ? Integer.parseInt(m.group(1)) : 0);
    }
}
