package dev.headroom.validation;

import dev.headroom.core.Bytes;
import dev.headroom.core.Catalog;
import dev.headroom.core.Deployment;
import dev.headroom.core.Engine;
import dev.headroom.core.Gpu;
import dev.headroom.core.LlamaCpp;
import dev.headroom.core.MemoryEstimate;
import dev.headroom.core.MemoryModel;
import dev.headroom.core.ModelSpec;
import dev.headroom.core.Precision;
import dev.headroom.core.TensorRtLlm;
import dev.headroom.core.Vllm;
import dev.headroom.core.Workload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Replays every row of memory.csv that Headroom can express through the estimator. Tolerances are the
 * validation README's: ±1% on weights, ±5% on engine KV pools on 40 GB+ GPUs and ±10% on smaller cards.
 * Activation and non-torch terms have no stated tolerance and are reported for information.
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
            cases.add(one(f.row(), f.metric(), f.value(), f.weightDtype()));
        }
        return cases;
    }

    private static ValidationCase one(MeasurementRow row, String metric, double expected, String weightDtype) {
        String id = row.get("id");
        String source = row.get("source");
        String engine = row.get("engine");
        String describe = row.get("model") + " " + weightDtype + " " + engine + " on " + row.get("gpu")
                + (row.has("tp") ? " tp" + row.get("tp") : "");
        Optional<ModelSpec> model = SourceNames.model(row.get("model"));
        if (model.isEmpty()) {
            return ValidationCase.skipped(id, source, describe, metric, "model '" + row.get("model") + "' is not in the catalog (vision models are not modelled)");
        }
        Optional<String> gpuId = SourceNames.gpu(row.get("gpu"));
        boolean gpuIrrelevant = metric.equals("weights_gib") && !row.has("gpu") || metric.equals("kv_mib");
        if (gpuId.isEmpty() && !gpuIrrelevant) {
            return ValidationCase.skipped(id, source, describe, metric, "GPU '" + row.get("gpu") + "' is not in the catalog");
        }
        Gpu gpu = Catalog.gpu(gpuId.orElse("h100-sxm"));
        if (row.has("gpu_total_gib")) {
            gpu = gpu.withVisibleMemory(Bytes.ofGiB(Double.parseDouble(row.get("gpu_total_gib").replace("~", ""))).value());
        }
        int tp = row.has("tp") ? Integer.parseInt(row.get("tp")) : 1;
        Engine e = engine(row, engine);
        Precision weights = weightDtype.isEmpty() || weightDtype.equals("-") ? null : Precision.parse(weightDtype, "weight_dtype");
        Precision kv = row.has("kv_dtype") ? Precision.parse(row.get("kv_dtype"), "kv_dtype") : null;
        Deployment d = new Deployment(gpu, tp, tp, 1, 1, weights, kv, e);
        MemoryEstimate est = MemoryModel.estimate(model.get(), d, Workload.of(1, 128, 128));
        double tolerancePool = gpu.visibleMemoryBytes() >= LARGE_GPU_BYTES ? POOL_TOLERANCE_LARGE : POOL_TOLERANCE_SMALL;
        return switch (metric) {
            case "weights_gib", "weights_gib_per_gpu" -> measured(id, source, describe, metric, expected,
                    Bytes.of(est.weightsBytesPerGpu()).gib(), "GiB", WEIGHTS_TOLERANCE);
            case "kv_cache_gib", "kv_cache_gib_per_gpu" -> measured(id, source, describe, metric, expected,
                    Bytes.of(est.kvCacheBytesPerGpu()).gib(), "GiB", tolerancePool);
            case "gpu_blocks" -> measured(id, source, describe, metric, expected, est.kvCacheBlocks(), "blocks", tolerancePool);
            case "max_concurrency" -> measured(id, source, describe, metric, expected, est.maxConcurrency(), "x", tolerancePool);
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

    private static Engine engine(MeasurementRow row, String name) {
        Integer maxLen = row.has("max_model_len") ? Integer.valueOf(row.get("max_model_len").replaceAll("\\(.*\\)", "")) : null;
        if (name.startsWith("vllm")) {
            Vllm v = Vllm.defaults().withMaxModelLen(maxLen);
            if (row.has("gpu_mem_util")) v = v.withGpuMemoryUtilization(Double.parseDouble(row.get("gpu_mem_util")));
            return row.has("block_size") ? v.withBlockSize(Integer.parseInt(row.get("block_size"))) : v;
        }
        if (name.startsWith("trtllm")) {
            TensorRtLlm t = TensorRtLlm.defaults();
            String frac = row.get("gpu_mem_util");
            // max_seq_len is left at the default: the paged pool does not depend on it.
            return frac.startsWith("kv_free_frac=") ? t.withFreeGpuMemoryFraction(Double.parseDouble(frac.substring(13))) : t;
        }
        if (name.startsWith("llama.cpp")) {
            return maxLen != null ? LlamaCpp.defaults().withNCtx(maxLen) : LlamaCpp.defaults();
        }
        return Engine.named(name);
    }

    private static ValidationCase measured(String id, String source, String describe, String metric, double expected,
                                           double predicted, String unit, Double tolerance) {
        return new ValidationCase(id, source, describe, metric, expected, predicted, unit, tolerance, null);
    }
}
