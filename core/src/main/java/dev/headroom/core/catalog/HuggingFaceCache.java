package dev.headroom.core.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A model's config.json in the local Hugging Face cache ({@code $HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else
 * {@code ~/.cache/huggingface/hub}), laid out as {@code models--org--name/snapshots/<revision>/config.json}.
 */
final class HuggingFaceCache {
    private HuggingFaceCache() {}

    /** The newest cached snapshot's config.json for "org/name", or null. */
    static Path config(String repo) {
        if (!repo.matches("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")) {
            return null;
        }
        Path snapshots = hub().resolve("models--" + repo.replace("/", "--")).resolve("snapshots");
        if (!Files.isDirectory(snapshots)) {
            return null;
        }
        try (Stream<Path> s = Files.list(snapshots)) {
            Optional<Path> newest = s.map(p -> p.resolve("config.json")).filter(Files::isRegularFile)
                    .max(Comparator.comparing(p -> p.toFile().lastModified()));
            return newest.orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static Path hub() {
        String cache = System.getenv("HF_HUB_CACHE");
        if (cache != null && !cache.isBlank()) {
            return Path.of(cache);
        }
        String home = System.getenv("HF_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home, "hub");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "huggingface", "hub");
    }
}
