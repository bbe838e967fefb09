package dev.headroom.validation;

import dev.headroom.core.DeploymentProfile;
import dev.headroom.core.Estimate;
import dev.headroom.core.Estimator;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.Engine;
import dev.headroom.core.engine.TrtllmBenchBuild;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.memory.MemoryModel;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.perf.Calibration;
import dev.headroom.core.perf.PerfEstimate;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Load;
import dev.headroom.core.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One published speed figure read into Headroom's terms — a deployment, a workload and the metric — so it can be
 * predicted under any calibration (the fit re-predicts every case many times). Reading throws
 * {@link InvalidInputException} with the reason when the row cannot be expressed.
 */
final class SpeedCase {
    final String id;
    final String source;
    final String description;
    final String metricName;
    final SpeedMetric metric;
    final double expected;
    final ModelProfile model;
    final Deployment deployment;
    final Workload workload;
    final List<String> notes;
    /** The row's trust grade: A measured and stated by the source, B read with some interpretation, C indirect. */
    final String trust;

    private SpeedCase(String id, String source, String description, String metricName, SpeedMetric metric, double expected,
                      ModelProfile model, Deployment deployment, Workload workload, List<String> notes, String trust) {
        this.id = id;
        this.source = source;
        this.description = description;
        this.metricName = metricName;
        this.metric = metric;
        this.expected = expected;
        this.model = model;
        this.deployment = deployment;
        this.workload = workload;
        this.notes = notes;
        this.trust = trust;
    }

    /**
     * How much a figure counts in the fit by its trust grade: a measurement stated outright counts fully, one read
     * with interpretation (lengths or split inferred) 0.7, an indirect one (an old, undated engine build; a derived
     * figure) 0.4.
     */
    double trustWeight() {
        return switch (trust) {
            case "A" -> 1.0;
            case "B" -> 0.7;
            default -> 0.4;
        };
    }

    static String describe(MeasurementRow row, MeasurementRow.Figure f) {
        return f.cell("model") + " " + f.weightDtype() + " " + row.get("engine") + " " + row.get("num_gpus") + "x"
                + f.cell("gpu") + " " + row.get("isl") + "/" + row.get("osl") + " " + f.load();
    }

    static SpeedCase read(MeasurementRow.Figure f) {
        MeasurementRow row = f.row();
        String description = describe(row, f);
        if (Double.isNaN(f.value())) {
            throw new InvalidInputException("the published value is not a number");
        }
        SpeedMetric metric = SpeedMetric.of(f.metric());
        ModelProfile model = SourceNames.model(f.cell("model"))
                .orElseThrow(() -> new InvalidInputException("model '" + f.cell("model") + "' is not in the catalog"));
        Gpu gpu = SourceNames.gpu(f.cell("gpu"))
                .orElseThrow(() -> new InvalidInputException("GPU '" + f.cell("gpu") + "' is not in the catalog"));
        Load load = load(f.load());
        if (f.load().trim().equalsIgnoreCase("qps=inf") && !metric.isRate()) {
            throw new InvalidInputException("latency under an unbounded burst depends on how many requests were sent at once, "
                    + "which the source does not give");
        }
        int bench = SpeedMetric.benchTokens(f.metric());
        int isl = tokens(row, "isl");
        int osl = tokens(row, "osl");
        Workload w = switch (metric) {
            // llama-bench: ppN is an N-token prompt alone; tgN generates N tokens from an empty context.
            case PROMPT_RATE -> new Workload(bench > 0 ? bench : isl, 1, load);
            case USER_RATE -> bench > 0 ? new Workload(1, bench, load) : new Workload(isl, osl, load);
            default -> new Workload(isl, osl, load);
        };
        List<String> notes = new ArrayList<>();
        Engine engine = RowSetup.engine(row, notes);
        if (engine.id().equals("trtllm") || engine.id().equals("llamacpp")) {
            // trtllm-bench builds its engine for the dataset and llama-bench sizes n_ctx to the test: max length = the sequence.
            engine = engine.withMaxLength(Math.min(w.contextTokens(), model.spec().maxPositions()));
        }
        Precision weights = RowSetup.precision(f.weightDtype(), "weight_dtype");
        Precision kv = RowSetup.precision(row.has("kv_dtype") ? row.get("kv_dtype") : "", "kv_dtype");
        if (kv == null && "fp8".equals(row.settings().get("kv_cache_dtype"))) {
            kv = Precision.FP8;
        }
        int gpus = RowSetup.whole(row, "num_gpus", 1);
        int pp = RowSetup.whole(row, "pp", 1);
        boolean attentionDp = RowSetup.on(row, "attention_dp", "enable_dp_attention");
        Integer tp = row.has("tp") ? RowSetup.whole(row, "tp", 1) : null;
        if (engine.id().equals("llamacpp") && gpus > 1 && !"row".equals(row.settings().get("split_mode"))) {
            // llama.cpp's default --split-mode layer gives each GPU a run of layers: a pipeline without micro-batches.
            tp = 1;
            pp = gpus;
        }
        int ep = epOf(row, attentionDp, tp);
        Deployment d = tp != null ? new Deployment(gpu, gpus, tp, pp, ep, attentionDp && tp > 1, weights, kv, engine)
                : smallestGroupThatFits(model, gpu, gpus, pp, weights, kv, engine, w, notes);
        if (engine.id().equals("trtllm") && !row.settings().containsKey("max_batch_size") && !row.settings().containsKey("max_num_tokens")) {
            d = benchBuild(d, model, w);
        }
        d.requireValidFor(model.spec());
        String trust = row.has("trust") ? row.get("trust").trim().toUpperCase(Locale.ROOT) : "B";
        return new SpeedCase(row.get("id"), row.get("source"), description, f.metric(), metric, f.value(), model, d, w, notes, trust);
    }

