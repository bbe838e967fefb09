package dev.headroom.validation;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Json;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.precision.Precision;
import java.nio.file.Path;
import java.util.ArrayList;
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
        Json root = Json.parse(MeasurementRow.readText(json), json.toString());
        List<ValidationCase> cases = new ArrayList<>();
        for (Map.Entry<String, Object> entry : root.fields().entrySet()) {
            if (!(entry.getValue() instanceof Map)) {
                continue;
            }
            Json fields = root.child(entry.getKey());
            Optional<ModelProfile> model = SourceNames.model(entry.getKey());
            for (String field : List.of("params", "params_main_computed", "active_params_computed", "kv_bytes_per_token_bf16_mla")) {
                if (!fields.has(field)) {
                    continue;
                }
                long v = fields.longValue(field);
                String metric = EXACT_FIELDS.get(field);
                if (model.isEmpty()) {
                    cases.add(ValidationCase.skipped(entry.getKey(), SOURCE, entry.getKey(), metric, "not in the catalog"));
                    continue;
                }
                ModelProfile m = model.get();
                long predicted = switch (metric) {
                    case "params" -> m.params();
                    case "active_params" -> m.activeParams();
                    default -> m.kvBytesPerToken(Precision.BF16);
                };
                cases.add(new ValidationCase(entry.getKey(), SOURCE, m.id() + " (" + m.spec().hfRepo() + ")", metric,
                        v, predicted, "", 0.0, null));
            }
        }
        return cases;
    }
}
