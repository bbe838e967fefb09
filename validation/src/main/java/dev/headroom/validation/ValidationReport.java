package dev.headroom.validation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Every case with its error, grouped by data file, and a summary line per group. */
public final class ValidationReport {
    private final List<Section> sections = new ArrayList<>();

    private record Section(String title, List<ValidationCase> cases) {}

    /** Runs every validation over the data folder (a copy of the shared published measurements). */
    public static ValidationReport of(Path dataDir) {
        ValidationReport r = new ValidationReport();
        r.sections.add(new Section("architectures.json: parameter counts and KV bytes per token (exact)",
                ArchitectureValidation.run(dataDir.resolve("architectures.json"))));
        r.sections.add(new Section("memory.csv: engine memory (weights ±1%, KV pools ±5% on 40 GB+ GPUs, ±10% below)",
                MemoryValidation.run(dataDir.resolve("memory.csv"))));
        r.sections.add(new Section("throughput.csv: tokens/s and latency (±25%)",
                ThroughputValidation.run(dataDir.resolve("throughput.csv"))));
        Path found = dataDir.resolve("found");
        if (java.nio.file.Files.isRegularFile(found.resolve("memory.csv"))) {
            r.sections.add(new Section("found/memory.csv: engine memory, gathered for this project (same tolerances)",
                    MemoryValidation.run(found.resolve("memory.csv"))));
        }
        if (java.nio.file.Files.isRegularFile(found.resolve("throughput.csv"))) {
            r.sections.add(new Section("found/throughput.csv: tokens/s and latency, gathered for this project (±25%)",
                    ThroughputValidation.run(found.resolve("throughput.csv"))));
        }
        if (java.nio.file.Files.isRegularFile(dataDir.resolve("training.csv"))) {
            r.training = TrainingValidation.report(dataDir);
            r.sections.add(new Section("training: DeepSpeed's estimator exactly; peak memory ±15%, tokens/s, step time and MFU ±25%",
                    r.training.cases()));
            r.sections.add(new Section("training, leave-one-source-out: each source's time figures with constants fitted on the others",
                    r.training.heldOut()));
        }
        return r;
    }

    private TrainingValidation.Report training;

    /** Training: at least this share of measured memory within ±15%, and of time figures within ±25% left out. */
    public static final double TRAINING_MIN_SHARE = 0.70;

    /** The training gates: estimator examples exact; memory and held-out time shares at least {@link #TRAINING_MIN_SHARE}. */
    public boolean trainingPasses() {
        return training == null || (training.estimator().stream().allMatch(ValidationCase::withinTolerance)
                && TrainingValidation.Report.share(training.memory()) >= TRAINING_MIN_SHARE
                && TrainingValidation.Report.share(training.heldOut()) >= TRAINING_MIN_SHARE);
    }

    /** The summary of one data file's judged cases (exact-count sections included). */
    public Summary summary(String file) {
        return sections.stream().filter(s -> s.title.startsWith(file)).findFirst()
                .map(s -> Summary.of(s.cases)).orElseThrow(() -> new IllegalArgumentException("no section for " + file));
    }

    public List<ValidationCase> cases() {
        return sections.stream().flatMap(s -> s.cases.stream()).toList();
    }

    /** Throughput and latency: at least this share of cases within ±25%... */
    public static final double THROUGHPUT_MIN_SHARE = 0.75;
    /** ...and a median absolute error no larger than this (peers publish 6-30%). */
    public static final double THROUGHPUT_MAX_MEDIAN = 0.15;

    /**
     * The gates the project holds: every exact count and every memory case within its tolerance; for
     * throughput and latency, the share within ±25% and the median error above.
     */
    public boolean passes() {
        boolean exact = sections.stream().filter(s -> !s.title.startsWith("throughput") && !s.title.startsWith("training"))
                .allMatch(s -> s.cases.stream().allMatch(ValidationCase::withinTolerance));
        Summary speed = summary("throughput");
        return exact && speed.shareWithinTolerance() >= THROUGHPUT_MIN_SHARE && speed.median() <= THROUGHPUT_MAX_MEDIAN
                && trainingPasses();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Section s : sections) {
            b.append("== ").append(s.title).append('\n');
            b.append(String.format(Locale.ROOT, "%-17s %-24s %-52s %14s %14s %-6s %9s  %-7s %s%n",
                    "case", "metric", "setting", "published", "predicted", "unit", "error", "limit", "status"));
            s.cases.forEach(c -> b.append(c.row()).append('\n'));
            long predicted = s.cases.stream().filter(c -> !c.isSkipped()).count();
            long ok = s.cases.stream().filter(c -> !c.isSkipped() && c.tolerance() != null && c.withinTolerance()).count();
            long judged = s.cases.stream().filter(c -> !c.isSkipped() && c.tolerance() != null).count();
            b.append(String.format(Locale.ROOT, "   %d of %d rows predicted; %d of %d within tolerance; %d not expressible%n",
                    predicted, s.cases.size(), ok, judged, s.cases.size() - predicted));
            Summary sum = Summary.of(s.cases);
            if (sum.count() > 0) {
                b.append(String.format(Locale.ROOT, "   absolute error: median %.1f%%, geometric mean %.1f%%, max %.1f%%%n",
                        100 * sum.median(), 100 * sum.geometricMean(), 100 * sum.max()));
            }
            b.append('\n');
        }
        if (training != null) {
            b.append(String.format(Locale.ROOT, "training gates: estimator examples %d of %d exact; memory %.0f%% within ±15%%; "
                            + "time %.0f%% within ±25%% fitted, %.0f%% leave-one-source-out (gate %.0f%%)%n",
                    training.estimator().stream().filter(ValidationCase::withinTolerance).count(), training.estimator().size(),
                    100 * TrainingValidation.Report.share(training.memory()), 100 * TrainingValidation.Report.share(training.time()),
                    100 * TrainingValidation.Report.share(training.heldOut()), 100 * TRAINING_MIN_SHARE));
        }
        return b.toString();
    }
}
