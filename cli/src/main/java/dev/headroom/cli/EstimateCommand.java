package dev.headroom.cli;

import dev.headroom.core.MemoryEstimate;
import dev.headroom.core.MemoryModel;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "estimate", mixinStandardHelpOptions = true,
        description = "Memory of one deployment: weights, KV cache, activations, overhead per GPU; the engine's KV pool and max concurrency.")
final class EstimateCommand implements Callable<Integer> {
    @Mixin
    DeploymentOptions options;

    @Option(names = "--format", defaultValue = "text", description = "text, json or csv (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        MemoryEstimate e = MemoryModel.estimate(options.modelSpec(), options.deployment(), options.workload());
        String text = switch (format) {
            case json -> OutputFormat.json(e.toMap());
            case csv -> OutputFormat.csv(List.of(e.toMap()));
            case text -> e.toString();
        };
        spec.commandLine().getOut().print(text.endsWith("\n") ? text : text + "\n");
        return 0;
    }
}
