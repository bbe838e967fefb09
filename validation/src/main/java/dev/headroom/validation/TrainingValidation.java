package dev.headroom.validation;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.precision.ComputeType;
import dev.headroom.core.training.DeepSpeedEstimator;
import dev.headroom.core.training.ModelShapes;
import dev.headroom.core.training.TrainingModel;
import dev.headroom.core.training.Recompute;
import dev.headroom.core.training.TrainingEfficiency;
import dev.headroom.core.training.TrainingSetup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replays every training figure: DeepSpeed's estimator examples (exact, within the rounding of the printed figure),
 * measured peak memory (±15%), and tokens/s, step time and MFU (±25%). Model TFLOP/s are shown for information:
 * each framework counts FLOPs its own way. A row Headroom cannot express is listed with the reason.
 */
public final class TrainingValidation {
    static final double MEMORY_TOLERANCE = 0.15;
    static final double TIME_TOLERANCE = 0.25;

    private TrainingValidation() {}

    /** A file's figures: those read into cases, and those that could not be (as skipped validation cases). */
    record Read(List<TrainingCase> cases, List<ValidationCase> exact, List<ValidationCase> skipped) {}

    public static List<ValidationCase> run(Path csv) {
        return run(csv, TrainingEfficiency.DEFAULT);
    }

    public static List<ValidationCase> run(Path csv, TrainingEfficiency e) {
        Read read = read(csv);
        List<ValidationCase> out = new ArrayList<>(read.exact());
        for (TrainingCase c : read.cases()) {
            out.add(judge(c, e));
        }
        out.addAll(read.skipped());
        return out;
    }

    /**
     * Rows whose published value a constant was taken from (TrainingModel.FRAGMENTATION comes from these rows'
     * reserved and allocated pairs): shown for information, never judged.
     */
    static final java.util.Set<String> IN_SAMPLE = java.util.Set.of("PX115", "PX116");

    static ValidationCase judge(TrainingCase c, TrainingEfficiency e) {
        if (c.kind() == TrainingCase.Kind.MODEL_TFLOPS || (c.kind() == TrainingCase.Kind.RESERVED_GIB && IN_SAMPLE.contains(c.id()))) {
            return c.informational(e);
        }
        return c.judged(e, c.kind().memory ? MEMORY_TOLERANCE : TIME_TOLERANCE);
    }

    static Read read(Path csv) {
        List<TrainingCase> cases = new ArrayList<>();
        List<ValidationCase> exact = new ArrayList<>();
        List<ValidationCase> skipped = new ArrayList<>();
        for (MeasurementRow row : MeasurementRow.read(csv)) {
            String[] metrics = row.get("metric").split("\\|");
            String[] values = row.get("value").split("\\|");
            String[] units = row.get("unit").split("\\|");
            String id = row.get("id");
            String source = row.get("source");
            if (row.get("framework").contains("estimator") || row.get("framework").startsWith("manual formula")) {
                exact.addAll(estimator(row, csv, metrics, values));
                continue;
            }
            for (int i = 0; i < values.length; i++) {
                String metric = metrics[Math.min(i, metrics.length - 1)].trim();
                String unit = units[Math.min(i, units.length - 1)].trim();
                double expected = MeasurementRow.parseValue(values[i]);
                try {
                    cases.add(figure(row, metric, unit, expected));
                } catch (TrainingRows.NotExpressible | InvalidInputException e) {
                    skipped.add(ValidationCase.skipped(id, source, TrainingRows.describe(row), metric, e.getMessage()));
                }
            }
        }
        return new Read(cases, exact, skipped);
    }

    /** Every training figure of both files, and the leave-one-source-out predictions of the time figures. */
    public record Report(List<ValidationCase> cases, List<ValidationCase> heldOut, java.util.Map<String, TrainingEfficiency> fits) {
        /** DeepSpeed's estimator examples: each within the rounding of its printed figure. */
        public List<ValidationCase> estimator() {
            return cases.stream().filter(c -> c.metric().startsWith("model_states")).toList();
        }

