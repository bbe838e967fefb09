package dev.headroom.validation;

import java.util.Locale;

/**
 * One published figure against Headroom's prediction.
 *
 * @param tolerance allowed relative error (0.05 = ±5%); null for figures reported for information only
 * @param skipped   why the row cannot be expressed, or null when it was predicted
 */
public record ValidationCase(String id, String source, String description, String metric, double expected,
                             double predicted, String unit, Double tolerance, String skipped) {
    static ValidationCase skipped(String id, String source, String description, String metric, String why) {
        return new ValidationCase(id, source, description, metric, Double.NaN, Double.NaN, "", null, why);
    }

    public boolean isSkipped() {
        return skipped != null;
    }

    /** Signed relative error of the prediction. */
    public double error() {
        return expected == 0 ? (predicted == 0 ? 0 : Double.POSITIVE_INFINITY) : (predicted - expected) / expected;
    }

    public boolean withinTolerance() {
        return isSkipped() || tolerance == null || Math.abs(error()) <= tolerance + 1e-12;
    }

    public String status() {
        if (isSkipped()) {
            return "not expressible";
        }
        if (tolerance == null) {
            return "info";
        }
        return withinTolerance() ? "ok" : "OUT OF TOLERANCE";
    }

    String row() {
        if (isSkipped()) {
            return String.format(Locale.ROOT, "%-17s %-24s %-52s %s: %s", id, metric, description, status(), skipped);
        }
        return String.format(Locale.ROOT, "%-17s %-24s %-52s %14s %14s %-6s %+8.2f%%  %-7s %s", id, metric, description,
                format(expected), format(predicted), unit, 100 * error(),
                tolerance == null ? "-" : String.format(Locale.ROOT, "±%.0f%%", 100 * tolerance), status());
    }

    private static String format(double v) {
        return Math.abs(v) >= 1e6 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.4g", v);
    }
}
