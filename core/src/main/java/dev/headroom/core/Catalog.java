package dev.headroom.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The models and GPUs shipped in catalog/ (one JSON file per entry, each with source and verified date),
 * looked up by short id, Hugging Face repo id (with or without the organisation); a path to a user's own config.json or GPU file works too.
 */
public final class Catalog {
    /** Loaded on first use; a broken entry fails with its file and field named, every time it is asked for. */
    private record Loaded(Map<String, ModelSpec> models, Map<String, Gpu> gpus) {}

    private static volatile Loaded loaded;

    private static Loaded loaded() {
        Loaded l = loaded;
        if (l == null) {
            synchronized (Catalog.class) {
                if (loaded == null) {
                    loaded = new Loaded(loadModels(), loadGpus());
                }
                l = loaded;
            }
        }
        return l;
    }

    private Catalog() {}

    public static Collection<ModelSpec> models() {
        return loaded().models().values().stream().distinct().toList();
    }

    public static Collection<Gpu> gpus() {
        return loaded().gpus().values();
    }

    /** A catalog id ("llama-3.1-8b"), a Hugging Face repo id ("meta-llama/Llama-3.1-8B"), or a config.json path. */
    public static ModelSpec model(String name) {
        ModelSpec m = loaded().models().get(name.toLowerCase(Locale.ROOT));
        if (m != null) {
            return m;
        }
        Path path = userPath(name, "config.json");
        if (path != null) {
            return ModelConfigReader.read(path);
        }
        if (looksLikePath(name)) {
            throw new InvalidInputException("model config '" + name + "' not found (give a catalog id, a Hugging Face repo id, or an existing config.json)");
        }
        throw InvalidInputException.unknown("model", name, models().stream().map(ModelSpec::id).toList());
    }

    /** A catalog id ("h100-sxm") or a path to a GPU file in the catalog format. */
    public static Gpu gpu(String name) {
        Gpu g = loaded().gpus().get(name.toLowerCase(Locale.ROOT));
        if (g != null) {
            return g;
        }
        Path path = userPath(name, null);
        if (path != null) {
            return GpuReader.read(path);
        }
        if (looksLikePath(name) && name.endsWith(".json")) {
            throw new InvalidInputException("GPU file '" + name + "' not found");
        }
        throw InvalidInputException.unknown("GPU", name, loaded().gpus().keySet());
    }

    /** A name with a path separator or a .json suffix that is not a catalog entry (org/repo ids have one slash). */
    private static boolean looksLikePath(String name) {
        return name.endsWith(".json") || name.startsWith(".") || name.startsWith("/") || name.chars().filter(c -> c == '/').count() > 1;
    }

    private static Path userPath(String name, String fileInDirectory) {
        if (!name.endsWith(".json") && !name.contains("/") && !name.contains("\\")) {
            return null;
        }
        Path p = Path.of(name);
        if (Files.isDirectory(p) && fileInDirectory != null) {
            p = p.resolve(fileInDirectory);
        }
        return Files.isRegularFile(p) ? p : null;
    }

    private static Map<String, ModelSpec> loadModels() {
        Map<String, ModelSpec> byName = new LinkedHashMap<>();
        for (CatalogResources.Entry e : CatalogResources.read("models")) {
            ModelSpec m = ModelConfigReader.readCatalogEntry(e.text(), e.file());
            byName.put(m.id().toLowerCase(Locale.ROOT), m);
            String repo = m.hfRepo().toLowerCase(Locale.ROOT);
            byName.putIfAbsent(repo, m);
            byName.putIfAbsent(repo.substring(repo.indexOf('/') + 1), m); // "Llama-3.1-8B" as sources write it
        }
        return byName;
    }

    private static Map<String, Gpu> loadGpus() {
        Map<String, Gpu> byId = new LinkedHashMap<>();
        for (CatalogResources.Entry e : CatalogResources.read("gpus")) {
            Gpu g = GpuReader.parse(e.text(), e.file());
            byId.put(g.id().toLowerCase(Locale.ROOT), g);
        }
        return byId;
    }
}
