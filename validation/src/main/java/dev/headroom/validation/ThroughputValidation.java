package dev.headroom.validation;

import dev.headroom.core.Catalog;
import dev.headroom.core.Deployment;
import dev.headroom.core.Engine;
import dev.headroom.core.Gpu;
import dev.headroom.core.InvalidInputException;
import dev.headroom.core.LlamaCpp;
import dev.headroom.core.Load;
import dev.headroom.core.MemoryEstimate;
import dev.headroom.core.MemoryModel;
import dev.headroom.core.ModelSpec;
import dev.headroom.core.PerfEstimate;
import dev.headroom.core.PerfModel;
import dev.headroom.core.Precision;
import dev.headroom.core.Workload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Replays throughput.csv: vendor max-throughput tables (whole-system output tokens/s), online serving at
 * a request rate (TTFT, inter-token latency, output tokens/s), and llama.cpp's single-stream pp/tg
 * benchmarks. Tolerance ±25%, the validation README's.
 */
public final class ThroughputValidation {
    static final double TOLERANCE = 0.25;

    private ThroughputValidation() {}

    public static List<ValidationCase> run(Path csv) {
        List<ValidationCase> cases = new ArrayList<>();
        for (MeasurementRow.Figure f : MeasurementRow.figures(csv)) {
            try {
                cases.add(one(f.row(), f.metric(), f.value()));
            } catch (InvalidInputException e) {
                cases.add(ValidationCase.skipped(f.row().get("id"), f.row().get("source"), f.row().get("model"), f.metric(), e.getMessage()));
            }
        }
        return cases;
    }

    private static ValidationCase one(MeasurementRow row, String metric, double expected) {
        String id = row.get("id");
        String source = row.get("source");
        String load = row.get("load");
        String describe = row.get("model") + " " + row.get("weight_dtype") + " " + row.get("engine") + " "
                + row.get("num_gpus") + "x" + row.get("gpu") + " " + row.get("isl") + "/" + row.get("osl") + " " + load;
        Optional<ModelSpec> model = SourceNames.model(row.get("model"));
        if (model.isEmpty()) {
            return ValidationCase.skipped(id, source, describe, metric, "model '" + row.get("model") + "' is not in the catalog");
        }
        Optional<String> gpuId = SourceNames.gpu(row.get("gpu"));
        if (gpuId.isEmpty()) {
            return ValidationCase.skipped(id, source, describe, metric, "GPU '" + row.get("gpu") + "' is not in the catalog");
        }
        if (load.equals("qps=inf") && metric.equals("ttft_ms")) {
            return ValidationCase.skipped(id, source, describe, metric,
                    "TTFT under an unbounded burst depends on how many requests were sent, which the source does not give");
        }
        Gpu gpu = Catalog.gpu(gpuId.get());
        int gpus = Integer.parseInt(row.get("num_gpus"));
        int tp = row.has("tp") ? Integer.parseInt(row.get("tp")) : 1;
        Precision weights = Precision.parse(row.get("weight_dtype"), "weight_dtype");
        Precision kv = Precision.parse(row.get("kv_dtype"), "kv_dtype");
        int isl = Integer.parseInt(row.get("isl"));
        int osl = Integer.parseInt(row.get("osl"));
        Engine engine = engine(row.get("engine"), isl + osl);
        // llama.cpp's tg benchmark generates from an empty context; pp measures the prompt alone.
        Workload w = switch (metric) {
            case "tg128" -> Workload.of(1, 1, osl);
            case "pp512" -> Workload.of(1, isl, 1);
            default -> Workload.of(1, isl, osl);
        };
        Deployment d = new Deployment(gpu, gpus, tp, 1, 1, weights, kv, engine);
        MemoryEstimate memory = MemoryModel.estimate(model.get(), d, w);
        PerfEstimate p = PerfModel.estimate(memory, load(load));
        double predicted = switch (metric) {
            case "output_tok_s_total", "output_tok_s" -> p.outputTokensPerSecond();
            case "ttft_ms" -> p.ttftSeconds() == null ? Double.POSITIVE_INFINITY : 1e3 * p.ttftSeconds();
            case "itl_ms" -> 1e3 * p.tpotSeconds();
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
            return Engine.named("trtllm");
        }
        if (name.startsWith("llama.cpp")) {
            return LlamaCpp.defaults().withNCtx(context);
        }
        return Engine.named(name);
    }

    private static Load load(String text) {
        if (text.equals("max") || text.equals("qps=inf")) {
            return Load.max();
        }
        String[] kv = text.split("=");
        return switch (kv[0]) {
            case "qps" -> Load.rate(Double.parseDouble(kv[1]));
            case "batch" -> Load.staticBatch(Integer.parseInt(kv[1]));
            case "concurrency" -> Load.concurrency(Integer.parseInt(kv[1]));
            default -> throw new IllegalStateException("unknown load '" + text + "' in throughput.csv");
        };
    }

    private static String unit(String metric) {
        return metric.endsWith("_ms") ? "ms" : "tok/s";
    }
}
