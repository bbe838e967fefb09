package dev.headroom.core;

import java.util.Arrays;
import java.util.List;

/** Test helper: reads the "— known: a, b, c" tail of an unknown-name message. */
final class Messages {
    private Messages() {}

    static List<String> known(String message) {
        int at = message.indexOf("known: ");
        if (at < 0) {
            throw new AssertionError("message lists no known names: " + message);
        }
        return Arrays.stream(message.substring(at + "known: ".length()).split(",")).map(String::trim).toList();
    }
}
