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
}
