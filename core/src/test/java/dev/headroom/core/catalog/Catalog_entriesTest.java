package dev.headroom.core.catalog;

import dev.headroom.core.base.*;
import dev.headroom.core.precision.*;
import dev.headroom.core.hardware.*;
import dev.headroom.core.workload.*;
import dev.headroom.core.model.*;
import dev.headroom.core.engine.*;
import dev.headroom.core.memory.*;
import dev.headroom.core.perf.*;
import dev.headroom.core.cost.*;
import dev.headroom.core.catalog.*;
import dev.headroom.core.plan.*;
import dev.headroom.core.*;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** STYLE.md section 9: a catalog entry is data with provenance. */
class Catalog_entriesTest {

    /** Every kind of entry: models, GPUs, and prices (GPU hours, API tokens, purchases). */
    static Stream<Path> everyCatalogFile() {
        return Stream.of("models", "gpus", "prices", "api-prices", "purchase-prices").flatMap(f -> CatalogFiles.files(f).stream());
    }

    static Stream<Path> modelFiles() {
        return CatalogFiles.files("models").stream();
    }

    static Stream<Path> gpuFiles() {
        return CatalogFiles.files("gpus").stream();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"models", "gpus", "prices", "api-prices", "purchase-prices"})
    void should_have_entries_in_every_catalog_folder(String folder) {
        assertFalse(CatalogFiles.files(folder).isEmpty(), "catalog/" + folder + " holds no JSON file");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyCatalogFile")
    void should_carry_a_source_and_an_iso_verified_date(Path file) {
        JsonNode j = CatalogFiles.read(file);
        JsonNode source = j.get("source");
        assertTrue(source != null && source.isTextual() && !source.asText().isBlank(), file + ": 'source' is missing or blank");
        JsonNode verified = j.get("verified");
        assertTrue(verified != null && verified.isTextual(), file + ": 'verified' is missing");
        assertTrue(verified.asText().matches("\\d{4}-\\d{2}-\\d{2}"), file + ": verified '" + verified.asText() + "' is not yyyy-mm-dd");
        try {
            LocalDate.parse(verified.asText());
        } catch (DateTimeParseException e) {
            throw new AssertionError(file + ": verified '" + verified.asText() + "' is not a calendar date", e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modelFiles")
    void should_name_each_model_file_after_its_id(Path file) {
        assertEquals(CatalogFiles.baseName(file), CatalogFiles.read(file).get("id").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modelFiles")
    void should_load_each_model_by_id_and_by_hf_repo(Path file) {
        JsonNode j = CatalogFiles.read(file);
        String id = j.get("id").asText();
        String repo = j.get("hf_repo").asText();

        ModelSpec byId = Catalog.model(id);
        ModelSpec byRepo = Catalog.model(repo);

        assertEquals(id, byId.id());
        assertSame(byId, byRepo, repo + " should resolve to catalog entry " + id);
        assertEquals(j.get("source").asText(), byId.provenance().source());
        assertEquals(j.get("verified").asText(), byId.provenance().verified());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gpuFiles")
    void should_name_each_gpu_file_after_its_id_and_load_it(Path file) {
        JsonNode j = CatalogFiles.read(file);
        String id = j.get("id").asText();
        assertEquals(CatalogFiles.baseName(file), id);

        Gpu g = Catalog.gpu(id);

        assertEquals(id, g.id());
        assertEquals(j.get("memory_bytes").asLong(), g.memoryBytes());
        assertEquals(j.get("source").asText(), g.provenance().source());
    }

    @Test
    void should_list_every_catalog_file_and_nothing_else() {
        Set<String> modelIds = modelFiles().map(CatalogFiles::baseName).collect(Collectors.toSet());
        Set<String> gpuIds = gpuFiles().map(CatalogFiles::baseName).collect(Collectors.toSet());

        assertEquals(modelIds, Catalog.models().stream().map(ModelSpec::id).collect(Collectors.toSet()));
        assertEquals(modelIds.size(), Catalog.models().size(), "a model listed twice");
        assertEquals(gpuIds, Catalog.gpus().stream().map(Gpu::id).collect(Collectors.toSet()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("priceFiles")
    void should_price_only_catalog_gpus_in_files_named_gpu_dash_dash_provider(Path file) {
        JsonNode j = CatalogFiles.read(file);
        String gpu = j.get("gpu").asText();
        assertEquals(gpu + "--" + j.get("provider").asText(), CatalogFiles.baseName(file));
        assertNotNull(Catalog.gpu(gpu));
        assertTrue(j.get("on_demand_usd_per_gpu_hour").asDouble() > 0, file + ": price must be positive");
    }

    static Stream<Path> priceFiles() {
        return CatalogFiles.files("prices").stream();
    }

    static Stream<Path> apiPriceFiles() {
        return CatalogFiles.files("api-prices").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apiPriceFiles")
    void should_link_api_prices_only_to_catalog_models(Path file) {
        JsonNode j = CatalogFiles.read(file);
        JsonNode model = j.get("catalog_model");
        if (model != null && !model.isNull()) {
            assertEquals(model.asText(), Catalog.model(model.asText()).id());
        }
        assertTrue(j.get("usd_per_million_output_tokens").asDouble() > 0, file + ": output price must be positive");
    }

    @Test
    void should_suggest_the_nearest_gpu_first_for_an_unknown_name() {
        // STYLE.md section 4: "unknown GPU 'h100' — known: h100-sxm, h100-pcie, h200, ..."
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Catalog.gpu("h100"));

        assertTrue(e.getMessage().contains("'h100'"), e.getMessage());
        List<String> known = Messages.known(e.getMessage());
        assertTrue(known.get(0).startsWith("h100"), "nearest first, got " + known);
        assertEquals(gpuFiles().count(), Messages.knownCount(e.getMessage()), "every GPU accounted for");
    }

    @Test
    void should_suggest_the_nearest_model_first_for_an_unknown_name() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Catalog.model("lama-3-8b"));

        List<String> known = Messages.known(e.getMessage());
        assertEquals("llama-3-8b", known.get(0), e.getMessage());
        assertEquals(modelFiles().count(), Messages.knownCount(e.getMessage()), "every model accounted for");
    }
}
