package dev.headroom.core.catalog;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * The readers of prices, API prices, GPU files and config.json, fed the bad files in {@code bad-inputs/readers.csv}:
 * each fails with one {@link InvalidInputException} line naming the file's field and the value. One line adds a case.
 */
class Readers_badInputsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}: {2} = {3}")
    @CsvFileSource(resources = "/bad-inputs/readers.csv", delimiter = '|', quoteCharacter = '`')
    void should_name_the_field_and_the_value(String reader, String text, String names, String value) throws Exception {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> read(reader, text));

        String message = e.getMessage();
        assertFalse(message.contains("\n"), "one line: " + message);
        assertTrue(message.contains(names), "names '" + names + "': " + message);
        assertTrue(message.contains(value), "names the value '" + value + "': " + message);
    }

    private Object read(String reader, String text) throws Exception {
        return switch (reader) {
            case "price" -> PriceReader.gpuPrice(Json.parse(text, "price.json"));
            case "api-price" -> PriceReader.apiPrice(Json.parse(text, "api-price.json"));
            case "gpu" -> GpuReader.read(Files.writeString(dir.resolve("gpu.json"), text));
            case "config" -> ModelConfigReader.read(Files.writeString(Files.createDirectories(dir.resolve("m")).resolve("config.json"), text));
            default -> throw new IllegalArgumentException("no reader " + reader);
        };
    }
}
