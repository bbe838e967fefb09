package dev.headroom.core.perf;

import dev.headroom.core.engine.Engine;
import dev.headroom.core.hardware.Gpu;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    public static final Intervals NONE = new Intervals(Map.of());

    private final Map<String, Optional<ErrorBand.Found>> byLoadAndMetric;

    private Intervals(Map<String, Optional<ErrorBand.Found>> byLoadAndMetric) {
        this.byLoadAndMetric = byLoadAndMetric;
    }

    /** Every band this deployment can use, for the four load kinds. */
    public static Intervals of(Calibration c, Engine engine, Gpu gpu) {
        if (c.bands().isEmpty()) {
            return NONE;
        }
        Map<String, Optional<ErrorBand.Found>> out = new HashMap<>();
        for (String load : List.of("static batch", "closed loop", "saturating throughput", "request rate")) {
            for (Metric m : Metric.values()) {
                out.put(load + "|" + m.key, c.band(engine.id(), m.key, load, gpu.family()));
            }
        }
        return new Intervals(out);
    }

    /** The band of one metric under a load kind, if the calibration has one with enough cases. */
    public Optional<ErrorBand.Found> band(String loadKind, Metric metric) {
        Optional<ErrorBand.Found> b = byLoadAndMetric.get(loadKind + "|" + metric.key);
        return b == null ? Optional.empty() : b;
    }
}
