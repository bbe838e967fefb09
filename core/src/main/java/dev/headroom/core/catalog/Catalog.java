package dev.headroom.core.catalog;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.base.Provenance;
import dev.headroom.core.cost.ApiPrice;
import dev.headroom.core.cost.GpuPrice;
import dev.headroom.core.cost.PriceBook;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models, GPUs and prices shipped in catalog/ (one JSON file per entry, each with source and verified
 * date), read once from the bundled resource and parsed entry by entry as they are asked for. Models are
 * found by catalog id, Hugging Face repo id (with or without the organisation) or alias; a path to a user's
 * own config.json or GPU file works too, and so does a repo id whose config.json is in the local Hugging
 * Face cache.
 */
public final class Catalog {
    private record Index(Map<String, CatalogBundle.Entry> models, Map<String, CatalogBundle.Entry> gpus,
                         List<CatalogBundle.Entry> all) {}

    private static volatile Index index;
    private static final Map<String, ModelSpec> MODELS = new ConcurrentHashMap<>();
    private static final Map<String, ModelProfile> PROFILES = new ConcurrentHashMap<>();
    private static final Map<String, Gpu> GPUS = new ConcurrentHashMap<>();
    private static volatile PriceBook prices;

    private Catalog() {}

    private static Index index() {
        Index i = index;
        if (i == null) {
            synchronized (Catalog.class) {
                if (index == null) {
                    index = build(CatalogBundle.load());
                }
                i = index;
            }
        }
        return i;
    }

    private static Index build(List<CatalogBundle.Entry> entries) {
        Map<String, CatalogBundle.Entry> models = new LinkedHashMap<>();
        Map<String, CatalogBundle.Entry> gpus = new LinkedHashMap<>();
        for (boolean idsFirst : new boolean[] {true, false}) {
            for (CatalogBundle.Entry e : entries) {
                Map<String, CatalogBundle.Entry> target = e.kind().equals("models") ? models : e.kind().equals("gpus") ? gpus : null;
                if (target == null || e.names().isEmpty()) {
                    continue;
                }
                List<String> names = idsFirst ? e.names().subList(0, 1) : e.names();
                for (String n : names) {
                    target.putIfAbsent(n, e);
                }
            }
        }
        return new Index(models, gpus, entries);
    }

    /** Catalog model ids, sorted. */
    public static List<String> modelIds() {
        return ids("models");
    }

    /** Catalog GPU ids, sorted. */
    public static List<String> gpuIds() {
        return ids("gpus");
    }

    private static List<String> ids(String kind) {
        return index().all().stream().filter(e -> e.kind().equals(kind) && !e.names().isEmpty())
                .map(e -> e.names().get(0)).sorted().toList();
    }

    /** Every catalog model, parsed (a listing; single lookups parse one entry). */
    public static List<ModelSpec> models() {
        return modelIds().stream().map(Catalog::model).toList();
    }

    public static List<Gpu> gpus() {
        return gpuIds().stream().map(Catalog::gpu).toList();
    }

    /** A catalog id ("llama-3.1-8b"), a Hugging Face repo id ("meta-llama/Llama-3.1-8B"), an alias, or a config.json path. */
    public static ModelSpec model(String name) {
        if (name == null || name.isBlank()) {
            throw InvalidInputException.missing("model", "give a catalog id, a Hugging Face repo id or a config.json path");
        }
        CatalogBundle.Entry e = index().models().get(name.trim().toLowerCase(Locale.ROOT));
        if (e != null) {
            return MODELS.computeIfAbsent(e.file(), f -> ModelConfigReader.readCatalogEntry(e.text(), e.file()));
        }
        Path path = userPath(name, "config.json");
        if (path != null) {
            return ModelConfigReader.read(path);
        }
        Path cached = HuggingFaceCache.config(name.trim());
        if (cached != null) {
            return ModelConfigReader.read(cached, name.trim());
        }
        if (looksLikePath(name)) {
            throw new InvalidInputException("model config '" + name + "' not found (give a catalog id, a Hugging Face repo id, or an existing config.json)");
        }
        throw InvalidInputException.unknown("model", name, modelIds());
    }

    /** The model's profile (tensors, totals), computed once per catalog entry. */
    public static ModelProfile profile(String name) {
        ModelSpec spec = model(name);
        if (spec.provenance().source().startsWith("file:")) {
            return ModelProfile.of(spec);
        }
        return PROFILES.computeIfAbsent(spec.id(), id -> ModelProfile.of(spec));
    }