        /** Measured memory figures with a tolerance. */
        public List<ValidationCase> memory() {
            return cases.stream().filter(c -> !c.isSkipped() && c.tolerance() != null && c.unit().equals("GiB")
                    && !c.metric().startsWith("model_states")).toList();
        }

        /** Time figures (tokens/s, step time, MFU) predicted with the constants fitted on all sources. */
        public List<ValidationCase> time() {
            return cases.stream().filter(c -> !c.isSkipped() && c.tolerance() != null && !c.unit().equals("GiB")
                    && !c.unit().equals("MiB")).toList();
        }

        static double share(List<ValidationCase> cases) {
            return cases.isEmpty() ? 1 : (double) cases.stream().filter(ValidationCase::withinTolerance).count() / cases.size();
        }
    }

    /** Both training files of a data folder (training.csv and found/training.csv, when present). */
    public static Report report(Path dataDir) {
        List<TrainingCase> all = new ArrayList<>();
        List<ValidationCase> cases = new ArrayList<>();
        for (Path csv : List.of(dataDir.resolve("training.csv"), dataDir.resolve("found").resolve("training.csv"))) {
            if (!java.nio.file.Files.isRegularFile(csv)) {
                continue;
            }
            Read read = read(csv);
            all.addAll(read.cases());
            cases.addAll(read.exact());
            read.cases().forEach(c -> cases.add(judge(c, TrainingEfficiency.DEFAULT)));
            cases.addAll(read.skipped());
        }
        TrainingFit.HeldOut held = TrainingFit.leaveOneSourceOut(all);
        return new Report(cases, held.cases(), held.fits());
    }

