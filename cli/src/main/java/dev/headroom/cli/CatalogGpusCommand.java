package dev.headroom.cli;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.catalog.GpuQuery;
import dev.headroom.core.hardware.Gpu;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code catalog gpus [--vendor V]}. */
@Command(name = "gpus", mixinStandardHelpOptions = true, description = "Lists the catalog's GPUs with their sources.")
final class CatalogGpusCommand implements Callable<Integer> {
    @Option(names = "--vendor", paramLabel = "NAME", description = "Only this vendor (nvidia, amd, intel, apple).")
    String vendor;

    @Mixin
    Output output;

    @Override
    public Integer call() {
        List<Map<String, Object>> rows = GpuQuery.all().vendor(vendor).gpus().stream().map(CatalogGpusCommand::row).toList();
        output.print(switch (output.format) {
            case json -> OutputFormat.json(rows);
            case csv -> OutputFormat.csv(rows);
            case text -> TextTable.of(rows, List.of("id", "name", "memory", "bandwidth_gb_s", "verified"));
        });
        return 0;
    }

    private static Map<String, Object> row(Gpu g) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", g.id());
        r.put("name", g.name());
        r.put("vendor", g.vendor());
        r.put("memory", Bytes.of(g.memoryBytes()).toString());
        r.put("memory_bytes", g.memoryBytes());
        r.put("bandwidth_gb_s", Math.round(g.bandwidthBytesPerSecond() / 1e9));
        r.put("source", g.provenance().source());
        r.put("verified", g.provenance().verified());
        return r;
    }
}
