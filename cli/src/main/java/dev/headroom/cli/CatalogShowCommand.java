package dev.headroom.cli;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.CheckpointQuantization;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.precision.Precision;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code catalog show ID}: one entry in full. A model shows what the reader derived from its config (layers,
 * parameters against the published count, KV bytes per token, context, quantization) and then the entry's own
 * fields with their sources; a GPU shows its file's fields. Text prints one field per line; JSON keeps the nesting;
 * CSV is one row with nested fields flattened to dotted names.
 */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one catalog model or GPU in full, with its sources.")
final class CatalogShowCommand implements Callable<Integer> {
    /** Fields of a model entry already shown in derived form. */
    private static final List<String> MODEL_FIELDS_SHOWN = List.of("id", "hf_repo", "aliases", "family", "model_type", "source",
            "verified", "published_params", "published_params_note");

    @Parameters(paramLabel = "ID", description = "A catalog model or GPU: id, Hugging Face repo or alias.")
    String name;

    @Mixin
    Output output;

    @Override
    public Integer call() {
        Map<String, Object> entry = Catalog.modelId(name).map(CatalogShowCommand::model)
                .or(() -> Catalog.gpuId(name).map(CatalogShowCommand::gpu))
                .orElseThrow(this::unknown);
        output.print(switch (output.format) {
            case json -> OutputFormat.json(entry);
            case csv -> OutputFormat.csv(List.of(flat(entry)));
            case text -> text(flat(entry));
        });
        return 0;
    }

    private InvalidInputException unknown() {
        List<String> known = new ArrayList<>(Catalog.modelIds());
        known.addAll(Catalog.gpuIds());
        return InvalidInputException.unknown("catalog entry", name, known);
    }

    private static Map<String, Object> model(String id) {
        ModelProfile p = Catalog.profile(id);
        ModelSpec m = p.spec();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("kind", "model");
        r.put("id", m.id());
        r.put("hf_repo", m.hfRepo());
        r.put("family", m.family());
        r.put("model_type", m.modelType());
        r.put("aliases", m.aliases());
        r.put("layers", m.describe());
        r.put("layer_kinds", m.layerSummary());
        r.put("params", p.params());
        r.put("active_params", p.activeParams());
        r.put("published_params", m.publishedParams());
        r.put("published_params_note", Catalog.entryFields("models", id).get("published_params_note"));
        r.put("params_vs_published", m.publishedParams() == null ? null
                : String.format(Locale.ROOT, "%+.3f%%", 100.0 * (p.params() - m.publishedParams()) / m.publishedParams()));
        r.put("kv_bytes_per_token_bf16", p.kvBytesPerToken(Precision.BF16));
        long state = m.layers().stream().mapToLong(l -> l.mixer().stateBytesPerSequence(Precision.BF16, 1)).sum();
        r.put("state_bytes_per_sequence_bf16", state > 0 ? state : null);
        r.put("max_context", m.maxPositions());
        r.put("weights_default", m.defaultWeights().name());
        r.put("quantization", m.checkpointQuantization().map(CatalogShowCommand::quantization).orElse("none (" + m.dtype().name() + ")"));
        r.put("source", m.provenance().source());
        r.put("verified", m.provenance().verified());
        Catalog.entryFields("models", id).forEach((k, v) -> {
            if (!MODEL_FIELDS_SHOWN.contains(k)) {
                r.put("config." + k, v);
            }
        });
        return r;
    }

    private static String quantization(CheckpointQuantization q) {
        return q.method() + ", " + q.weights().name()
                + (q.moduleFormats().isEmpty() ? "" : ", " + q.moduleFormats().size() + " modules with their own format")
                + (q.modulesNotConverted().isEmpty() ? "" : ", " + q.modulesNotConverted().size() + " module patterns kept 16-bit");
    }

    private static Map<String, Object> gpu(String id) {
        Gpu g = Catalog.gpu(id);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("kind", "gpu");
        r.put("memory", Bytes.of(g.memoryBytes()).toString());
        r.put("memory_visible", Bytes.of(g.visibleMemoryBytes()).toString());
        r.putAll(Catalog.entryFields("gpus", id));
        return r;
    }

    /** Nested objects as dotted names ("peak_tflops_dense.bf16"), lists joined: one level of keys for text and CSV. */
    private static Map<String, Object> flat(Map<String, Object> entry) {
        Map<String, Object> out = new LinkedHashMap<>();
        entry.forEach((k, v) -> flatten(k, v, out));
        return out;
    }

    private static void flatten(String key, Object value, Map<String, Object> out) {
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> flatten(key + "." + k, v, out));
        } else if (value instanceof Collection<?> c) {
            out.put(key, c.stream().map(v -> v instanceof Map<?, ?> ? Json.write(v).replaceAll("\\s+", " ") : String.valueOf(v))
                    .collect(Collectors.joining("; ")));
        } else {
            out.put(key, value);
        }
    }

    private static String text(Map<String, Object> fields) {
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> {
            if (v != null) {
                b.append(k).append(" ".repeat(width - k.length() + 2)).append(v).append('\n');
            }
        });
        return b.toString();
    }
}
