package dev.headroom.cli;

import dev.headroom.core.Estimator;
import dev.headroom.core.Estimate;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.workload.Workload;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;

/** Exit 0 when the workload fits, 1 when it does not (the memory breakdown says why; no speed or cost), 2 on a user mistake. */
@Command(name = "estimate", mixinStandardHelpOptions = true,
        description = {"One deployment: memory per GPU (weights, KV cache, activations, overhead; the engine's KV pool and max concurrency), speed (TTFT, TPOT, tokens/s) and cost per million tokens.",
                "Exits 1 when the workload does not fit (no speed or cost is given for it)."})
final class EstimateCommand implements Callable<Integer> {
    @Mixin
    DeploymentOptions options;

    /** The engine's own settings, named as the engine names them (picocli hands over what it does not know). */
    @Unmatched
    List<String> engineKnobs = new java.util.ArrayList<>();

    @Mixin
    LoadOptions load;

    @Mixin
    Output output;

    @Override
    public Integer call() {
        options.engineKnobs = engineKnobs;
        Workload w = new Workload(options.inputTokens, options.outputTokens, load.load());
        Estimator estimator = new Estimator(load.calibration(), load.efficiency(), load.costs(), Catalog.prices());
        Estimate e = estimator.compile(options.model(), options.deployment()).estimate(w);
        String text = switch (output.format) {
            case json -> OutputFormat.json(Rows.of(e));
            case csv -> OutputFormat.csv(List.of(Rows.of(e)));
            case text -> e.toString();
        };
        output.print(text);
        return e.memory().fits() ? 0 : 1;
    }
}