    private static TrainingCase figure(MeasurementRow row, String metric, String unit, double expected) {
        if (Double.isNaN(expected)) {
            throw new TrainingRows.NotExpressible("the published value is not a number");
        }
        Recompute override = null;
        TrainingCase.Kind kind;
        String settings = row.cells().getOrDefault("settings", "");
        String note = row.get("note");
        if (metric.startsWith("step_time_s (full")) {
            override = Recompute.FULL;
            kind = TrainingCase.Kind.STEP_TIME_S;
        } else if (metric.startsWith("selective+SP")) {
            override = Recompute.SELECTIVE;
            kind = TrainingCase.Kind.STEP_TIME_S;
        } else if (row.get("metric").startsWith("layer_fwd_bwd_ms")) {
            throw new TrainingRows.NotExpressible("one layer's kernel time is not an output (step time, tokens/s and MFU are)");
        } else if (metric.equals("hfu")) {
            throw new TrainingRows.NotExpressible("hardware FLOPs utilization counts recomputation; Headroom reports MFU");
        } else {
            kind = switch (metric.replaceAll("\\s*\\(.*", "")) {
                case "peak_memory_gib_per_gpu" -> unit.startsWith("GB as shown") ? TrainingCase.Kind.PROCESS_GIB : TrainingCase.Kind.ALLOCATED_GIB;
                case "reserved_memory_gib_per_gpu" -> TrainingCase.Kind.RESERVED_GIB;
                case "tokens_per_s_per_gpu" -> TrainingCase.Kind.TOKENS_PER_S;
                case "step_time_s" -> TrainingCase.Kind.STEP_TIME_S;
                case "mfu" -> TrainingCase.Kind.MFU;
                case "model_tflops_per_gpu" -> TrainingCase.Kind.MODEL_TFLOPS;
                default -> throw new TrainingRows.NotExpressible("metric '" + metric + "' is not predicted");
            };
            if (row.get("id").startsWith("X16") && kind == TrainingCase.Kind.MFU) {
                override = Recompute.SELECTIVE; // the paper's MFU is that of its selective + sequence-parallel runs
            }
        }
        if (kind.memory) {
            if (override == null && !TrainingRows.recomputeStated(row)) {
                throw new TrainingRows.NotExpressible("memory depends on the recompute mode, which the row does not state");
            }
            if (settings.contains("activation_offload=true")) {
                throw new TrainingRows.NotExpressible("activation offloading to host memory is not modelled");
            }
            if (settings.contains("chunked_ce=true")) {
                throw new TrainingRows.NotExpressible("chunked cross-entropy (logits never materialized whole) is not modelled");
            }
        }
        String seq = row.get("seq_len");
        boolean unpacked = seq.contains("not packed") || seq.startsWith("var");
        if (kind.time && unpacked) {
            throw new TrainingRows.NotExpressible("unpacked batches: their tokens/s follow the dataset's length distribution, which the row does not give");
        }
        if (kind.memory && unpacked && !seq.contains("longest")) {
            throw new TrainingRows.NotExpressible("unpacked batches: the peak follows the longest batch of the dataset, which the row does not give");
        }
        ModelProfile model = TrainingRows.model(row);
        Optional<Gpu> gpu = TrainingRows.gpu(row);
        if (gpu.isEmpty()) {
            throw new TrainingRows.NotExpressible("GPU '" + row.get("gpu") + "' is not in the catalog");
        }
        TrainingSetup setup = TrainingRows.setup(row, override);
        boolean mfuVsBf16 = note.toLowerCase(Locale.ROOT).contains("vs bf16 peak");
        if (kind == TrainingCase.Kind.TOKENS_PER_S) {
            // A per-GPU rate that needs more than the GPU's dense peak cannot be per GPU.
            double implied = TrainingModel.modelFlopsPerToken(model, ModelShapes.of(model), setup) * expected
                    / gpu.get().peakFlops(setup.compute()).orElse(gpu.get().peakFlops(ComputeType.BF16).orElse(Double.NaN));
            if (implied > 1) {
                throw new TrainingRows.NotExpressible(String.format(Locale.ROOT,
                        "the published rate needs %.1fx the GPU's dense peak FLOP/s: it cannot be per GPU as labelled", implied));
            }
        }
        TrainingCase c = TrainingCase.of(row.get("id"), row.get("source"), TrainingRows.group(row.get("source")), TrainingRows.describe(row),
                metric, kind, expected, model, gpu.get(), setup, mfuVsBf16);
        if (kind.memory) {
            // Whatever is recomputed, the weights stay and every layer's input is kept: a published peak below that
            // floor did not run the stated batch and length.
            double floor = (c.memory().weights().bytes() + (double) setup.microBatch() * setup.seqLen() / setup.cp()
                    * model.spec().hiddenSize() * 2 * model.spec().layerCount() / setup.pp() / (setup.tp() > 1 ? setup.tp() : 1)) / (1L << 30);
            if (floor > expected) {
                throw new TrainingRows.NotExpressible(String.format(Locale.ROOT,
                        "the stated setup needs at least %.1f GiB (weights and each layer's input), more than the published %.1f: "
                                + "the batch or length that ran must differ", floor, expected));
            }
        }
        return c;
    }

    // ------------------------------------------------------------------------------------------------ estimator

    private static final double GIB = 1L << 30;

