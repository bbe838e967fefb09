package dev.headroom.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.core.ModelSpec;
import dev.headroom.core.Precision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Published parameter counts (total and active) and KV bytes per token from architectures.json against
 * the catalog entries: these must match exactly.
 */
public final class ArchitectureValidation {
    private static final String SOURCE = "validation/architectures.json";
    /** architectures.json field -> what it states. */
    private static final Map<String, String> EXACT_FIELDS = Map.of(
            "params", "params", "params_main_computed", "params", "active_params_computed", "active_params",
            "kv_bytes_per_token_bf16_mla", "kv_bytes_per_token");

    private ArchitectureValidation() {}

    public static List<ValidationCase> run(Path json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json, e);
        }
        List<ValidationCase> cases = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            Optional<ModelSpec> model = SourceNames.model(entry.getKey());
            for (String field : List.of("params", "params_main_computed", "active_params_computed", "kv_bytes_per_token_bf16_mla")) {
                JsonNode v = entry.getValue().get(field);
                if (v == null) {
                    continue;
                }
                String metric = EXACT_FIELDS.get(field);
                if (model.isEmpty()) {
                    cases.add(ValidationCase.skipped(entry.getKey(), SOURCE, entry.getKey(), metric, "not in the catalog"));
                    continue;
                }
                ModelSpec m = model.get();
                long predicted = switch (metric) {
                    case "params" -> m.params();
                    case "active_params" -> m.activeParams();
                    default -> m.kvBytesPerToken(Precision.BF16);
                };
                cases.add(new ValidationCase(entry.getKey(), SOURCE, m.id() + " (" + m.hfRepo() + ")", metric,
                        v.asLong(), predicted, "", 0.0, null));
            }
        }
        return cases;
    }
}
