package dev.headroom.core.perf;

import dev.headroom.core.engine.Engine;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.workload.Load;
import java.util.Optional;

/**
 * The error bands of one deployment's speed figures, by load kind and metric: how far published measurements of
 * the same engine, metric, load and hardware family fell from Headroom's cross-validated predictions (see
 * {@link ErrorBand}). Resolved once per deployment; an estimate reads its four bands by load kind.
 */
public final class Intervals {
    /** The metrics that carry a band, as the calibration file names them. */
    public enum Metric {
        OUTPUT_RATE("output_tokens_per_s"), TTFT("ttft"), TPOT("tpot"), E2E("e2e_latency");

        private final String key;

        Metric(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** No bands at all (a calibration without them, or an estimate without speed). */
    public static final Intervals NONE = new Intervals(new ErrorBand.Found[Load.Kind.values().length][Metric.values().length]);

    /** By load kind and metric (their ordinals); null where the calibration has no band. */
    private final ErrorBand.Found[][] byLoadAndMetric;

    private Intervals(ErrorBand.Found[][] byLoadAndMetric) {
        this.byLoadAndMetric = byLoadAndMetric;
    }

    /** Every band this deployment can use, for the four load kinds. */
    public static Intervals of(Calibration c, Engine engine, Gpu gpu) {
        if (c.bands().isEmpty()) {
            return NONE;
        }
        ErrorBand.Found[][] out = new ErrorBand.Found[Load.Kind.values().length][Metric.values().length];
        for (Load.Kind load : Load.Kind.values()) {
            for (Metric m : Metric.values()) {
                out[load.ordinal()][m.ordinal()] = c.band(engine.id(), m.key, load.words(), gpu.family()).orElse(null);
            }
        }
        return new Intervals(out);
    }

    /** The band of one metric under a load kind, if the calibration has one with enough cases. */
    public Optional<ErrorBand.Found> band(Load.Kind load, Metric metric) {
        return Optional.ofNullable(found(load, metric));
    }

    /** The same without the Optional (read per row by sweeps); null when there is none. */
    ErrorBand.Found found(Load.Kind load, Metric metric) {
        return byLoadAndMetric[load.ordinal()][metric.ordinal()];
    }
}
