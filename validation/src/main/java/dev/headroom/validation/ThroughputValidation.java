package dev.headroom.validation;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.perf.Calibration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays speed measurements: vendor max-throughput tables, fixed batches, closed-loop concurrency, request rates,
 * and llama.cpp's single-stream benchmarks. Rates are judged at ±25% and latencies at ±30%.
 */
public final class ThroughputValidation {
    static final double RATE_TOLERANCE = 0.25;
    static final double LATENCY_TOLERANCE = 0.30;

    private ThroughputValidation() {}

    /** Every figure of a file, read into a case or, when it cannot be expressed, the reason. */
    static List<Read> read(Path csv) {
        List<Read> out = new ArrayList<>();
        for (MeasurementRow.Figure f : MeasurementRow.figures(csv)) {
            try {
                out.add(new Read(f, SpeedCase.read(f), null));
            } catch (InvalidInputException | ArithmeticException e) {
                out.add(new Read(f, null, e.getMessage()));
            }
        }
        return out;
    }

    /** A figure and what reading it gave: a case, or why it is not expressible. */
    record Read(MeasurementRow.Figure figure, SpeedCase speedCase, String whyNot) {}

    public static List<ValidationCase> run(Path csv) {
        return run(csv, Calibration.DEFAULT);
    }

    public static List<ValidationCase> run(Path csv, Calibration calibration) {
        List<ValidationCase> cases = new ArrayList<>();
        for (Read r : read(csv)) {
            if (r.speedCase() == null) {
                cases.add(skipped(r.figure(), r.whyNot()));
                continue;
            }
            SpeedCase c = r.speedCase();
            try {
                double predicted = c.predict(calibration);
                if (Double.isNaN(predicted)) {
                    cases.add(skipped(r.figure(), "the model says the offered load exceeds capacity (the queue grows without "
                            + "bound); a finite run's latency then depends on its length"));
                    continue;
                }
                cases.add(judged(c, predicted));
            } catch (InvalidInputException | NumberFormatException e) {
                cases.add(skipped(r.figure(), MeasurementRow.why(r.figure().row(), e)));
            }
        }
        return cases;
    }

    static ValidationCase judged(SpeedCase c, double predicted) {
        return new ValidationCase(c.id, c.source, c.description, c.metricName, c.expected, predicted, unit(c),
                tolerance(c.metric), null);
    }

    static double tolerance(SpeedMetric m) {
        return m.isRate() ? RATE_TOLERANCE : LATENCY_TOLERANCE;
    }

    private static ValidationCase skipped(MeasurementRow.Figure f, String why) {
        MeasurementRow row = f.row();
        return ValidationCase.skipped(row.get("id"), row.get("source"), SpeedCase.describe(row, f), f.metric(), why);
    }

    private static String unit(SpeedCase c) {
        return switch (c.metric) {
            case TTFT_MS, TPOT_MS, E2E_MS -> "ms";
            case TTFT_S, E2E_S -> "s";
            case REQUEST_RATE -> "req/s";
            default -> "tok/s";
        };
    }
}
