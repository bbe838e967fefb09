package dev.headroom.core.base;

/**
 * Exact arithmetic on byte and token counts. A product or sum that would not fit a {@code long} (or an
 * {@code int} where a count must) is a user mistake — a configuration too large to exist — and says which
 * quantity overflowed, instead of wrapping to a negative size.
 */
public final class Checked {
    private Checked() {}

    public static long multiply(long a, long b, String what) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            return lo;
        }
        throw tooLarge(what, a + " x " + b + " exceeds 2^63");
    }

    public static long multiply(long a, long b, long c, String what) {
        return multiply(multiply(a, b, what), c, what);
    }

    public static long add(long a, long b, String what) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            throw tooLarge(what, a + " + " + b + " exceeds 2^63");
        }
        return r;
    }

    public static long subtract(long a, long b, String what) {
        long r = a - b;
        if (((a ^ b) & (a ^ r)) < 0) {
            throw tooLarge(what, a + " - " + b + " exceeds 2^63");
        }
        return r;
    }

    public static int toInt(long v, String what) {
        if (v != (int) v) {
            throw tooLarge(what, v + " exceeds 2^31");
        }
        return (int) v;
    }

    private static InvalidInputException tooLarge(String what, String expression) {
        return InvalidInputException.tooLarge(what, expression);
    }
}
