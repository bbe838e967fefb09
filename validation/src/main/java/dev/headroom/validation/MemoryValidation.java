package dev.headroom.validation;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.Engine;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.memory.MemoryEstimate;
import dev.headroom.core.memory.MemoryModel;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Workload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Replays every row of a memory measurement file that Headroom can express through the estimator, reading the row's
 * engine, version, knobs and split through {@link RowSetup}. Tolerances are the validation README's: ±1% on weights,
 * ±5% on engine KV pools, ±10% on GPUs of 24 GB or less; a refusal must be predicted as one. Activation, non-torch and
 * CUDA-graph terms have no stated tolerance and are reported for information.
 */
public final class MemoryValidation {
    static final double WEIGHTS_TOLERANCE = 0.01;
    static final double POOL_TOLERANCE_LARGE = 0.05;
    static final double POOL_TOLERANCE_SMALL = 0.10;
    /** GPUs of 24 GB or less get the wider pool tolerance. */
    static final long SMALL_GPU_BYTES = 24L * Bytes.GIB;
    /** Engines that split layers across GPUs (a pipeline) rather than tensors, and count their KV for the whole model. */
    private static final Set<String> LAYER_SPLIT = Set.of("llamacpp", "ollama");
    /** Metrics whose value does not depend on the GPU (file sizes, KV of a fixed context). */
    private static final Set<String> GPU_FREE = Set.of("kv_mib");

    private MemoryValidation() {}

    public static List<ValidationCase> run(Path csv) {
        return replay(csv).stream().map(Replayed::result).toList();
    }

    /** One figure replayed: the estimate it was compared with (null when it could not be expressed) and the case. */
    record Replayed(MeasurementRow.Figure figure, MemoryEstimate estimate, ValidationCase result) {}

    /** Every figure of the file replayed through the estimator. */
    static List<Replayed> replay(Path csv) {
        List<Replayed> out = new ArrayList<>();
        java.util.Map<String, String> logNotes = new java.util.HashMap<>();
        for (MeasurementRow row : MeasurementRow.read(csv)) {
            logNotes.merge(row.get("id"), row.has("note") ? row.get("note") : "", (a, b) -> a + "; " + b);
        }
        for (MeasurementRow.Figure f : MeasurementRow.figures(csv)) {
            MemoryEstimate[] estimate = new MemoryEstimate[1];
            ValidationCase c;
            try {
                c = one(f, logNotes.getOrDefault(f.row().get("id"), ""), estimate);
            } catch (InvalidInputException | NumberFormatException e) {
                c = ValidationCase.skipped(f.row().get("id"), f.row().get("source"), f.model(), f.metric(), MeasurementRow.why(f.row(), e));
            }
            out.add(new Replayed(f, c.isSkipped() ? null : estimate[0], c));
        }
        return out;
    }

