package dev.headroom.dsl;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.perf.Calibration;
import dev.headroom.core.perf.ErrorBand;
import dev.headroom.validation.ArchitectureValidation;
import dev.headroom.validation.CalibrationRun;
import dev.headroom.validation.MemoryValidation;
import dev.headroom.validation.ThroughputValidation;
import dev.headroom.validation.TrainingValidation;
import dev.headroom.validation.ValidationCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The published measurements in validation/ (engine logs, vendor tables, benchmark runs, each with its source)
 * against Headroom's predictions, as tables for the validation notebook: every case, with its error, and for speed
 * figures the interval the estimate carries ({@code predicted_low} / {@code predicted_high}); and the honest measure,
 * each speed figure predicted by a fit that never saw its source ({@link #heldOut()}).
 */
public final class Validation {
    private Validation() {}

    /** Every case of the validation folder found from here (or named by the system property headroom.validation). */
    public static Table cases() {
        return cases(folder().toString());
    }

    /** Every case of the given validation folder: parameter counts and KV bytes, engine memory, speed, training. */
    public static Table cases(String folder) {
        Path dir = checked(Path.of(folder));
        List<Row> rows = new ArrayList<>();
        add(rows, "architecture", "architectures.json", dir, ArchitectureValidation::run);
        add(rows, "memory", "memory.csv", dir, MemoryValidation::run);
        add(rows, "memory", "found/memory.csv", dir, MemoryValidation::run);
        add(rows, "speed", "throughput.csv", dir, ThroughputValidation::run);
        add(rows, "speed", "found/throughput.csv", dir, ThroughputValidation::run);
        add(rows, "training", "training.csv", dir, TrainingValidation::run);
        add(rows, "training", "found/training.csv", dir, TrainingValidation::run);
        return table("published cases", rows);
    }

    /**
     * Every speed figure predicted with parameters fitted on all the other sources (leave one source out): the error
     * to expect on a setup the fit has not seen. Fits once per source, so it takes a while (half a minute or so).
     */
    public static Table heldOut() {
        Path dir = folder();
        CalibrationRun run = CalibrationRun.fit(CalibrationRun.speedFiles(dir), Calibration.priors());
        List<Row> rows = new ArrayList<>();
        for (ValidationCase c : run.crossValidatedCases()) {
            rows.add(new Row("speed", "held out", c));
        }
        return table("speed, each source held out", rows);
    }

    private record Row(String kind, String file, ValidationCase c) {}

    private static void add(List<Row> rows, String kind, String file, Path dir, Function<Path, List<ValidationCase>> run) {
        Path p = dir.resolve(file);
        if (Files.isRegularFile(p)) {
            run.apply(p).forEach(c -> rows.add(new Row(kind, file, c)));
        }
    }

    private static Table table(String name, List<Row> rows) {
        StringColumn kind = StringColumn.create("kind");
        StringColumn file = StringColumn.create("file");
        StringColumn id = StringColumn.create("case");
        StringColumn source = StringColumn.create("source");
        StringColumn setting = StringColumn.create("setting");
        StringColumn metric = StringColumn.create("metric");
        StringColumn unit = StringColumn.create("unit");
        DoubleColumn published = DoubleColumn.create("published");
        DoubleColumn predicted = DoubleColumn.create("predicted");
        DoubleColumn low = DoubleColumn.create("predicted_low");
        DoubleColumn high = DoubleColumn.create("predicted_high");
        DoubleColumn error = DoubleColumn.create("error_pct");
        DoubleColumn tolerance = DoubleColumn.create("tolerance_pct");
        StringColumn status = StringColumn.create("status");
        StringColumn why = StringColumn.create("not_expressible_because");
        for (Row r : rows) {
            ValidationCase c = r.c();
            kind.append(r.kind());
            file.append(r.file());
            id.append(c.id());
            source.append(c.source());
            setting.append(c.description());
            metric.append(c.metric());
            unit.append(c.unit());
            published.append(c.expected());
            predicted.append(c.predicted());
            double[] band = r.kind().equals("speed") && !c.isSkipped() ? interval(c) : new double[] {Double.NaN, Double.NaN};
            low.append(band[0]);
            high.append(band[1]);
            error.append(c.isSkipped() ? Double.NaN : 100 * c.error());
            tolerance.append(c.tolerance() == null ? Double.NaN : 100 * c.tolerance());
            status.append(c.status());
            why.append(c.isSkipped() ? c.skipped() : "");
        }
        for (DoubleColumn d : List.of(published, predicted, low, high)) {
            d.setPrintFormatter(new tech.tablesaw.columns.numbers.NumberColumnFormatter(new java.text.DecimalFormat("#,##0.####"), ""));
        }
        for (DoubleColumn d : List.of(error, tolerance)) {
            d.setPrintFormatter(new tech.tablesaw.columns.numbers.NumberColumnFormatter(new java.text.DecimalFormat("+0.0;-0.0"), ""));
        }
        return Table.create(name, kind, file, id, source, setting, metric, unit, published, predicted, low, high, error, tolerance,
                status, why);
    }

    /**
     * The interval a speed estimate carries: the shipped calibration's error band for the figure's metric class (the
     * 10th to 90th percentile of how far measurements fell from predictions made without their source). Only the
     * metric-wide classes are used here (the case list does not say each figure's engine or hardware); a class without
     * enough cases gives no interval.
     */
    static double[] interval(ValidationCase c) {
        String cls = bandClass(c.metric(), c.unit());
        ErrorBand band = Calibration.DEFAULT.bands().get(cls);
        if (band == null || band.n() < ErrorBand.MIN_CASES) {
            return new double[] {Double.NaN, Double.NaN};
        }
        // bands are measured / predicted of the class's own quantity; a rate of a duration (tokens/s of one stream) runs the other way
        boolean inverted = isRate(c.metric(), c.unit()) && (cls.equals("ttft") || cls.equals("tpot"));
        double lo = inverted ? -band.high() : band.low();
        double hi = inverted ? -band.low() : band.high();
        return new double[] {c.predicted() * Math.exp(lo), c.predicted() * Math.exp(hi)};
    }

    /** The metric class of a published figure, by its name: time to first token, time per token, end to end, or throughput. */
    static String bandClass(String metric, String unit) {
        String m = metric.toLowerCase(Locale.ROOT);
        if (m.contains("ttft") || m.startsWith("pp") || m.contains("prefill") || m.contains("prompt")) {
            return "ttft";
        }
        if (m.contains("tpot") || m.contains("token_latency") || m.contains("per_user") || m.startsWith("tg") || m.startsWith("eval")) {
            return "tpot";
        }
        if (m.contains("e2e")) {
            return "e2e_latency";
        }
        return "output_tokens_per_s";
    }

    private static boolean isRate(String metric, String unit) {
        String m = metric.toLowerCase(Locale.ROOT);
        return unit.contains("/s") || m.contains("tok_s") || m.startsWith("pp") || m.startsWith("tg");
    }

    /** The validation folder: the system property headroom.validation, else validation/ here or in a folder above. */
    static Path folder() {
        String named = System.getProperty("headroom.validation");
        if (named != null && !named.isBlank()) {
            return checked(Path.of(named));
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("validation").resolve("memory.csv"))) {
                return p.resolve("validation");
            }
        }
        throw new InvalidInputException("no validation/ folder here or above " + Path.of("").toAbsolutePath()
                + ": run from the Headroom checkout, or call Validation.cases(\"<folder with memory.csv>\")");
    }

    private static Path checked(Path dir) {
        if (!Files.isRegularFile(dir.resolve("memory.csv"))) {
            throw new InvalidInputException("validation folder " + dir + " holds no memory.csv (it should hold the published measurements)");
        }
        return dir;
    }
}
