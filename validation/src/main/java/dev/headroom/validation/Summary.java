package dev.headroom.validation;

import java.util.List;

/**
 * Error statistics over the predicted cases that carry a tolerance (informational rows aside), as peers publish theirs: median and geometric mean of the
 * absolute relative error, and the share within tolerance. The geometric mean floors each error at
 * 0.01% so that exact matches do not zero it.
 */
public record Summary(int count, double median, double geometricMean, double max, double shareWithinTolerance) {
    static final double FLOOR = 1e-4;

    static Summary of(List<ValidationCase> cases) {
        double[] errors = cases.stream().filter(c -> !c.isSkipped() && c.tolerance() != null)
                .mapToDouble(c -> Math.abs(c.error())).sorted().toArray();
        long judged = cases.stream().filter(c -> !c.isSkipped() && c.tolerance() != null).count();
        long within = cases.stream().filter(c -> !c.isSkipped() && c.tolerance() != null && c.withinTolerance()).count();
        if (errors.length == 0) {
            return new Summary(0, 0, 0, 0, 1);
        }
        int n = errors.length;
        double median = n % 2 == 1 ? errors[n / 2] : (errors[n / 2 - 1] + errors[n / 2]) / 2;
        double logSum = 0;
        for (double e : errors) {
            logSum += Math.log(Math.max(FLOOR, e));
        }
        return new Summary(n, median, Math.exp(logSum / n), errors[n - 1], judged == 0 ? 1 : (double) within / judged);
    }
}
