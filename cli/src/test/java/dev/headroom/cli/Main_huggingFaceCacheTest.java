package dev.headroom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own model by Hugging Face repo id: {@code --model org/name} reads its config.json from the local cache,
 * found through HF_HUB_CACHE or HF_HOME as huggingface_hub sets them. Run as a separate process, because the cache
 * location comes from the environment.
 */
class Main_huggingFaceCacheTest {
    /** Llama-3.1-8B's config.json fields (https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/config.json). */
    static final String LLAMA_3_1_8B = """
            {"model_type": "llama", "hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32,
             "num_key_value_heads": 8, "intermediate_size": 14336, "vocab_size": 128256, "tie_word_embeddings": false,
             "max_position_embeddings": 131072, "torch_dtype": "bfloat16", "_name_or_path": ""}
            """;

    @TempDir
    Path dir;

    private Path cache(Path hub) throws IOException {
        Path model = hub.resolve("models--acme--private-llama");
        Path snapshot = Files.createDirectories(model.resolve("snapshots/0123abcd"));
        Files.writeString(snapshot.resolve("config.json"), LLAMA_3_1_8B);
        Files.createDirectories(model.resolve("refs"));
        Files.writeString(model.resolve("refs/main"), "0123abcd");
        return hub;
    }

    private static Process headroom(Map<String, String> env, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("HF_HUB_CACHE");
        pb.environment().remove("HF_HOME");
        pb.environment().putAll(env);
        return pb.start();
    }

    private static JsonNode estimate(Map<String, String> env) throws Exception {
        Process p = headroom(env, "estimate", "--model", "acme/private-llama", "--gpu", "h100-sxm", "--format", "json");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the command line did not finish");
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        return new ObjectMapper().readTree(p.getInputStream());
    }

    @Test
    void should_read_a_repo_from_hf_hub_cache() throws Exception {
        JsonNode e = estimate(Map.of("HF_HUB_CACHE", cache(dir.resolve("hub")).toString()));

        assertEquals(8_030_261_248L, e.get("params").asLong()); // MODEL.md: Llama-3.1-8B
        assertEquals("acme/private-llama", e.get("model").asText());
    }

    @Test
    void should_read_a_repo_from_hf_home() throws Exception {
        cache(dir.resolve("hf-home/hub"));

        JsonNode e = estimate(Map.of("HF_HOME", dir.resolve("hf-home").toString()));

        assertEquals(8_030_261_248L, e.get("params").asLong());
    }

    @Test
    void should_suggest_catalog_names_when_the_repo_is_not_cached() throws Exception {
        Process p = headroom(Map.of("HF_HUB_CACHE", dir.toString()), "estimate", "--model", "acme/absent", "--gpu", "h100-sxm");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), err);
        assertTrue(err.startsWith("headroom: unknown model 'acme/absent'"), err);
    }
}
