package dev.headroom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Main_catalogTest {

    /** The ids in ../catalog/&lt;folder&gt;, read from the files themselves. */
    private static List<String> ids(String folder) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "catalog", folder))) {
            return files.filter(p -> p.toString().endsWith(".json"))
                    .map(p -> p.getFileName().toString().replace(".json", "")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "catalog {0}")
    @ValueSource(strings = {"models", "gpus"})
    void should_list_every_entry_as_text(String kind) throws IOException {
        Cli r = Cli.run("catalog", kind);

        assertEquals(0, r.exit(), r.err());
        Set<String> firstColumn = new HashSet<>();
        r.out().lines().skip(1).forEach(l -> firstColumn.add(l.split("\\s+")[0]));
        assertEquals(new HashSet<>(ids(kind)), firstColumn, r.out());
        assertEquals(ids(kind).size() + 1, r.out().lines().count(), "a header and one line per entry");
    }

    @ParameterizedTest(name = "catalog {0} --format json")
    @ValueSource(strings = {"models", "gpus"})
    void should_list_every_entry_with_its_source_as_json(String kind) throws IOException {
        Cli r = Cli.run("catalog", kind, "--format", "json");

        assertEquals(0, r.exit(), r.err());
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertEquals(ids(kind).size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            assertEquals(ids(kind).get(i), row.get("id").asText(), "sorted by id");
            assertTrue(!row.get("source").asText().isBlank(), row.toString());
            assertTrue(row.get("verified").asText().matches("\\d{4}-\\d{2}-\\d{2}"), row.toString());
        }
    }

    @ParameterizedTest(name = "catalog {0} --format csv")
    @ValueSource(strings = {"models", "gpus"})
    void should_list_every_entry_as_csv(String kind) throws IOException {
        Cli r = Cli.run("catalog", kind, "--format", "csv");

        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(ids(kind).size() + 1, lines.size());
        int columns = Csv.cells(lines.get(0)).size();
        lines.forEach(l -> assertEquals(columns, Csv.cells(l).size(), l));
    }

    @ParameterizedTest(name = "--min-params {0}")
    @ValueSource(strings = {"7b", "1.5B", "500m", "70e9", "7000000000"})
    void should_take_the_forms_people_write_sizes_in(String size) {
        assertEquals(0, Cli.run("catalog", "models", "--min-params", size).exit());
    }

    @Test
    void should_list_one_family_above_a_size() throws Exception {
        JsonNode rows = Cli.json("catalog", "models", "--family", "qwen", "--min-params", "30b", "--format", "json");

        assertTrue(rows.size() > 0);
        Set<String> ids = new HashSet<>();
        for (JsonNode row : rows) {
            assertEquals("qwen", row.get("family").asText(), row.toString());
            assertTrue(Long.parseLong(row.get("params").asText().replace(",", "")) >= 30_000_000_000L, row.toString());
            ids.add(row.get("id").asText());
        }
        assertTrue(ids.contains("qwen3-32b") && !ids.contains("qwen3-8b"), ids.toString());
    }

    @ParameterizedTest(name = "--max-params [{0}]")
    @ValueSource(strings = {"abc", "7x", "-5b", "7 billion"})
    void should_name_the_option_the_value_and_the_accepted_forms(String size) {
        String line = Cli.run("catalog", "models", "--max-params", size).userMistake();

        assertTrue(line.startsWith("--max-params = '" + size + "'"), line);
        assertTrue(line.contains("7b, 1.5B, 500m, 70e9"), line);
    }

    @Test
    void should_list_the_families_for_an_unknown_one() {
        String line = Cli.run("catalog", "models", "--family", "qwn").userMistake();
        assertTrue(line.startsWith("unknown family 'qwn' — known: qwen"), line);
    }

    @Test
    void should_list_one_vendors_gpus() throws Exception {
        JsonNode rows = Cli.json("catalog", "gpus", "--vendor", "amd", "--format", "json");

        Set<String> expected = new HashSet<>();
        for (String id : ids("gpus")) {
            JsonNode file = new ObjectMapper().readTree(Path.of("..", "catalog", "gpus", id + ".json").toFile());
            if (file.get("vendor").asText().equals("amd")) {
                expected.add(id);
            }
        }
        Set<String> listed = new HashSet<>();
        rows.forEach(r -> listed.add(r.get("id").asText()));
        assertEquals(expected, listed);
    }

    @Test
    void should_list_the_vendors_for_an_unknown_one() {
        String line = Cli.run("catalog", "gpus", "--vendor", "nvdia").userMistake();
        assertTrue(line.startsWith("unknown vendor 'nvdia' — known: nvidia"), line);
        assertTrue(line.contains("amd") && line.contains("apple") && line.contains("intel"), line);
    }

    @Test
    void should_show_a_model_in_full() throws Exception {
        JsonNode m = Cli.json("catalog", "show", "llama-3.1-8b", "--format", "json");

        // MODEL.md: Llama-3.1-8B has 8,030,261,248 parameters and caches 131,072 bytes per token in bf16.
        assertEquals(8_030_261_248L, m.get("params").asLong());
        assertEquals(8_030_261_248L, m.get("published_params").asLong());
        assertEquals("+0.000%", m.get("params_vs_published").asText());
        assertEquals(131_072L, m.get("kv_bytes_per_token_bf16").asLong());
        assertEquals(131_072, m.get("max_context").asInt());
        for (String field : List.of("layers", "layer_kinds", "quantization", "aliases", "source", "verified")) {
            assertTrue(m.has(field) && !m.get(field).isNull(), field + " missing: " + m);
        }
    }

    @Test
    void should_show_a_gpu_with_every_field_of_its_file() throws Exception {
        JsonNode g = Cli.json("catalog", "show", "h100-sxm", "--format", "json");
        JsonNode file = new ObjectMapper().readTree(Path.of("..", "catalog", "gpus", "h100-sxm.json").toFile());

        file.fieldNames().forEachRemaining(f -> assertEquals(file.get(f), g.get(f), f));
    }

    @Test
    void should_show_one_entry_as_text_and_as_one_csv_row() {
        Cli text = Cli.run("catalog", "show", "qwen3-8b");
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith("kv_bytes_per_token_bf16")), text.out());

        Cli csv = Cli.run("catalog", "show", "mi300x", "--format", "csv");
        List<String> lines = csv.out().lines().toList();
        assertEquals(2, lines.size(), csv.out());
        assertEquals(Csv.cells(lines.get(0)).size(), Csv.cells(lines.get(1)).size());
    }

    @Test
    void should_suggest_the_nearest_entries_for_an_unknown_id() {
        String line = Cli.run("catalog", "show", "lama-3-8b").userMistake();
        assertTrue(line.startsWith("unknown catalog entry 'lama-3-8b' — known: llama-3-8b"), line);
    }

    @Test
    void should_ask_what_to_look_at() {
        String line = Cli.run("catalog").userMistake();
        assertTrue(line.contains("models, gpus or show"), line);
    }
}
