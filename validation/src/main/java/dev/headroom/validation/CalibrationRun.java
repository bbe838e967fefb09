package dev.headroom.validation;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.perf.Calibration;
import dev.headroom.core.perf.ErrorBand;
import dev.headroom.core.perf.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The calibrate command's work: read the speed figures, fit the parameters, cross-validate by leaving each source
 * out, and write the calibration file the core reads — parameters, error bands, and the cross-validated figures
 * the README and {@code validate} quote.
 */
public final class CalibrationRun {
    private final List<Path> files;
    private final Map<Path, List<ThroughputValidation.Read>> reads;
    private final int skipped;
    private final CrossValidation.Result result;

    private CalibrationRun(List<Path> files, Map<Path, List<ThroughputValidation.Read>> reads, int skipped,
                           CrossValidation.Result result) {
        this.files = files;
        this.reads = reads;
        this.skipped = skipped;
        this.result = result;
    }

    /** The measurement files of a validation folder: throughput.csv and found/throughput.csv. */
    public static List<Path> speedFiles(Path dataDir) {
        List<Path> out = new ArrayList<>();
        for (Path p : List.of(dataDir.resolve("throughput.csv"), dataDir.resolve("found").resolve("throughput.csv"))) {
            if (Files.isRegularFile(p)) {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw new dev.headroom.core.base.InvalidInputException("validation data " + dataDir.resolve("throughput.csv") + " not found");
        }
        return out;
    }

    /**
     * Fits to the figures of {@code files}, with priors centred on {@code centre} (Headroom's physical priors for the
     * shipped fit; the shipped calibration when a user fits their own measurements).
     */
    public static CalibrationRun fit(List<Path> files, Calibration centre) {
        Map<Path, List<ThroughputValidation.Read>> reads = new java.util.LinkedHashMap<>();
        List<SpeedCase> cases = new ArrayList<>();
        int skipped = 0;
        for (Path f : files) {
            List<ThroughputValidation.Read> read = ThroughputValidation.read(f);
            reads.put(f, read);
            for (ThroughputValidation.Read r : read) {
                if (r.speedCase() != null) {
                    cases.add(r.speedCase());
                } else {
                    skipped++;
                }
            }
        }
        if (cases.isEmpty()) {
            throw new InvalidInputException("no figure in " + files.stream().map(CalibrationRun::name).toList()
                    + " can be expressed; nothing to fit");
        }
        return new CalibrationRun(files, reads, skipped, CrossValidation.run(cases, centre));
    }

    /**
     * Every figure of one of the fitted files with its cross-validated prediction (the fit that did not see its
     * source), or why it cannot be expressed.
     */
    public List<ValidationCase> crossValidatedCases(Path file) {
        Map<SpeedCase, Double> cv = new java.util.IdentityHashMap<>();
        for (int i = 0; i < result.cases().size(); i++) {
            cv.put(result.cases().get(i), result.crossValidated()[i]);
        }
        List<ValidationCase> out = new ArrayList<>();
        for (ThroughputValidation.Read r : reads.getOrDefault(file, List.of())) {
            MeasurementRow row = r.figure().row();
            String describe = SpeedCase.describe(row, r.figure());
            if (r.speedCase() == null) {
                out.add(ValidationCase.skipped(row.get("id"), row.get("source"), describe, r.figure().metric(), r.whyNot()));
                continue;
            }
            Double v = cv.get(r.speedCase());
            if (v == null || Double.isNaN(v)) {
                out.add(ValidationCase.skipped(row.get("id"), row.get("source"), describe, r.figure().metric(),
                        "no speed for this configuration (it does not fit, or the offered load exceeds capacity)"));
            } else {
                out.add(ThroughputValidation.judged(r.speedCase(), v));
            }
        }
        return out;
    }

    public Calibration calibration() {
        return result.calibration();
    }

    /** Cross-validated summary over every judged figure. */
    public Summary crossValidated() {
        return Summary.of(result.crossValidatedCases());
    }

    /** Cross-validated summaries by metric kind, by engine and by hardware family. */
    public Map<String, Summary> byKind() {
        return result.summaries(c -> c.metric.kind());
    }

    public Map<String, Summary> byEngine() {
        return result.summaries(c -> c.engine() + " " + c.metric.kind());
    }

    public Map<String, Summary> byHardware() {
        return result.summaries(c -> c.hardwareFamily() + " " + c.metric.kind());
    }

    /** Share of figures inside the error band made without their source. */
    public double bandCoverage() {
        return result.bandCoverage();
    }

    /** Fitted (in-sample) summary, for contrast only: the README quotes the cross-validated one. */
    public Summary fitted() {
        List<ValidationCase> out = new ArrayList<>();
        for (int i = 0; i < result.cases().size(); i++) {
            if (!Double.isNaN(result.fitted()[i])) {
                out.add(ThroughputValidation.judged(result.cases().get(i), result.fitted()[i]));
            }
        }
        return Summary.of(out);
    }

    public List<ValidationCase> crossValidatedCases() {
        return result.crossValidatedCases();
    }

    public String report() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "fitted %d parameters to %d figures from %d sources (%d figures not expressible)%n",
                new Calibrator(result.cases(), Calibration.priors()).keys().size(), result.judged().size(),
                CrossValidation.sources(result.cases()).size(), skipped));
        b.append("parameters:\n");
        calibration().sortedValues().forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %-36s %.4g%n", k, v)));
        b.append("leave-one-source-out error (each source predicted by a fit that did not see it):\n");
        b.append(summaries());
        return b.toString();
    }

    /** The cross-validated summaries: all, by metric kind, by engine and by hardware family; band coverage; in-sample. */
    public String summaries() {
        StringBuilder b = new StringBuilder();
        appendSummary(b, "all figures", crossValidated());
        byKind().forEach((k, s) -> appendSummary(b, k, s));
        byEngine().forEach((k, s) -> appendSummary(b, k, s));
        byHardware().forEach((k, s) -> appendSummary(b, k, s));
        if (result.coveredCases() == 0) {
            b.append("  error bands: too few sources to make one without a figure's own source (a band needs "
                    + dev.headroom.core.perf.ErrorBand.MIN_CASES + " figures from " + dev.headroom.core.perf.ErrorBand.MIN_SOURCES + " sources)\n");
        } else {
            b.append(String.format(Locale.ROOT, "  error bands (10th-90th percentile of the cross-validated errors) cover %.0f%% of %d figures "
                    + "made without their source%n", 100 * bandCoverage(), result.coveredCases()));
        }
        appendSummary(b, "in-sample, for contrast", fitted());
        return b.toString();
    }

    /** Every judged figure with its cross-validated prediction and error. */
    public String caseList() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-17s %-24s %-52s %14s %14s %-6s %9s  %-7s %s%n",
                "case", "metric", "setting", "published", "predicted", "unit", "error", "limit", "status"));
        crossValidatedCases().forEach(c -> b.append(c.row()).append('\n'));
        return b.toString();
    }

    static void appendSummary(StringBuilder b, String label, Summary s) {
        b.append(String.format(Locale.ROOT, "  %-34s n=%3d  within tolerance %3.0f%%  median %5.1f%%  geometric mean %5.1f%%%n",
                label, s.count(), 100 * s.shareWithinTolerance(), 100 * s.median(), 100 * s.geometricMean()));
    }

    /** Writes the calibration file: parameters, bands and the cross-validated figures, as JSON. */
    public void write(Path file) {
        StringBuilder j = new StringBuilder("{\n");
        j.append("  \"fitted_on\": ").append(quote(LocalDate.now() + ": " + String.join(", ", files.stream().map(CalibrationRun::name).toList())
                + "; leave-one-source-out cross-validated")).append(",\n");
        j.append("  \"parameters\": {\n");
        List<String> lines = new ArrayList<>();
        calibration().sortedValues().forEach((k, v) -> lines.add("    " + quote(k) + ": " + String.format(Locale.ROOT, "%.6g", v)));
        j.append(String.join(",\n", lines)).append("\n  },\n");
        j.append("  \"meanings\": {\n");
        lines.clear();
        for (Parameter p : Parameter.values()) {
            lines.add("    " + quote(p.key()) + ": " + quote(p.meaning()));
        }
        j.append(String.join(",\n", lines)).append("\n  },\n");
        j.append("  \"bands\": {\n");
        lines.clear();
        for (Map.Entry<String, ErrorBand> e : result.bands().entrySet()) {
            ErrorBand band = e.getValue();
            lines.add(String.format(Locale.ROOT, "    %s: {\"low\": %.5f, \"high\": %.5f, \"n\": %d, \"sources\": %d}",
                    quote(e.getKey()), band.low(), band.high(), band.n(), band.sources()));
        }
        j.append(String.join(",\n", lines)).append("\n  },\n");
        Summary s = crossValidated();
        j.append(String.format(Locale.ROOT, "  \"cross_validation\": {\"figures\": %d, \"within_tolerance\": %.4f, \"median_error\": %.4f, "
                        + "\"geometric_mean_error\": %.4f, \"band_coverage\": %.4f}%n", s.count(), s.shareWithinTolerance(), s.median(),
                s.geometricMean(), bandCoverage()));
        j.append("}\n");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, j.toString());
        } catch (IOException e) {
            throw new InvalidInputException("cannot write the calibration file " + file + ": " + e.getMessage());
        }
    }

    /** A data file by its name in the validation folder ("found/throughput.csv"), never a machine path. */
    private static String name(Path p) {
        Path parent = p.getParent();
        return parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("found")
                ? "found/" + p.getFileName() : p.getFileName().toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
