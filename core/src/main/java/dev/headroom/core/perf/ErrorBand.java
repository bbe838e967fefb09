package dev.headroom.core.perf;

import java.util.List;

/**
 * How far measurements of one class of estimates fell from Headroom's prediction when the fit had not seen their
 * source (leave-one-source-out): the 10th and 90th percentiles of log(measured / predicted). An estimate's
 * interval is its value times exp(low) to exp(high).
 *
 * @param low  10th percentile of the log ratio (negative: measured below predicted)
 * @param high 90th percentile
 * @param n       cross-validated cases in the class
 * @param sources distinct sources those cases come from
 */
public record ErrorBand(double low, double high, int n, int sources) {
    /** Fewer cases than this give no band: a percentile of five numbers is not a measurement... */
    public static final int MIN_CASES = 8;
    /** ...nor is the spread of one table's rows, which share its setup: a band needs this many sources. */
    public static final int MIN_SOURCES = 3;

    /** Whether the class has enough cases from enough sources to stand for estimates of its kind. */
    public boolean usable() {
        return n >= MIN_CASES && sources >= MIN_SOURCES;
    }
    /** The band's nominal coverage (between the 10th and 90th percentiles). */
    public static final double NOMINAL_COVERAGE = 0.80;

    public ErrorBand {
        if (!(low <= high) || Double.isInfinite(low) || Double.isInfinite(high)) {
            throw new IllegalArgumentException("error band [" + low + ", " + high + "] is not an interval");
        }
    }

    /** A band and the class it came from. */
    public record Found(String cls, ErrorBand band) {
        public double lowOf(double value) {
            return value * Math.exp(band.low);
        }

        public double highOf(double value) {
            return value * Math.exp(band.high);
        }
    }

    /** Class keys from the narrowest to the coarsest. */
    static List<String> classes(String engine, String metric, String load, String hardware) {
        return List.of(
                engine + "|" + metric + "|" + load + "|" + hardware,
                engine + "|" + metric + "|" + load,
                engine + "|" + metric,
                metric);
    }

    /** The keys a case contributes its residual to, for the calibrate command. */
    public static List<String> keysOf(String engine, String metric, String load, String hardware) {
        return classes(engine, metric, load, hardware);
    }
}
