package dev.headroom.cli;

import dev.headroom.core.base.ParamCount;
import dev.headroom.core.catalog.ModelQuery;
import dev.headroom.core.model.ModelProfile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code catalog models [--family F] [--min-params N] [--max-params N]}. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "Lists the catalog's models with their sources.")
final class CatalogModelsCommand implements Callable<Integer> {
    @Option(names = "--family", paramLabel = "NAME", description = "Only this family (llama, qwen, deepseek, ...).")
    String family;

    @Option(names = "--min-params", paramLabel = "N", description = "Only models with at least N parameters in total: 7b, 1.5B, 500m, 70e9.")
    String minParams;

    @Option(names = "--max-params", paramLabel = "N", description = "Only models with at most N parameters in total.")
    String maxParams;

    @Mixin
    Output output;

    @Override
    public Integer call() {
        ModelQuery q = ModelQuery.all().family(family);
        if (minParams != null) {
            q = q.minParams(ParamCount.parse(minParams, "--min-params"));
        }
        if (maxParams != null) {
            q = q.maxParams(ParamCount.parse(maxParams, "--max-params"));
        }
        List<Map<String, Object>> rows = q.profiles().stream().map(CatalogModelsCommand::row).toList();
        output.print(switch (output.format) {
            case json -> OutputFormat.json(rows);
            case csv -> OutputFormat.csv(rows);
            case text -> TextTable.of(rows, List.of("id", "family", "params", "active_params", "max_context", "verified"));
        });
        return 0;
    }

    private static Map<String, Object> row(ModelProfile m) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", m.id());
        r.put("family", m.spec().family());
        r.put("hf_repo", m.spec().hfRepo());
        r.put("params", String.format(Locale.ROOT, "%,d", m.params()));
        r.put("active_params", String.format(Locale.ROOT, "%,d", m.activeParams()));
        r.put("max_context", m.spec().maxPositions());
        r.put("source", m.spec().provenance().source());
        r.put("verified", m.spec().provenance().verified());
        return r;
    }
}
