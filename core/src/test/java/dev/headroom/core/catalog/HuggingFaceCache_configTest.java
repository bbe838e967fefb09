package dev.headroom.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local Hugging Face cache as huggingface_hub lays it out: hub/models--org--name/snapshots/REVISION/config.json,
 * refs/main naming the revision; the hub folder is $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub.
 */
class HuggingFaceCache_configTest {
    @TempDir
    Path dir;

    private Path snapshot(Path hub, String revision, long modified) throws IOException {
        Path config = Files.createDirectories(hub.resolve("models--acme--tiny/snapshots/" + revision)).resolve("config.json");
        Files.writeString(config, "{}");
        Files.setLastModifiedTime(config, FileTime.fromMillis(modified));
        return config;
    }

    @Test
    void should_take_the_revision_refs_main_names_over_a_newer_snapshot() throws IOException {
        Path hub = dir.resolve("hub");
        Path main = snapshot(hub, "aaaaaaa1", 1_000);
        snapshot(hub, "bbbbbbb2", 2_000);
        Files.createDirectories(hub.resolve("models--acme--tiny/refs"));
        Files.writeString(hub.resolve("models--acme--tiny/refs/main"), "aaaaaaa1\n");

        assertEquals(main, HuggingFaceCache.config("acme/tiny", Map.of("HF_HUB_CACHE", hub.toString()), "/nowhere"));
    }

    @Test
    void should_take_the_newest_snapshot_without_refs_main() throws IOException {
        Path hub = dir.resolve("hub");
        snapshot(hub, "aaaaaaa1", 1_000);
        Path newest = snapshot(hub, "bbbbbbb2", 2_000);

        assertEquals(newest, HuggingFaceCache.config("acme/tiny", Map.of("HF_HUB_CACHE", hub.toString()), "/nowhere"));
    }

    @Test
    void should_look_in_hf_home_hub_and_then_the_user_cache() throws IOException {
        Path fromHome = snapshot(dir.resolve("home/hub"), "aaaaaaa1", 1_000);
        Path fromUser = snapshot(dir.resolve("user/.cache/huggingface/hub"), "aaaaaaa1", 1_000);

        assertEquals(fromHome, HuggingFaceCache.config("acme/tiny", Map.of("HF_HOME", dir.resolve("home").toString()), "/nowhere"));
        assertEquals(fromUser, HuggingFaceCache.config("acme/tiny", Map.of(), dir.resolve("user").toString()));
    }

    @Test
    void should_find_nothing_for_a_repo_not_cached_or_not_a_repo_id() {
        assertNull(HuggingFaceCache.config("acme/absent", Map.of("HF_HUB_CACHE", dir.toString()), "/nowhere"));
        assertNull(HuggingFaceCache.config("../etc/passwd", Map.of("HF_HUB_CACHE", dir.toString()), "/nowhere"));
    }
}
