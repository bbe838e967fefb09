package dev.headroom.dsl;

import dev.headroom.core.base.InvalidInputException;

/** Argument checks in the DSL's own words: the message names the method the user called and the value given. */
final class Args {
    private Args() {}

    static String name(String method, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(method + " needs a name, not " + (value == null ? "null" : "an empty text"));
        }
        return value;
    }

    static int positive(String method, int value) {
        if (value <= 0) {
            throw new InvalidInputException(method.replace("...", String.valueOf(value)) + ": must be a positive whole number");
        }
        return value;
    }

    static int nonNegative(String method, int value) {
        if (value < 0) {
            throw new InvalidInputException(method.replace("...", String.valueOf(value)) + ": must be zero or more");
        }
        return value;
    }

    static double positive(String method, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new InvalidInputException(method.replace("...", String.valueOf(value)) + ": must be a positive finite number");
        }
        return value;
    }

    static double fraction(String method, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new InvalidInputException(method.replace("...", String.valueOf(value)) + ": must be in (0, 1]");
        }
        return value;
    }

    /** A list the user passed: present, and without null elements (each would fail deep inside with no name). */
    static <L extends java.util.Collection<?>> L noNulls(String method, L values) {
        notNull(method, values);
        int i = 0;
        for (Object v : values) {
            if (v == null) {
                throw new InvalidInputException(method + " was given a null element (at index " + i + ")");
            }
            i++;
        }
        return values;
    }

    static <T> T notNull(String method, T value) {
        if (value == null) {
            throw new InvalidInputException(method + " was given null");
        }
        return value;
    }
}
