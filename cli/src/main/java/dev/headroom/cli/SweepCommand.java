package dev.headroom.cli;

import dev.headroom.dsl.Scenario;
import dev.headroom.dsl.Sizing;
import dev.headroom.dsl.Sweep;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/** The notebook's sweep from the command line: every option takes a comma-separated list; one row per combination. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Estimates every combination of the listed choices, one row each (memory, speed, cost).",
                "Lists are comma-separated, e.g. --batch 1,8,32 --kv-dtype bf16,fp8 --gpu h100-sxm,h200."})
final class SweepCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, split = ",", paramLabel = "ID", description = "Model(s).")
    List<String> models;

    @Option(names = "--gpu", required = true, split = ",", paramLabel = "ID", description = "GPU(s).")
    List<String> gpus;

    @Option(names = "--gpus", split = ",", paramLabel = "N", description = "GPU count(s); one replica spans them (tp = gpus).")
    List<Integer> counts;

    @Option(names = "--weights", split = ",", paramLabel = "DTYPE", description = "Weight format(s).")
    List<String> weights;

    @Option(names = "--kv-dtype", split = ",", paramLabel = "DTYPE", description = "KV cache format(s).")
    List<String> kv;

    @Option(names = "--engine", split = ",", paramLabel = "NAME", description = "Engine(s) with their defaults (default: vllm).")
    List<String> engines;

    @Option(names = "--max-model-len", paramLabel = "N", description = "The engines' longest sequence (default: the model's).")
    Integer maxModelLen;

    @Option(names = "--batch", split = ",", paramLabel = "N", description = "Static batch size(s).")
    List<Integer> batches;

    @Option(names = "--concurrency", split = ",", paramLabel = "N", description = "Closed-loop concurrency (instead of --batch).")
    List<Integer> concurrency;

    @Option(names = "--input-tokens", split = ",", paramLabel = "N", defaultValue = "1024", description = "Prompt tokens (default: ${DEFAULT-VALUE}).")
    List<Integer> input;

    @Option(names = "--output-tokens", split = ",", paramLabel = "N", defaultValue = "1024", description = "Output tokens (default: ${DEFAULT-VALUE}).")
    List<Integer> output;

    @Mixin
    Output out;

    @Override
    public Integer call() {
        Scenario base = Sizing.model(models.get(0)).on(gpus.get(0));
        Sweep sweep = base.sweep();
        if (models.size() > 1) sweep = sweep.model(models.toArray(String[]::new));
        if (gpus.size() > 1) sweep = sweep.gpu(gpus.toArray(String[]::new));
        if (counts != null) sweep = sweep.gpus(counts.toArray(Integer[]::new));
        if (engines != null) sweep = sweep.engine(engines.toArray(String[]::new));
        if (maxModelLen != null) sweep = sweep.axis("max_model_len", List.of(maxModelLen), Scenario::maxLength);
        if (weights != null) sweep = sweep.weights(weights.toArray(String[]::new));
        if (kv != null) sweep = sweep.kv(kv.toArray(String[]::new));
        sweep = sweep.input(input.toArray(Integer[]::new)).output(output.toArray(Integer[]::new));
        if (batches != null) sweep = sweep.batch(batches.toArray(Integer[]::new));
        if (concurrency != null) sweep = sweep.concurrency(concurrency.toArray(Integer[]::new));
        Table t = sweep.table();
        out.print(switch (out.format) {
            case csv -> csv(t);
            case json -> OutputFormat.json(rows(t));
            case text -> t.printAll();
        });
        return 0;
    }

    private static String csv(Table t) {
        StringWriter w = new StringWriter();
        t.write().csv(w);
        return w.toString();
    }

    private static List<Map<String, Object>> rows(Table t) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Row r : t) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String c : t.columnNames()) {
                m.put(c, r.isMissing(c) ? null : r.getObject(c));
            }
            rows.add(m);
        }
        return rows;
    }
}
