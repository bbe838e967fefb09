package dev.headroom.core.perf;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The speed model's fitted constants ({@link Parameter}, globally and per scope) and the error bands measured for
 * them by leave-one-source-out cross-validation. {@code ./headroom calibrate} writes them to
 * {@code calibration/calibration.json}; the core reads that file, so no constant is set by hand.
 *
 * @param values   parameter values by key ({@code mfu_16bit}, {@code mfu_16bit@nvidia-gddr})
 * @param bands    cross-validated error bands by class ({@code vllm|throughput|closed loop|nvidia-hbm}, and coarser)
 * @param fittedOn what the values were fitted to, in words (the data files and the date)
 */
public record Calibration(Map<String, Double> values, Map<String, ErrorBand> bands, String fittedOn) {
    /** The file the core reads, on the classpath (and at the repository root for the calibrate command). */
    public static final String RESOURCE = "calibration/calibration.json";

    public Calibration {
        for (Map.Entry<String, Double> e : values.entrySet()) {
            Parameter p = Parameter.byKey(e.getKey());
            double v = e.getValue();
            if (!(v >= p.lower() && v <= p.upper())) {
                throw InvalidInputException.field(e.getKey(), v, "a calibrated value must lie in [" + p.lower() + ", " + p.upper() + "]");
            }
        }
        values = Map.copyOf(values);
        bands = Map.copyOf(bands);
    }

    /** The priors alone: the physical starting values, without error bands. */
    public static Calibration priors() {
        Map<String, Double> v = new LinkedHashMap<>();
        for (Parameter p : Parameter.values()) {
            v.put(p.key(), p.prior());
        }
        return new Calibration(v, Map.of(), "priors (not fitted)");
    }

    /** The fitted calibration shipped with Headroom. */
    public static final Calibration DEFAULT = Bundled.CALIBRATION;

    private static final class Bundled {
        static final Calibration CALIBRATION = load();

        private static Calibration load() {
            try (InputStream in = Calibration.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    return priors();
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the bundled " + RESOURCE, e);
            }
        }
    }

    /** A calibration file a user fitted to their own measurements ({@code ./headroom calibrate --measurements}). */
    public static Calibration read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new InvalidInputException(file + ": calibration file not found");
            }
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read the calibration file (" + e.getMessage() + ")");
        }
    }

    static Calibration parse(String text, String file) {
        Json j = Json.parse(text, file);
        Map<String, Double> values = new LinkedHashMap<>();
        Json params = j.child("parameters");
        for (String key : params.fields().keySet()) {
            values.put(key, params.number(key));
        }
        for (Parameter p : Parameter.values()) {
            // A parameter newer than the file starts at its prior until the next calibrate run (a test flags a stale file).
            values.putIfAbsent(p.key(), p.prior());
        }
        Map<String, ErrorBand> bands = new LinkedHashMap<>();
        if (j.has("bands")) {
            Json b = j.child("bands");
            for (String cls : b.fields().keySet()) {
                Json band = b.child(cls);
                bands.put(cls, new ErrorBand(band.number("low"), band.number("high"), (int) band.longValue("n"),
                        band.has("sources") ? (int) band.longValue("sources") : 1));
            }
        }
        return new Calibration(values, bands, j.text("fitted_on", "unstated"));
    }

    /** A parameter's value for one scope (its own when fitted, else the global one). */
    public double value(Parameter p, String scopeValue) {
        return value(p, scopeValue == null ? List.of() : List.of(scopeValue));
    }

    /** A parameter's value for the first scope of a chain (narrowest first) that has one, else the global one. */
    public double value(Parameter p, List<String> chain) {
        for (String scope : chain) {
            Double v = values.get(p.key(scope));
            if (v != null) {
                return v;
            }
        }
        return global(p);
    }

    /** A parameter's value for a deployment's GPU and engine. */
    public double value(Parameter p, dev.headroom.core.hardware.Gpu gpu, dev.headroom.core.engine.Engine engine) {
        return value(p, p.scope().chain(gpu, engine));
    }

    public double global(Parameter p) {
        Double v = values.get(p.key());
        if (v == null) {
            throw new IllegalStateException("calibration lacks " + p.key());
        }
        return v;
    }

    /** The same calibration with one value changed (the fit's step, a user's what-if). */
    public Calibration with(String key, double value) {
        Map<String, Double> v = new LinkedHashMap<>(values);
        v.put(key, value);
        return new Calibration(v, bands, fittedOn);
    }

    public Calibration withValues(Map<String, Double> v) {
        return new Calibration(v, bands, fittedOn);
    }

    public Calibration withBands(Map<String, ErrorBand> b, String fittedOnWords) {
        return new Calibration(values, b, fittedOnWords);
    }

    /** Values sorted by key, for printing. */
    public Map<String, Double> sortedValues() {
        return new TreeMap<>(values);
    }

    /**
     * The band for a figure: the narrowest class with enough cross-validated cases, from engine x metric x load x
     * hardware down to the metric alone; empty when even that has too few (no band is invented).
     */
    public java.util.Optional<ErrorBand.Found> band(String engine, String metric, String load, String hardware) {
        for (String cls : ErrorBand.classes(engine, metric, load, hardware)) {
            ErrorBand b = bands.get(cls);
            if (b != null && b.usable()) {
                return java.util.Optional.of(new ErrorBand.Found(cls, b));
            }
        }
        return java.util.Optional.empty();
    }

    /** The classes a figure could take its band from, narrowest first (for messages). */
    public static List<String> bandClasses(String engine, String metric, String load, String hardware) {
        return ErrorBand.classes(engine, metric, load, hardware);
    }
}
