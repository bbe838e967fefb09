package dev.headroom.cli;

import dev.headroom.core.engine.Engine;
import dev.headroom.core.engine.Engines;
import dev.headroom.core.engine.Release;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "engines", mixinStandardHelpOptions = true,
        description = "Lists the engines, the versions whose semantics are modelled (with where they were read), and each engine's settings.")
final class EnginesCommand implements Callable<Integer> {
    @Mixin
    Output output;

    @Override
    public Integer call() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String id : Engines.ids()) {
            Engine e = Engines.named(id);
            for (Release r : Engines.releases().get(id)) {
                for (Engine.Setting s : e.settings()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("engine", id);
                    row.put("version", r.version());
                    row.put("setting", "--" + s.name().replace('_', '-'));
                    row.put("default", s.value());
                    row.put("meaning", s.description());
                    row.put("source", r.source());
                    rows.add(row);
                }
            }
        }
        output.print(switch (output.format) {
            case json -> OutputFormat.json(rows);
            case csv -> OutputFormat.csv(rows);
            case text -> TextTable.of(rows, List.of("engine", "version", "setting", "default", "meaning"));
        });
        return 0;
    }
}
