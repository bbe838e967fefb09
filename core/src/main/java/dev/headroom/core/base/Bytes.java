package dev.headroom.core.base;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An exact number of bytes. Prints in GiB (2^30) and says so; parses only exact suffixes
 * (B, KiB, MiB, GiB, TiB, KB, MB, GB, TB) so that GB and GiB are never confused.
 */
public record Bytes(long value) implements Comparable<Bytes> {
    public static final long KIB = 1L << 10;
    public static final long MIB = 1L << 20;
    public static final long GIB = 1L << 30;
    public static final long TIB = 1L << 40;
    public static final Bytes ZERO = new Bytes(0);

    private static final Pattern FORMAT = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(B|KiB|MiB|GiB|TiB|KB|MB|GB|TB)\\s*");

    public static Bytes of(long value) {
        return new Bytes(value);
    }

    /** Rounds to the nearest byte: engines print GiB with two decimals, so inputs are rarely exact. */
    public static Bytes ofGiB(double gib) {
        return new Bytes(Math.round(gib * GIB));
    }

    public static Bytes parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw InvalidInputException.field("size", "'" + text + "'",
                    "write a number with one of the units B, KiB, MiB, GiB, TiB (binary) or KB, MB, GB, TB (decimal)");
        }
        java.math.BigDecimal n = new java.math.BigDecimal(m.group(1));
        long unit = switch (m.group(2)) {
            case "B" -> 1L;
            case "KiB" -> KIB;
            case "MiB" -> MIB;
            case "GiB" -> GIB;
            case "TiB" -> TIB;
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            default -> 1_000_000_000_000L;
        };
        try {
            return new Bytes(n.multiply(java.math.BigDecimal.valueOf(unit)).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
        } catch (ArithmeticException tooLarge) {
            throw InvalidInputException.field("size", "'" + text + "'", "must be below 8 EiB");
        }
    }

    public double gib() {
        return value / (double) GIB;
    }

    public double mib() {
        return value / (double) MIB;
    }

    public Bytes plus(Bytes other) {
        return new Bytes(Checked.add(value, other.value, "bytes"));
    }

    public Bytes minus(Bytes other) {
        return new Bytes(Checked.subtract(value, other.value, "bytes"));
    }

    public Bytes times(long n) {
        return new Bytes(Checked.multiply(value, n, "bytes"));
    }

    @Override
    public int compareTo(Bytes o) {
        return Long.compare(value, o.value);
    }

    /** "14.96 GiB" (two decimals; MiB below 1 GiB so small caches stay readable). */
    @Override
    public String toString() {
        if (Math.abs(value) < GIB) {
            return String.format(Locale.ROOT, "%.2f MiB", mib());
        }
        return String.format(Locale.ROOT, "%.2f GiB", gib());
    }
}
