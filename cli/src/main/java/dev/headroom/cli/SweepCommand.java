package dev.headroom.cli;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.dsl.Scenario;
import dev.headroom.dsl.Sizing;
import dev.headroom.dsl.Sweep;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tech.tablesaw.api.Table;

/** The notebook's sweep from the command line: every option takes a comma-separated list; one row per combination. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Estimates every combination of the listed choices, one row each (memory, speed, cost).",
                "Lists are comma-separated, e.g. --batch 1,8,32 --kv-dtype bf16,fp8 --gpu h100-sxm,h200.",
                "Rows that do not fit are marked (fits=false, limit) rather than failing."})
final class SweepCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, split = ",", paramLabel = "ID", description = "Model(s).")
    List<String> models;

    @Option(names = "--gpu", required = true, split = ",", paramLabel = "ID", description = "GPU(s).")
    List<String> gpus;

    @Option(names = "--gpus", split = ",", paramLabel = "N", description = "GPU count(s); one replica spans them (tp = gpus).")
    int[] counts;

    @Option(names = "--weights", split = ",", paramLabel = "DTYPE", description = "Weight format(s).")
    List<String> weights;

    @Option(names = "--kv-dtype", split = ",", paramLabel = "DTYPE", description = "KV cache format(s).")
    List<String> kv;

    @Option(names = "--engine", split = ",", paramLabel = "NAME", description = "Engine(s) with their defaults (default: vllm).")
    List<String> engines;

    @Option(names = "--max-model-len", paramLabel = "N", description = "The engines' longest sequence (default: the model's).")
    Integer maxModelLen;

    @Option(names = "--batch", split = ",", paramLabel = "N", description = "Static batch size(s).")
    int[] batches;

    @Option(names = "--concurrency", split = ",", paramLabel = "N", description = "Closed-loop concurrency (instead of --batch).")
    int[] concurrency;

    @Option(names = "--input-tokens", split = ",", paramLabel = "N", defaultValue = "1024", description = "Prompt tokens (default: ${DEFAULT-VALUE}).")
    int[] input;

    @Option(names = "--output-tokens", split = ",", paramLabel = "N", defaultValue = "1024", description = "Output tokens (default: ${DEFAULT-VALUE}).")
    int[] output;

    @Mixin
    Output out;

    private static void atLeast(String option, int[] values, int min) {
        for (int v : values == null ? new int[0] : values) {
            if (v < min) {
                throw InvalidInputException.field(option, v, min == 1 ? "must be a positive whole number" : "must be zero or more");
            }
        }
    }

    @Override
    public Integer call() {
        if (batches != null && concurrency != null) {
            throw new InvalidInputException("choose one way requests arrive: --batch or --concurrency, not both "
                    + "(memory would be sized for one and speed for the other)");
        }
        // Checked here so the message names the option, not the notebook step the sweep calls.
        atLeast("--gpus", counts, 1);
        atLeast("--batch", batches, 1);
        atLeast("--concurrency", concurrency, 1);
        atLeast("--input-tokens", input, 1);
        atLeast("--output-tokens", output, 0);
        if (maxModelLen != null) {
            atLeast("--max-model-len", new int[] {maxModelLen}, 1);
            for (String m : models) {
                int max = dev.headroom.core.catalog.Catalog.model(m).maxPositions();
                if (maxModelLen > max) {
                    throw InvalidInputException.field("--max-model-len", maxModelLen, m + " supports at most " + max
                            + " tokens (max_position_embeddings)");
                }
            }
        }
        Scenario base = Sizing.model(models.get(0)).on(gpus.get(0));
        if (maxModelLen != null) {
            base = base.maxLength(maxModelLen);
        }
        Sweep sweep = base.sweep();
        if (models.size() > 1) sweep = sweep.model(models.toArray(String[]::new));
        if (gpus.size() > 1) sweep = sweep.gpu(gpus.toArray(String[]::new));
        if (counts != null) sweep = sweep.gpus(counts);
        if (engines != null) sweep = sweep.engine(engines.toArray(String[]::new));
        if (weights != null) sweep = sweep.weights(weights.toArray(String[]::new));
        if (kv != null) sweep = sweep.kv(kv.toArray(String[]::new));
        sweep = sweep.input(input).output(output);
        if (batches != null) sweep = sweep.batch(batches);
        if (concurrency != null) sweep = sweep.concurrency(concurrency);
        Table t = sweep.table();
        out.print(switch (out.format) {
            case csv -> OutputFormat.csv(Rows.of(t));
            case json -> OutputFormat.json(Rows.of(t));
            case text -> TextTable.of(Rows.of(t), t.columnNames());
        });
        return 0;
    }
}
