package dev.headroom.cli;

import dev.headroom.core.Estimator;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.perf.Calibration;
import dev.headroom.core.plan.CapacityPlanner;
import dev.headroom.core.plan.PlanOption;
import dev.headroom.core.workload.Target;
import dev.headroom.core.workload.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;
import picocli.CommandLine.Option;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"GPUs needed for a target: concurrent users within a latency (--users, --latency-s),",
                "or a request rate within TTFT and TPOT limits (--request-rate, --ttft-ms, --tpot-ms).",
                "Tries every catalog GPU (or --gpu) at TP 1, 2, 4, 8; cheapest first."})
final class PlanCommand implements Callable<Integer> {
    @Mixin
    DeploymentOptions options;

    /** The engine's own settings, named as the engine names them (picocli hands over what it does not know). */
    @Unmatched
    List<String> engineKnobs = new java.util.ArrayList<>();

    @Option(names = "--users", paramLabel = "N", description = "Concurrent users, each with one request in flight.")
    Integer users;

    @Option(names = "--latency-s", paramLabel = "S", description = "End-to-end answer time each user expects.")
    Double latencySeconds;

    @Option(names = "--request-rate", paramLabel = "QPS", description = "Requests per second to serve.")
    Double requestRate;

    @Option(names = "--ttft-ms", paramLabel = "MS", description = "Time-to-first-token limit.")
    Double ttftMs;

    @Option(names = "--tpot-ms", paramLabel = "MS", description = "Time-per-output-token limit.")
    Double tpotMs;

    @Mixin
    Output output;

    @picocli.CommandLine.Option(names = "--calibration", paramLabel = "FILE",
            description = "Speed constants from ./headroom calibrate --measurements (default: Headroom's own).")
    java.nio.file.Path calibrationFile;

    @Override
    public Integer call() {
        options.engineKnobs = engineKnobs;
        Target target = target();
        ModelProfile model = options.model();
        Workload w = Workload.of(1, options.inputTokens, options.outputTokens);
        List<Gpu> gpus = options.gpu != null ? List.of(Catalog.gpu(options.gpu)) : Catalog.gpus();
        Deployment template = options.deploymentOn(gpus.get(0));
        Estimator estimator = new Estimator(calibrationFile == null ? Calibration.DEFAULT : Calibration.read(calibrationFile), null, null, Catalog.prices());
        List<PlanOption> plan = CapacityPlanner.plan(model, gpus, template, w, target,
                engine -> options.engineSizedFor(w.contextTokens(), model), estimator);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PlanOption o : plan) {
            rows.add(row(o, target));
        }
        String text = switch (output.format) {
            case json -> OutputFormat.json(document(model, target, rows));
            case csv -> OutputFormat.csv(rows);
            case text -> "Sizing " + model.id() + " for " + target + " (" + w.inputTokens() + " in / " + w.outputTokens()
                    + " out tokens per request):\n" + (rows.isEmpty() ? String.format(Locale.ROOT,
                    "no GPU in the list meets the target at TP up to 8 with at most %,d GPUs%n", CapacityPlanner.MAX_GPUS)
                    : TextTable.of(rows, List.of("gpu", "tp", "replicas", "gpus", "per_replica", "tpot_ms", "ttft_ms",
                    "output_tokens_per_s", "usd_per_hour", "usd_per_million_output_tokens")));
        };
        output.print(text);
        return 0;
    }

    private static Map<String, Object> document(ModelProfile model, Target target, List<Map<String, Object>> rows) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("model", model.id());
        d.put("target", target.toString());
        d.put("options", rows);
        return d;
    }

    private Target target() {
        boolean byUsers = users != null || latencySeconds != null;
        boolean byRate = requestRate != null || ttftMs != null || tpotMs != null;
        if (byUsers == byRate) {
            throw new InvalidInputException("plan needs one target: --users with --latency-s, or --request-rate with --ttft-ms and --tpot-ms");
        }
        if (byUsers) {
            if (users == null || latencySeconds == null) {
                throw new InvalidInputException("--users and --latency-s go together: give both");
            }
            if (users <= 0) {
                throw InvalidInputException.field("--users", users, "must be a positive whole number of users");
            }
            positive("--latency-s", latencySeconds);
            return new Target.Users(users, latencySeconds);
        }
        if (requestRate == null || ttftMs == null || tpotMs == null) {
            throw new InvalidInputException("--request-rate, --ttft-ms and --tpot-ms go together: give all three");
        }
        positive("--request-rate", requestRate);
        positive("--ttft-ms", ttftMs);
        positive("--tpot-ms", tpotMs);
        return new Target.Rate(requestRate, ttftMs / 1e3, tpotMs / 1e3);
    }

    private static void positive(String flag, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw InvalidInputException.field(flag, v, "must be a positive number");
        }
    }

    private static Map<String, Object> row(PlanOption o, Target t) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("gpu", o.gpu().id());
        r.put("tp", o.tp());
        r.put("replicas", o.replicas());
        r.put("gpus", o.gpus());
        r.put("per_replica", String.format(Locale.ROOT, t instanceof Target.Users ? "%.0f users" : "%.2f req/s", o.perReplica()));
        r.put("tpot_ms", round(1e3 * o.tpotSeconds()));
        r.put("ttft_ms", o.ttftSeconds() == null ? null : round(1e3 * o.ttftSeconds()));
        r.put("output_tokens_per_s", Math.round(o.outputTokensPerSecond()));
        r.put("usd_per_hour", o.usdPerHour() == null ? null : round(o.usdPerHour()));
        r.put("usd_per_million_output_tokens", o.usdPerMillionOutputTokens() == null ? null : round(o.usdPerMillionOutputTokens()));
        return r;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
