package dev.headroom.validation;

import dev.headroom.core.Catalog;
import dev.headroom.core.InvalidInputException;
import dev.headroom.core.ModelSpec;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the model and GPU names that measurement sources use into catalog entries. Sources name
 * instruct variants and older releases whose architecture equals a catalog entry; each such reading
 * is listed here with its reason, so the report can say what was assumed.
 */
final class SourceNames {
    /** Source name -> catalog id, for names that are not a catalog id or Hugging Face repo. */
    private static final Map<String, String> SAME_ARCHITECTURE = Map.of(
            "llama-7b", "llama-2-7b",                               // LLaMA-1 7B: same shapes as Llama-2-7B (6.74B params)
            "codellama-7b", "llama-2-7b",                           // differs only in vocab 32016 vs 32000 and rope base
            "meta-llama/llama-2-7b", "llama-2-7b",
            "llama-2-7b-class (smoothquant int8)", "llama-2-7b",
            "mistral-7b", "mistral-7b");

    private static final Map<String, String> GPUS = Map.ofEntries(
            Map.entry("H100-80GB", "h100-sxm"), Map.entry("H100-SXM-80GB", "h100-sxm"), Map.entry("H200-141GB", "h200"),
            Map.entry("L40S", "l40s"), Map.entry("A100-SXM4-80GB", "a100-80gb"), Map.entry("A100-SXM-80GB", "a100-80gb"),
            Map.entry("A100-80GB", "a100-80gb"), Map.entry("A100(80GB implied)", "a100-80gb"),
            Map.entry("RTX-3090", "rtx-3090"), Map.entry("RTX-4090", "rtx-4090"));

    private SourceNames() {}

    static Optional<ModelSpec> model(String sourceName) {
        String name = sourceName.toLowerCase(java.util.Locale.ROOT);
        String mapped = SAME_ARCHITECTURE.getOrDefault(name, name);
        for (String candidate : new String[] {mapped, mapped.replace("-instruct", "")}) {
            try {
                return Optional.of(Catalog.model(candidate));
            } catch (InvalidInputException notInCatalog) {
                // try the next reading
            }
        }
        return Optional.empty();
    }

    static Optional<String> gpu(String sourceName) {
        return Optional.ofNullable(GPUS.get(sourceName));
    }
}
