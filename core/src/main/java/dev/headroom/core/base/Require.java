package dev.headroom.core.base;

import java.util.Collection;

/** Range checks at the boundary of every value type, each naming the field and the valid range. */
public final class Require {
    private Require() {}

    public static int positive(String field, int value) {
        if (value <= 0) {
            throw InvalidInputException.field(field, value, "must be a positive whole number");
        }
        return value;
    }

    public static Integer positiveOrNull(String field, Integer value) {
        return value == null ? null : positive(field, value);
    }

    public static int nonNegative(String field, int value) {
        if (value < 0) {
            throw InvalidInputException.field(field, value, "must be zero or more");
        }
        return value;
    }

    public static double positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw InvalidInputException.field(field, value, "must be a positive finite number");
        }
        return value;
    }

    public static double nonNegative(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw InvalidInputException.field(field, value, "must be zero or a positive finite number");
        }
        return value;
    }

    /** A share in (0, 1]. */
    public static double fraction(String field, double value) {
        if (!(value > 0 && value <= 1)) {
            throw InvalidInputException.field(field, value, "must be in (0, 1]");
        }
        return value;
    }

    public static <T> T notNull(String field, T value) {
        if (value == null) {
            throw InvalidInputException.missing(field, "null was given");
        }
        return value;
    }

    public static String oneOf(String field, String value, Collection<String> valid) {
        if (!valid.contains(value)) {
            throw InvalidInputException.unknown(field, value, valid);
        }
        return value;
    }
}
