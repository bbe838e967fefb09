package dev.headroom.cli;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelProfile;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "catalog", mixinStandardHelpOptions = true, description = "Lists the catalog's models or GPUs with their sources.")
final class CatalogCommand implements Callable<Integer> {
    enum Kind { models, gpus }

    @Parameters(paramLabel = "models|gpus", description = "What to list: ${COMPLETION-CANDIDATES}.")
    Kind kind;

    @Mixin
    Output output;

    @Override
    public Integer call() {
        List<Map<String, Object>> rows = kind == Kind.models
                ? Catalog.modelIds().stream().map(Catalog::profile).map(CatalogCommand::row).toList()
                : Catalog.gpus().stream().sorted(Comparator.comparing(Gpu::id)).map(CatalogCommand::row).toList();
        String text = switch (output.format) {
            case json -> OutputFormat.json(rows);
            case csv -> OutputFormat.csv(rows);
            case text -> TextTable.of(rows, kind == Kind.models
                    ? List.of("id", "hf_repo", "params", "active_params", "verified")
                    : List.of("id", "name", "memory", "bandwidth_gb_s", "verified"));
        };
        output.print(text);
        return 0;
    }

    private static Map<String, Object> row(ModelProfile m) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", m.id());
        r.put("hf_repo", m.spec().hfRepo());
        r.put("params", String.format(Locale.ROOT, "%,d", m.params()));
        r.put("active_params", String.format(Locale.ROOT, "%,d", m.activeParams()));
        r.put("source", m.spec().provenance().source());
        r.put("verified", m.spec().provenance().verified());
        return r;
    }

    private static Map<String, Object> row(Gpu g) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", g.id());
        r.put("name", g.name());
        r.put("memory", Bytes.of(g.memoryBytes()).toString());
        r.put("memory_bytes", g.memoryBytes());
        r.put("bandwidth_gb_s", Math.round(g.bandwidthBytesPerSecond() / 1e9));
        r.put("source", g.provenance().source());
        r.put("verified", g.provenance().verified());
        return r;
    }
}
