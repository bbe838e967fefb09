package dev.headroom.core.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A model's config.json in the local Hugging Face cache ({@code $HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else
 * {@code ~/.cache/huggingface/hub}), laid out as {@code models--org--name/snapshots/<revision>/config.json} with
 * {@code refs/main} naming the revision a plain download left there.
 */
final class HuggingFaceCache {
    private HuggingFaceCache() {}

    /** The config.json of "org/name" at refs/main, else of the newest cached snapshot; null if none is cached. */
    static Path config(String repo) {
        return config(repo, System.getenv(), System.getProperty("user.home"));
    }

    /** The same, reading the cache location from {@code env} (tests give their own). */
    static Path config(String repo, Map<String, String> env, String userHome) {
        if (repo == null || !repo.matches("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")) {
            return null;
        }
        Path model = hub(env, userHome).resolve("models--" + repo.replace("/", "--"));
        Path snapshots = model.resolve("snapshots");
        if (!Files.isDirectory(snapshots)) {
            return null;
        }
        Path main = mainRevision(model).map(r -> snapshots.resolve(r).resolve("config.json")).orElse(null);
        if (main != null && Files.isRegularFile(main)) {
            return main;
        }
        try (Stream<Path> s = Files.list(snapshots)) {
            Optional<Path> newest = s.map(p -> p.resolve("config.json")).filter(Files::isRegularFile)
                    .max(Comparator.comparing(p -> p.toFile().lastModified()));
            return newest.orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static Optional<String> mainRevision(Path model) {
        Path ref = model.resolve("refs").resolve("main");
        try {
            String revision = Files.isRegularFile(ref) ? Files.readString(ref).trim() : "";
            return revision.matches("[0-9a-fA-F]{7,64}") ? Optional.of(revision) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Path hub(Map<String, String> env, String userHome) {
        String cache = env.get("HF_HUB_CACHE");
        if (cache != null && !cache.isBlank()) {
            return Path.of(cache);
        }
        String home = env.get("HF_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home, "hub");
        }
        return Path.of(userHome, ".cache", "huggingface", "hub");
    }
}