    /**
     * TensorRT-LLM's published tables are measured on engines built for the benchmark (trtllm-bench sizes max_batch_size
     * and max_num_tokens from the KV cache for the dataset's lengths), not on trtllm-build's defaults; rows from other
     * sources that do not state their build are read the same way, as the one published rule for such a build.
     */
    private static Deployment benchBuild(Deployment d, ModelProfile model, Workload w) {
        long kv = model.kvBytesPerToken(d.kv() != null ? d.kv() : model.spec().activationDtype());
        if (model.spec().attention() instanceof dev.headroom.core.model.Attention a && a.kvHeads() < d.tp()) {
            kv = kv / a.kvHeads() * d.tp(); // each rank of the group keeps at least one KV head
        }
        Precision weights = d.weights() != null ? d.weights() : model.spec().defaultWeights();
        TrtllmBenchBuild build = TrtllmBenchBuild.tuned(model.params(), weights, kv, d.gpu().memoryBytes(), d.tp(), d.pp(),
                w.inputTokens(), Math.max(1, w.outputTokens()));
        return d.withEngine(build.applyTo(d.engine()));
    }

    /** The expert-parallel degree a row states; attention-DP rows that leave it out run experts over the group. */
    private static int epOf(MeasurementRow row, boolean attentionDp, Integer tp) {
        String ep = row.settings().get("ep");
        if (ep != null && ep.matches("\\d+")) {
            return Integer.parseInt(ep);
        }
        return attentionDp && tp != null ? tp : 1;
    }

    /** A row that does not state its split: the smallest tensor-parallel group that holds the model, the rest replicas. */
    private static Deployment smallestGroupThatFits(ModelProfile model, Gpu gpu, int gpus, int pp, Precision weights, Precision kv,
                                                    Engine engine, Workload w, List<String> notes) {
        for (int tp = 1; tp * pp <= gpus; tp *= 2) {
            if (gpus % (tp * pp) != 0) {
                continue;
            }
            Deployment d = new Deployment(gpu, gpus, tp, pp, 1, weights, kv, engine);
            if (d.problemWith(model.spec()).isEmpty() && MemoryModel.estimate(model, d, w).fits()) {
                notes.add("split not stated: read as tp=" + tp + " x " + d.replicas() + " replicas, the smallest group that holds the model");
                return d;
            }
        }
        throw new InvalidInputException("the source does not state the split and no tensor-parallel group of " + gpus + " GPUs holds the model");
    }

    private static int tokens(MeasurementRow row, String column) {
        String v = row.get(column).replace("~", "").replace("mean", "").trim();
        if (!v.matches("\\d+")) {
            throw new InvalidInputException(column + " '" + row.get(column) + "' is a dataset, not a token count the source gives");
        }
        return Integer.parseInt(v);
    }

    static Load load(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("max") || t.equals("offline") || t.startsWith("max ") || t.equals("qps=inf")) {
            return Load.saturating();
        }
        if (t.equals("server") || t.equals("interactive")) {
            throw new InvalidInputException("load '" + text + "': MLPerf's latency-bounded scenario (the highest rate whose "
                    + "99th-percentile latencies meet the bounds) is not modelled");
        }
        String[] kv = t.split("=", 2);
        try {
            if (kv.length == 2) {
                String n = kv[1].replace("req/s", "").trim();
                switch (kv[0]) {
                    case "qps", "rate":
                        return Load.rate(Double.parseDouble(n));
                    case "batch":
                        return Load.batch(Integer.parseInt(n));
                    case "concurrency":
                        return Load.concurrency(Integer.parseInt(n));
                    default:
                        break;
                }
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the error below
        }
        throw new InvalidInputException("load '" + text + "' is not one of max, offline, qps=N, batch=N, concurrency=N");
    }

    /** The engine id, for summaries and interval classes. */
    String engine() {
        return deployment.engine().id();
    }

    String hardwareFamily() {
        return deployment.gpu().family();
    }

    String loadKind() {
        return workload.load().kind().words();
    }

    private DeploymentProfile compiled;

    /** The prediction under a calibration; throws when the configuration has no speed (it does not fit). */
    double predict(Calibration calibration) {
        if (compiled == null) {
            compiled = new Estimator(calibration, null, null, null).compile(model, deployment);
            return predict(compiled);
        }
        return predict(compiled.recalibrated(calibration));
    }

    /** The scope values this case reads for a parameter, narrowest first; none for a link it does not use. */
    List<String> scopes(dev.headroom.core.perf.Parameter.Scope scope) {
        if (scope == dev.headroom.core.perf.Parameter.Scope.LINK && deployment.gpus() == deployment.replicas()) {
            return List.of(); // one GPU per replica: no collective, the link's constants are not read
        }
        return scope.chain(deployment.gpu(), deployment.engine());
    }

    /** Sources are left out whole in cross-validation: a table's rows share its setup and its errors. */
    String sourceGroup() {
        return source.replaceAll("[#?].*$", "");
    }

    double predict(DeploymentProfile profile) {
        Estimate e = profile.estimate(workload);
        PerfEstimate p = e.perf();
        if (p == null) {
            throw new InvalidInputException("no speed estimate: " + e.unavailable());
        }
        return metric.read(p, workload.inputTokens(), workload.outputTokens());
    }

    Optional<String> note() {
        return notes.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", notes));
    }
}
