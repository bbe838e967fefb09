package dev.headroom.dsl;

import static dev.headroom.dsl.Sizing.gpus;
import static dev.headroom.dsl.Sizing.model;
import static dev.headroom.dsl.Sizing.modelQuery;
import static dev.headroom.dsl.Sizing.models;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding models and GPUs from a notebook, in the form the sweeps take. */
class Sizing_findTest {
    @TempDir
    Path dir;

    @Test
    void should_find_a_familys_models() {
        List<String> qwen = models("qwen");

        assertFalse(qwen.isEmpty());
        qwen.forEach(id -> assertEquals("qwen", Catalog.model(id).family(), id));
    }

    @Test
    void should_sweep_over_what_a_finder_returns() {
        List<String> small = models(modelQuery().family("qwen").maxParams("2b"));
        List<String> amd = gpus("amd");

        assertFalse(small.isEmpty());
        assertTrue(amd.contains("mi300x"), amd.toString());
        assertEquals((long) small.size() * amd.size(), model("qwen3-8b").on("h100-sxm").sweep().model(small).gpu(amd).rows());
    }

    @Test
    void should_list_the_choices_for_an_unknown_family_or_vendor() {
        InvalidInputException family = assertThrows(InvalidInputException.class, () -> models("qwn"));
        InvalidInputException vendor = assertThrows(InvalidInputException.class, () -> gpus("nvdia"));

        assertTrue(family.getMessage().startsWith("unknown family 'qwn' — known: qwen"), family.getMessage());
        assertTrue(vendor.getMessage().startsWith("unknown vendor 'nvdia' — known: nvidia"), vendor.getMessage());
    }

    @Test
    void should_refuse_to_size_a_model_without_a_token_cache() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> model("mamba-codestral-7b"));
        assertTrue(e.getMessage().startsWith("mamba-codestral-7b caches no tokens"), e.getMessage());
    }

    /** What a notebook does with a repo id the catalog does not hold: model("org/name"). */
    public static void main(String[] args) {
        System.out.println(model(args[0]).model().params());
    }

    @Test
    void should_size_a_repo_from_the_local_hugging_face_cache() throws Exception {
        // Llama-3.1-8B's config.json fields (https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/config.json).
        Path snapshot = Files.createDirectories(dir.resolve("hub/models--acme--private-llama/snapshots/0123abcd"));
        Files.writeString(snapshot.resolve("config.json"), """
                {"model_type": "llama", "hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32,
                 "num_key_value_heads": 8, "intermediate_size": 14336, "vocab_size": 128256, "tie_word_embeddings": false,
                 "max_position_embeddings": 131072, "torch_dtype": "bfloat16"}
                """);

        String out = run(dir.resolve("hub"), "acme/private-llama");

        assertEquals("8030261248", out.strip()); // MODEL.md: Llama-3.1-8B
    }

    /** Runs {@link #main} in its own process, the cache location in HF_HUB_CACHE as huggingface_hub sets it. */
    private static String run(Path hub, String repo) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Sizing_findTest.class.getName(), repo);
        pb.environment().remove("HF_HOME");
        pb.environment().put("HF_HUB_CACHE", hub.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe did not finish");
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
