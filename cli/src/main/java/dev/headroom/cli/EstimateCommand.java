package dev.headroom.cli;

import dev.headroom.core.Estimate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "estimate", mixinStandardHelpOptions = true,
        description = "One deployment: memory per GPU (weights, KV cache, activations, overhead; the engine's KV pool and max concurrency), speed (TTFT, TPOT, tokens/s) and cost per million tokens.")
final class EstimateCommand implements Callable<Integer> {
    @Mixin
    DeploymentOptions options;

    @Mixin
    LoadOptions load;

    @Mixin
    Output output;

    @Override
    public Integer call() {
        Estimate e = Estimate.of(options.modelSpec(), options.deployment(), options.workload(), load.load(options.batch),
                load.efficiency(), load.costs());
        String text = switch (output.format) {
            case json -> OutputFormat.json(e.toMap());
            case csv -> OutputFormat.csv(List.of(e.toMap()));
            case text -> e.toString();
        };
        output.print(text);
        return 0;
    }
}
