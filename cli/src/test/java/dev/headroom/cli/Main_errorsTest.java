package dev.headroom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** STYLE.md section 4: a user mistake exits 2 with one line naming the field, the value and the valid options. */
class Main_errorsTest {
    private static final String[] BASE = {"estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm"};

    private static Cli estimate(String... extra) {
        String[] args = Arrays.copyOf(BASE, BASE.length + extra.length);
        System.arraycopy(extra, 0, args, BASE.length, extra.length);
        return Cli.run(args);
    }


    private static final java.util.regex.Pattern MORE = java.util.regex.Pattern.compile(", \\.\\.\\. \\((\\d+) more\\)$");

    /** The names an unknown-name message lists, nearest first. */
    private static List<String> known(String message) {
        int at = message.indexOf("known: ");
        assertTrue(at >= 0, "lists the known names: " + message);
        String tail = MORE.matcher(message).replaceFirst("");
        return Arrays.stream(tail.substring(at + "known: ".length()).split(",")).map(String::trim).toList();
    }

    /** Names listed plus the "(N more)" the message says it left out. */
    private static int knownCount(String message) {
        java.util.regex.Matcher m = MORE.matcher(message);
        return known(message).size() + (m.find() ? Integer.parseInt(m.group(1)) : 0);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "--model,  lama-3-8b, llama-3-8b",
            "--gpu,    h100,      h100",
            "--engine, vlm,       vllm",
            "--weights, int3,     int",
            "--kv-dtype, fp9,     fp",
    })
    void should_name_an_unknown_value_and_list_known_ones_nearest_first(String option, String value, String nearest) {
        Cli r = option.equals("--model") ? Cli.run("estimate", "--model", value, "--gpu", "h100-sxm")
                : option.equals("--gpu") ? Cli.run("estimate", "--model", "llama-3.1-8b", "--gpu", value)
                : estimate(option, value);

        String line = r.userMistake();

        assertTrue(line.contains("'" + value + "'"), line);
        assertTrue(line.startsWith("unknown"), line);
        assertTrue(known(line).get(0).startsWith(nearest), "nearest first: " + line);
        assertTrue(known(line).size() > 2, line);
    }

    @Test
    void should_suggest_the_gpus_that_extend_the_typed_name_first() {
        String line = Cli.run("estimate", "--model", "llama-3.1-8b", "--gpu", "a100").userMistake();

        // every A100 the catalog holds extends "a100", so they lead, alphabetically
        assertEquals(List.of("a100-40gb", "a100-40gb-pcie", "a100-80gb", "a100-80gb-pcie"), known(line).subList(0, 4), line);
    }

    @Test
    void should_list_every_catalog_gpu_for_an_unknown_gpu() throws Exception {
        String line = Cli.run("estimate", "--model", "llama-3.1-8b", "--gpu", "h100").userMistake();

        try (var files = Files.list(Path.of("..", "catalog", "gpus"))) {
            List<String> ids = files.map(p -> p.getFileName().toString().replace(".json", "")).toList();
            // the nearest names are listed and the rest counted ("... (N more)"): every GPU accounted for
            assertTrue(ids.containsAll(known(line)), line);
            assertEquals(ids.size(), knownCount(line), line);
        }
    }

    @Test
    void should_name_tp_when_it_does_not_divide_the_heads() {
        String line = estimate("--tp", "3").userMistake();
        assertTrue(line.contains("--tp = 3"), line);
        assertTrue(line.contains("32"), "names the 32 heads of llama-3.1-8b: " + line);
    }

    @Test
    void should_name_the_batch_when_it_is_zero() {
        String line = estimate("--batch", "0").userMistake();
        assertTrue(line.contains("--batch = 0"), line);
    }

    @Test
    void should_name_gpu_memory_utilization_above_one() {
        String line = estimate("--gpu-memory-utilization", "1.5").userMistake();
        assertTrue(line.contains("gpu_memory_utilization") || line.contains("gpu-memory-utilization"), line);
        assertTrue(line.contains("1.5"), line);
    }

    @Test
    void should_name_max_model_len_beyond_the_model() {
        // llama-3.1-8b: max_position_embeddings 131072
        String line = estimate("--max-model-len", "200000").userMistake();
        assertTrue(line.contains("max_model_len") || line.contains("max-model-len"), line);
        assertTrue(line.contains("200000") && line.contains("131072"), line);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
            "--mem-fraction-static,       0.8, vllm",
            "--free-gpu-memory-fraction,  0.8, vllm",
            "--gpu-memory-utilization,    0.8, sglang",
            "--n-parallel,                2,   trtllm",
            "--block-size,                16,  llamacpp",
    })
    void should_reject_a_knob_of_another_engine_naming_it(String option, String value, String engine) {
        String line = estimate("--engine", engine, option, value).userMistake();
        assertTrue(line.contains(option), line);
        assertTrue(line.contains(engine), line);
    }

    @Test
    void should_name_the_file_for_a_config_that_is_not_json(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("config.json"), "{\"hidden_size\": 4096,");

        String line = Cli.run("estimate", "--model", file.toString(), "--gpu", "h100-sxm").userMistake();

        assertTrue(line.contains(file.toString()), line);
        assertTrue(line.contains("JSON"), line);
    }

    @Test
    void should_name_the_file_and_the_missing_field_of_a_config(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("config.json"), """
                {"model_type": "llama", "hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 8,
                 "intermediate_size": 14336, "vocab_size": 128256, "max_position_embeddings": 131072}
                """);

        String line = Cli.run("estimate", "--model", file.toString(), "--gpu", "h100-sxm").userMistake();

        assertTrue(line.contains(file.toString()), line);
        assertTrue(line.contains("num_hidden_layers"), line);
    }

    @Test
    void should_name_the_file_of_a_broken_gpu_file(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("my-gpu.json"), "{\"id\": \"my-gpu\", \"name\": \"mine\", \"vendor\": \"x\"}");

        String line = Cli.run("estimate", "--model", "llama-3.1-8b", "--gpu", file.toString()).userMistake();

        assertTrue(line.contains(file.toString()), line);
    }

    @Test
    void should_exit_2_without_a_stack_trace_on_a_malformed_number() {
        Cli r = estimate("--batch", "many");
        assertEquals(2, r.exit());
        assertFalse(r.err().contains("at dev."), r.err());
        assertTrue(r.err().contains("--batch"), r.err());
    }
}
