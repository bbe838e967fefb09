package dev.headroom.validation;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.Engine;
import dev.headroom.core.engine.Engines;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.memory.MemoryEstimate;
import dev.headroom.core.memory.MemoryModel;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Workload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replays every row of a memory measurement file that Headroom can express through the estimator. Tolerances
 * are the validation README's: ±1% on weights, ±5% on engine KV pools on 40 GB+ GPUs and ±10% on smaller
 * cards. Activation and non-torch terms have no stated tolerance and are reported for information.
 */
public final class MemoryValidation {
    static final double WEIGHTS_TOLERANCE = 0.01;
    static final double POOL_TOLERANCE_LARGE = 0.05;
    static final double POOL_TOLERANCE_SMALL = 0.10;
    /** The line between "40 GB+ GPUs" and "24 GB cards" in the tolerance rule. */
    static final long LARGE_GPU_BYTES = 40L * Bytes.GIB;

    private MemoryValidation() {}

    public static List<ValidationCase> run(Path csv) {
        List<ValidationCase> cases = new ArrayList<>();
        for (MeasurementRow.Figure f : MeasurementRow.figures(csv)) {
            try {
                cases.add(one(f.row(), f.metric(), f.value(), f.weightDtype()));
            } catch (InvalidInputException | NumberFormatException e) {
                cases.add(ValidationCase.skipped(f.row().get("id"), f.row().get("source"), f.row().get("model"), f.metric(), MeasurementRow.why(f.row(), e)));
            }
        }
        return cases;
    }

    private static ValidationCase one(MeasurementRow row, String metric, double expected, String weightDtype) {
        String id = row.get("id");
        String source = row.get("source");
        String engine = row.get("engine");
        String describe = row.get("model") + " " + weightDtype + " " + engine + " on " + row.get("gpu")
                + (row.has("tp") ? " tp" + row.get("tp") : "");
        if (Double.isNaN(expected)) {
            return ValidationCase.skipped(id, source, describe, metric, "the published value is not a number");
        }
        Optional<ModelProfile> model = SourceNames.model(row.get("model"));
        if (model.isEmpty()) {
            return ValidationCase.skipped(id, source, describe, metric, "model '" + row.get("model") + "' is not in the catalog");
        }
        Optional<Gpu> catalogGpu = SourceNames.gpu(row.get("gpu"));
        boolean gpuIrrelevant = metric.equals("weights_gib") && !row.has("gpu") || metric.equals("kv_mib");
        if (catalogGpu.isEmpty() && !gpuIrrelevant) {
            return ValidationCase.skipped(id, source, describe, metric, "GPU '" + row.get("gpu") + "' is not in the catalog");
        }
        Gpu gpu = catalogGpu.orElseGet(() -> dev.headroom.core.catalog.Catalog.gpu("h100-sxm"));
        if (row.has("gpu_total_gib")) {
            gpu = gpu.withVisibleMemory(Bytes.ofGiB(Double.parseDouble(row.get("gpu_total_gib").replace("~", ""))).value());
        }
        Map<String, String> settings = row.settings();
        int tp = row.has("tp") ? Integer.parseInt(row.get("tp").replaceAll("\\(.*\\)", "")) : 1;
        int pp = settings.containsKey("pp") ? Integer.parseInt(settings.get("pp")) : 1;
        Engine e = engine(row, engine);
        Precision weights = weightDtype.isEmpty() || weightDtype.equals("-") ? null : Precision.parse(weightDtype, "weight_dtype");
        Precision kv = row.has("kv_dtype") ? Precision.parse(row.get("kv_dtype"), "kv_dtype") : null;
        Deployment d = new Deployment(gpu, tp * pp, tp, pp, 1, weights, kv, e);
        MemoryEstimate est = MemoryModel.estimate(model.get(), d, Workload.of(1, 128, 128));
        double tolerancePool = gpu.visibleMemoryBytes() >= LARGE_GPU_BYTES ? POOL_TOLERANCE_LARGE : POOL_TOLERANCE_SMALL;
        return switch (metric) {
            case "weights_gib", "weights_gib_per_gpu" -> measured(id, source, describe, metric, expected,
                    Bytes.of(est.weightsBytesPerGpu()).gib(), "GiB", WEIGHTS_TOLERANCE);
            case "kv_cache_gib", "kv_cache_gib_per_gpu" -> measured(id, source, describe, metric, expected,
                    Bytes.of(est.kvCacheBytesPerGpu()).gib(), "GiB", tolerancePool);
            case "gpu_blocks" -> measured(id, source, describe, metric, expected, est.kvCacheBlocks(), "blocks", tolerancePool);
            case "max_concurrency" -> measured(id, source, describe, metric, expected, est.engineMaxConcurrency() * d.replicas(), "x", tolerancePool);
            case "kv_bytes" -> measured(id, source, describe, metric, expected, est.kvCacheBytesPerGpu(), "bytes", tolerancePool);
            case "kv_tokens" -> measured(id, source, describe, metric, expected, est.kvCacheTokens(), "tokens", tolerancePool);
            case "kv_mib" -> measured(id, source, describe, metric, expected, Bytes.of(est.kvCacheBytesPerGpu()).mib(), "MiB", tolerancePool);
            case "non_torch_gib" -> measured(id, source, describe, metric, expected,
                    Bytes.of(est.runtimeOverheadBytesPerGpu()).gib(), "GiB", null);
            case "activation_peak_gib" -> measured(id, source, describe, metric, expected,
                    Bytes.of(est.activationBytesPerGpu()).gib(), "GiB", null);
            default -> ValidationCase.skipped(id, source, describe, metric, "metric '" + metric + "' is not predicted");
        };
    }

    /** The row's engine at its version (the closest modelled one), with the knobs the row states. */
    private static Engine engine(MeasurementRow row, String name) {
        Integer maxLen = row.has("max_model_len") && row.get("max_model_len").matches("\\d+.*")
                ? Integer.valueOf(row.get("max_model_len").replaceAll("\\(.*\\)", "").replaceAll("[^0-9].*", "")) : null;
        Engine e;
        if (name.startsWith("vllm")) {
            e = Engines.named("vllm");
            if (row.has("gpu_mem_util") && row.get("gpu_mem_util").matches("[0-9.]+")) {
                e = e.with("gpu_memory_utilization", row.get("gpu_mem_util"));
            }
            if (row.has("block_size")) {
                e = e.with("block_size", row.get("block_size"));
            }
        } else if (name.startsWith("trtllm")) {
            e = Engines.named("trtllm");
            String frac = row.get("gpu_mem_util");
            // max_seq_len is left at the default: the paged pool does not depend on it.
            if (frac.startsWith("kv_free_frac=")) {
                e = e.with("free_gpu_memory_fraction", frac.substring("kv_free_frac=".length()));
            }
            maxLen = null;
        } else if (name.startsWith("llama.cpp")) {
            e = Engines.named("llamacpp");
        } else if (name.startsWith("sglang")) {
            e = Engines.named("sglang");
            String frac = row.get("gpu_mem_util");
            if (frac.startsWith("mem_fraction_static=")) {
                e = e.with("mem_fraction_static", frac.substring("mem_fraction_static=".length()));
            }
        } else {
            e = Engines.named(name);
        }
        return maxLen != null ? e.withMaxLength(maxLen) : e;
    }

    private static ValidationCase measured(String id, String source, String describe, String metric, double expected,
                                           double predicted, String unit, Double tolerance) {
        return new ValidationCase(id, source, describe, metric, expected, predicted, unit, tolerance, null);
    }
}