    private static ValidationCase one(MeasurementRow.Figure f, String logNotes, MemoryEstimate[] estimateOut) {
        MeasurementRow row = f.row();
        String metric = f.metric();
        double expected = f.value();
        String id = row.get("id");
        String source = row.get("source");
        String describe = f.model() + " " + f.weightDtype() + " " + row.get("engine") + (row.has("gpu") ? " on " + row.get("gpu") : "")
                + (row.has("tp") ? " tp" + row.get("tp") : "");
        if (Double.isNaN(expected)) {
            return ValidationCase.skipped(id, source, describe, metric, "the published value is not a number");
        }
        Optional<String> unexpressible = Unexpressible.why(row, metric, logNotes);
        if (unexpressible.isPresent()) {
            return ValidationCase.skipped(id, source, describe, metric, unexpressible.get());
        }
        Optional<ModelProfile> model = SourceNames.model(f.model());
        if (model.isEmpty()) {
            return ValidationCase.skipped(id, source, describe, metric, "model '" + f.model() + "' is not in the catalog");
        }
        List<String> notes = new ArrayList<>();
        Engine engine = RowSetup.engine(row, logNotes, notes);
        boolean fileSize = metric.equals("weights_gib") && !row.has("gpu");
        Optional<Gpu> rowGpu = RowSetup.gpu(row);
        if (rowGpu.isEmpty() && !fileSize && !GPU_FREE.contains(metric)) {
            return ValidationCase.skipped(id, source, describe, metric, "GPU '" + row.get("gpu") + "' is not in the catalog and the row "
                    + "states no size");
        }
        Gpu gpu = rowGpu.orElseGet(() -> dev.headroom.core.catalog.Catalog.gpu("h200"));
        boolean layerSplit = LAYER_SPLIT.contains(engine.id());
        int tp = layerSplit ? 1 : RowSetup.whole(row, "tp", 1);
        int pp = layerSplit ? 1 : RowSetup.whole(row, "pp", 1);
        int dp = RowSetup.whole(row, "dp", 1);
        boolean attentionDp = RowSetup.on(row, "enable_dp_attention", "attention_dp");
        int gpus = attentionDp ? tp * pp : tp * pp * (dp > 1 && !attentionDp ? dp : 1);
        Precision weights = RowSetup.precision(f.weightDtype(), "weight_dtype");
        Precision kv = RowSetup.precision(row.has("kv_dtype") ? row.get("kv_dtype") : "", "kv_dtype");
        Deployment d = new Deployment(gpu, gpus, tp, pp, 1, attentionDp, weights, kv, engine);
        MemoryEstimate est = MemoryModel.estimate(model.get(), d, Workload.of(1, 128, 128));
        estimateOut[0] = est;
        double pool = gpu.memoryBytes() <= SMALL_GPU_BYTES ? POOL_TOLERANCE_SMALL : POOL_TOLERANCE_LARGE;
        boolean vllm = engine.id().equals("vllm");
        // a log that prints rank 0's figures describes the first pipeline stage, not the one that binds
        dev.headroom.core.engine.KvPool stage = logNotes.contains("rank 0") && est.profile().stages().get(0).pool() != null
                ? est.profile().stages().get(0).pool() : est.pool();
        return switch (metric) {
            case "weights_gib" -> measured(id, source, describe, metric, expected,
                    Bytes.of(fileSize ? est.weightsBytes() : est.weightsBytesPerGpu()).gib(), "GiB", WEIGHTS_TOLERANCE);
            case "weights_gib_per_gpu" -> measured(id, source, describe, metric, expected, Bytes.of(stage.weightsBytes()).gib(),
                    "GiB", WEIGHTS_TOLERANCE);
            // vLLM logs the budget before blocks ("Available KV cache memory"); the others what they allocate
            case "kv_cache_gib", "kv_cache_gib_per_gpu" -> measured(id, source, describe, metric, expected,
                    (vllm ? stage.availableBytes() : stage.kvBytes()) / (double) Bytes.GIB, "GiB", pool);
            case "gpu_blocks" -> measured(id, source, describe, metric, expected, est.kvCacheBlocks(), "blocks", pool);
            case "max_concurrency" -> measured(id, source, describe, metric, expected, concurrency(row, est), "x", pool);
            case "kv_bytes" -> measured(id, source, describe, metric, expected, est.kvCacheBytesPerGpu(), "bytes", pool);
            case "kv_tokens", "kv_tokens_per_rank" -> measured(id, source, describe, metric, expected, est.kvCacheTokens(), "tokens", pool);
            case "kv_mib" -> measured(id, source, describe, metric, expected, Bytes.of(est.kvCacheBytesPerGpu()).mib(), "MiB", pool);
            case "engine_refused" -> measured(id, source, describe, metric, expected, est.refusal().isPresent() ? 1 : 0, "flag", 0.0);
            case "non_torch_gib" -> measured(id, source, describe, metric, expected, Bytes.of(stage.overheadBytes()).gib(), "GiB", null);
            case "activation_peak_gib" -> measured(id, source, describe, metric, expected, Bytes.of(stage.activationBytes()).gib(), "GiB", null);
            case "peak_torch_gib" -> measured(id, source, describe, metric, expected,
                    Bytes.of(est.weightsBytesPerGpu() + est.activationBytesPerGpu()).gib(), "GiB", null);
            case "cuda_graph_gib" -> measured(id, source, describe, metric, expected, Bytes.of(est.cudaGraphBytesPerGpu()).gib(), "GiB", null);
            default -> ValidationCase.skipped(id, source, describe, metric, "metric '" + metric + "' is not predicted");
        };
    }

    /** The engine's max concurrency at the request length the row states (max_concurrency_len), else at its max length. */
    private static double concurrency(MeasurementRow row, MemoryEstimate est) {
        String len = row.settings().get("max_concurrency_len");
        return len != null && len.matches("\\d+") ? est.engineConcurrency(Long.parseLong(len)) : est.engineMaxConcurrency();
    }

    private static ValidationCase measured(String id, String source, String describe, String metric, double expected,
                                           double predicted, String unit, Double tolerance) {
        return new ValidationCase(id, source, describe, metric, expected, predicted, unit, tolerance, null);
    }
}
