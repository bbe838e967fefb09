package dev.headroom.validation;

import dev.headroom.core.Estimator;
import dev.headroom.core.DeploymentProfile;
import dev.headroom.core.Estimate;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.Engine;
import dev.headroom.core.engine.Engines;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.perf.Calibration;
import dev.headroom.core.perf.PerfEstimate;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Load;
import dev.headroom.core.workload.Workload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Replays throughput measurements: vendor max-throughput tables (whole-system output tokens/s), online serving
 * at a request rate (TTFT, inter-token latency, output tokens/s), and llama.cpp's single-stream pp/tg
 * benchmarks. Tolerance ±25%, the validation README's.
 */
public final class ThroughputValidation {
    static final double TOLERANCE = 0.25;

    private ThroughputValidation() {}

    public static List<ValidationCase> run(Path csv) {
        return run(csv, Calibration.DEFAULT);
    }

    public static List<ValidationCase> run(Path csv, Calibration calibration) {
        List<ValidationCase> cases = new ArrayList<>();
        for (MeasurementRow.Figure f : MeasurementRow.figures(csv)) {
            try {
                cases.add(one(f.row(), f.metric(), f.value(), calibration));
            } catch (InvalidInputException | NumberFormatException e) {
                cases.add(ValidationCase.skipped(f.row().get("id"), f.row().get("source"), f.row().get("model"), f.metric(), MeasurementRow.why(f.row(), e)));
            }
        }
        return cases;
    }

    private static ValidationCase one(MeasurementRow row, String metric, double expected, Calibration calibration) {
        String id = row.get("id");
        String source = row.get("source");
        String load = row.get("load");
        String describe = row.get("model") + " " + row.get("weight_dtype") + " " + row.get("engine") + " "
                + row.get("num_gpus") + "x" + row.get("gpu") + " " + row.get("isl") + "/" + row.get("osl") + " " + load;
        if (Double.isNaN(expected)) {
            return ValidationCase.skipped(id, source, describe, metric, "the published value is not a number");
        }
        Optional<ModelProfile> model = SourceNames.model(row.get("model"));
        if (model.isEmpty()) {
            return ValidationCase.skipped(id, source, describe, metric, "model '" + row.get("model") + "' is not in the catalog");
        }
        Optional<Gpu> gpu = SourceNames.gpu(row.get("gpu"));
        if (gpu.isEmpty()) {
            return ValidationCase.skipped(id, source, describe, metric, "GPU '" + row.get("gpu") + "' is not in the catalog");
        }
        if (load.equals("qps=inf") && metric.equals("ttft_ms")) {
            return ValidationCase.skipped(id, source, describe, metric,
                    "TTFT under an unbounded burst depends on how many requests were sent, which the source does not give");
        }
        int gpus = Integer.parseInt(row.get("num_gpus"));
        int tp = row.has("tp") ? Integer.parseInt(row.get("tp")) : 1;
        Precision weights = Precision.parse(row.get("weight_dtype"), "weight_dtype");
        Precision kv = Precision.parse(row.get("kv_dtype"), "kv_dtype");
        int isl = Integer.parseInt(row.get("isl"));
        int osl = Integer.parseInt(row.get("osl"));
        Engine engine = engine(row.get("engine"), isl + osl);
        // llama.cpp's tg benchmark generates from an empty context; pp measures the prompt alone.
        Load l = load(load);
        Workload w = switch (metric) {
            case "tg128" -> new Workload(1, osl, l);
            case "pp512" -> new Workload(isl, 1, l);
            default -> new Workload(isl, osl, l);
        };
        Deployment d = new Deployment(gpu.get(), gpus, tp, 1, 1, weights, kv, engine);
        DeploymentProfile profile = new Estimator(calibration, null, null, null).compile(model.get(), d);
        Estimate e = profile.estimate(w);
        PerfEstimate p = e.perf();
        if (p == null) {
            return ValidationCase.skipped(id, source, describe, metric, "no speed estimate: " + e.unavailable());
        }
        double predicted = switch (metric) {
            case "output_tok_s_total", "output_tok_s" -> p.outputTokensPerSecond();
            case "output_tok_s_per_gpu" -> p.outputTokensPerSecondPerGpu();
            case "ttft_ms" -> p.ttftSeconds() == null ? Double.POSITIVE_INFINITY : 1e3 * p.ttftSeconds();
            case "itl_ms", "tpot_ms" -> 1e3 * p.tpotSeconds();
            case "pp512" -> isl / p.ttftSeconds();
            case "tg128" -> 1 / p.tpotSeconds();
            default -> Double.NaN;
        };
        if (Double.isNaN(predicted)) {
            return ValidationCase.skipped(id, source, describe, metric, "metric '" + metric + "' is not predicted");
        }
        return new ValidationCase(id, source, describe, metric, expected, predicted, unit(metric), TOLERANCE, null);
    }

    private static Engine engine(String name, int context) {
        if (name.startsWith("trtllm")) {
            // trtllm-bench builds the engine for the dataset: max_seq_len = input + output.
            return Engines.named("trtllm").withMaxLength(context);
        }
        if (name.startsWith("llama.cpp")) {
            return Engines.named("llamacpp").withMaxLength(context);
        }
        return Engines.named(name);
    }

    private static Load load(String text) {
        if (text.equals("max") || text.equals("qps=inf")) {
            return Load.saturating();
        }
        String[] kv = text.split("=");
        if (kv.length != 2) {
            throw new InvalidInputException("load '" + text + "' is not one of max, qps=N, batch=N, concurrency=N");
        }
        return switch (kv[0]) {
            case "qps" -> Load.rate(Double.parseDouble(kv[1]));
            case "batch" -> Load.batch(Integer.parseInt(kv[1]));
            case "concurrency" -> Load.concurrency(Integer.parseInt(kv[1]));
            default -> throw new InvalidInputException("load '" + text + "' is not one of max, qps=N, batch=N, concurrency=N");
        };
    }

    private static String unit(String metric) {
        return metric.endsWith("_ms") ? "ms" : "tok/s";
    }
}