    /** DeepSpeed's printed examples: GiB with two decimals (or MiB by a shift), reproduced by its own formulas. */
    private static List<ValidationCase> estimator(MeasurementRow row, Path csv, String[] metrics, String[] values) {
        String id = row.get("id");
        String source = row.get("source");
        String text = row.get("model") + " " + row.get("note") + " " + row.cells().getOrDefault("settings", "");
        List<ValidationCase> out = new ArrayList<>();
        double total;
        double largest;
        String counted;
        Matcher given = Pattern.compile("total_params=([0-9.e]+); largest_layer_params=([0-9.e]+)").matcher(text);
        Matcher inName = Pattern.compile("\\(([0-9.]+)M params; largest layer ([0-9.]+)M\\)").matcher(row.get("model"));
        if (given.find()) {
            total = Double.parseDouble(given.group(1));
            largest = Double.parseDouble(given.group(2));
            counted = "cold: counts as given";
        } else if (row.get("model").startsWith("t5-3b")) {
            // memory.rst's t5-3b examples without counts are the live model's (estimate_..._all_live).
            EncoderDecoderCounts live = EncoderDecoderCounts.read(modelsFile(csv), "t5-3b");
            total = live.totalParams();
            largest = live.largestLayerParams();
            counted = "live: " + live.totalParams() + " params from t5-3b's config";
        } else if (inName.find()) {
            total = Double.parseDouble(inName.group(1)) * 1e6;
            largest = Double.parseDouble(inName.group(2)) * 1e6;
            counted = "counts as printed";
        } else {
            for (String m : metrics) {
                out.add(ValidationCase.skipped(id, source, row.get("model"), m.trim(), "no parameter counts in the row"));
            }
            return out;
        }
        int stage = Integer.parseInt(row.get("zero_stage").trim());
        int gpus = TrainingRows.leadingInt(row.get("gpus"), "gpus");
        if (row.get("metric").startsWith("model_states_mib_per_gpu")) {
            // memory.rst's manual example: case1 no offload, case2 parameters and optimizer offloaded, case3 optimizer offloaded;
            // printed as bytes >> 20.
            boolean[][] offloads = {{false, false}, {true, true}, {true, false}};
            for (int i = 0; i < values.length && i < 3; i++) {
                DeepSpeedEstimator.Needs n = DeepSpeedEstimator.zero3(total, largest, gpus, 1, offloads[i][0], offloads[i][1], true,
                        DeepSpeedEstimator.BUFFER_FACTOR);
                out.add(new ValidationCase(id, source, row.get("model") + " zero3 case" + (i + 1) + " on " + gpus + " GPUs (" + counted + ")",
                        "model_states_mib_per_gpu", Double.parseDouble(values[i].trim()), n.gpuBytes() >> 20, "MiB", 0.0, null));
            }
            return out;
        }
        boolean offloadOptimizer = has(text, "offload_optimizer=cpu") || has(text, "offload=optimizer");
        boolean offloadParams = has(text, "offload_param=cpu") || has(text, "offload=params");
        // zero_init as the row's settings state it, else as its note does (its first mention: later ones compare).
        String settingsText = row.cells().getOrDefault("settings", "");
        Matcher init = Pattern.compile("zero_init=(\\d)").matcher(settingsText.contains("zero_init") ? settingsText : row.get("note"));
        boolean zeroInit = !init.find() || init.group(1).equals("1");
        DeepSpeedEstimator.Needs n = stage == 2
                ? DeepSpeedEstimator.zero2(total, gpus, 1, offloadOptimizer, DeepSpeedEstimator.BUFFER_FACTOR,
                DeepSpeedEstimator.Zero2Formula.BEFORE_V0_14_3)
                : DeepSpeedEstimator.zero3(total, largest, gpus, 1, offloadOptimizer, offloadParams, zeroInit, DeepSpeedEstimator.BUFFER_FACTOR);
        String options = "zero" + stage + (stage == 2 ? " (formula before v0.14.3, as the docs print)" : "")
                + " offload_optimizer=" + (offloadOptimizer ? "cpu" : "none") + (stage == 3 ? " offload_param=" + (offloadParams ? "cpu" : "none")
                + " zero_init=" + (zeroInit ? 1 : 0) : "") + " on " + gpus + " GPUs (" + counted + ")";
        for (int i = 0; i < values.length && i < 2; i++) {
            double expected = Double.parseDouble(values[i].trim());
            double predicted = (i == 0 ? n.gpuBytes() : n.cpuBytes()) / GIB;
            // Printed with two decimals: within half a hundredth of a GiB is exact.
            out.add(new ValidationCase(id, source, row.get("model").replaceAll("\\s*\\(.*", "") + " " + options,
                    i == 0 ? "model_states_gib_per_gpu" : "model_states_gib_per_cpu", expected, predicted, "GiB",
                    0.005 / expected + 1e-9, null));
        }
        return out;
    }

    /** training-models.json sits in the data folder, beside training.csv and above found/training.csv. */
    private static Path modelsFile(Path csv) {
        Path beside = csv.resolveSibling("training-models.json");
        return java.nio.file.Files.isRegularFile(beside) ? beside : csv.toAbsolutePath().getParent().resolveSibling("training-models.json");
    }

    private static boolean has(String text, String option) {
        return text.replace(" ", "").contains(option);
    }
}