    /** A catalog id ("h100-sxm"), an alias ("H100-SXM-80GB"), or a path to a GPU file in the catalog format. */
    public static Gpu gpu(String name) {
        if (name == null || name.isBlank()) {
            throw InvalidInputException.missing("gpu", "give a catalog GPU id or a GPU file");
        }
        CatalogBundle.Entry e = index().gpus().get(name.trim().toLowerCase(Locale.ROOT));
        if (e != null) {
            return GPUS.computeIfAbsent(e.file(), f -> GpuReader.parse(e.text(), e.file()));
        }
        Path path = userPath(name, null);
        if (path != null) {
            return GpuReader.read(path);
        }
        if (looksLikePath(name) && name.endsWith(".json")) {
            throw new InvalidInputException("GPU file '" + name + "' not found");
        }
        throw InvalidInputException.unknown("GPU", name, gpuIds());
    }

    /** The catalog entry (model) a name answers to: id, Hugging Face repo or alias; empty for anything else. */
    public static Optional<String> modelId(String name) {
        return entryId(index().models(), name);
    }

    /** The catalog entry (GPU) a name answers to: id or alias; empty for anything else. */
    public static Optional<String> gpuId(String name) {
        return entryId(index().gpus(), name);
    }

    private static Optional<String> entryId(Map<String, CatalogBundle.Entry> names, String name) {
        CatalogBundle.Entry e = name == null ? null : names.get(name.trim().toLowerCase(Locale.ROOT));
        return e == null ? Optional.empty() : Optional.of(e.names().get(0));
    }

    /**
     * The fields of a catalog entry as its file writes them (notes, the sources of each figure), for showing an
     * entry in full. {@code kind} is "models" or "gpus"; the name is an id, repo or alias.
     */
    public static Map<String, Object> entryFields(String kind, String name) {
        Map<String, CatalogBundle.Entry> names = kind.equals("gpus") ? index().gpus() : index().models();
        CatalogBundle.Entry e = names.get(name.trim().toLowerCase(Locale.ROOT));
        if (e == null) {
            throw InvalidInputException.unknown(kind.equals("gpus") ? "GPU" : "model", name, kind.equals("gpus") ? gpuIds() : modelIds());
        }
        return Json.parse(e.text(), e.file()).fields();
    }

    /** The model families the catalog holds ("llama", "qwen", ...), sorted. */
    public static List<String> families() {
        return models().stream().map(ModelSpec::family).distinct().sorted().toList();
    }

    /** The GPU vendors the catalog holds ("amd", "nvidia", ...), sorted. */
    public static List<String> vendors() {
        return gpus().stream().map(Gpu::vendor).distinct().sorted().toList();
    }

    /** GPU and API prices from catalog/prices and catalog/api-prices. */
    public static PriceBook prices() {
        PriceBook p = prices;
        if (p == null) {
            List<GpuPrice> gpu = new ArrayList<>();
            List<ApiPrice> api = new ArrayList<>();
            for (CatalogBundle.Entry e : index().all()) {
                if (e.kind().equals("prices")) {
                    gpu.add(PriceReader.gpuPrice(Json.parse(e.text(), e.file())));
                } else if (e.kind().equals("api-prices")) {
                    api.add(PriceReader.apiPrice(Json.parse(e.text(), e.file())));
                }
            }
            p = new PriceBook(gpu, api);
            prices = p;
        }
        return p;
    }

    /** Every catalog file with its kind and text, for listings and checks. */
    public static Map<String, String> files(String kind) {
        Map<String, String> out = new LinkedHashMap<>();
        for (CatalogBundle.Entry e : index().all()) {
            if (e.kind().equals(kind)) {
                out.put(e.file(), e.text());
            }
        }
        return out;
    }

    /** Where an entry's numbers come from. */
    public static Provenance provenance(ModelSpec m) {
        return m.provenance();
    }

    /** A name with a path separator or a .json suffix that is not a catalog entry (org/repo ids have one slash). */
    private static boolean looksLikePath(String name) {
        return name.endsWith(".json") || name.startsWith(".") || name.startsWith("/") || name.chars().filter(c -> c == '/').count() > 1;
    }

    private static Path userPath(String name, String fileInDirectory) {
        if (!name.endsWith(".json") && !name.contains("/") && !name.contains("\\")) {
            return null;
        }
        Path p;
        try {
            p = Path.of(name);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
        if (Files.isDirectory(p) && fileInDirectory != null) {
            p = p.resolve(fileInDirectory);
        }
        // a folder given as a GPU file is read, so the reader says it is a folder rather than an unknown GPU
        return Files.isRegularFile(p) || (fileInDirectory == null && Files.isDirectory(p)) ? p : null;
    }

    static Map<String, String> nameIndexForTests() {
        Map<String, String> out = new HashMap<>();
        index().models().forEach((k, v) -> out.put(k, v.file()));
        return out;
    }
}
