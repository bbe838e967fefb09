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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A user's own config.json: read like a catalog entry; every error names the file and the field. */
class ModelConfigReader_readTest {
    /** Llama-3.1-8B's config.json fields (https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/config.json). */
    static final String LLAMA_3_1_8B = """
            {"model_type": "llama", "hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32,
             "num_key_value_heads": 8, "intermediate_size": 14336, "vocab_size": 128256, "tie_word_embeddings": false,
             "max_position_embeddings": 131072, "torch_dtype": "bfloat16"}
            """;

    @TempDir
    Path dir;

    private Path write(String folder, String text) throws IOException {
        Path d = Files.createDirectories(dir.resolve(folder));
        return Files.writeString(d.resolve("config.json"), text);
    }

    @Test
    void should_read_a_users_config_and_name_it_after_its_folder() throws IOException {
        Path file = write("my-llama", LLAMA_3_1_8B);

        ModelSpec m = ModelConfigReader.read(file);

        assertEquals("my-llama", m.id());
        assertEquals(8_030_261_248L, ModelProfile.of(m).params()); // MODEL.md: Llama-3.1-8B
        assertEquals(131_072L, ModelProfile.of(m).kvBytesPerToken(Precision.BF16)); // MODEL.md: 128 KiB
        assertTrue(m.provenance().source().contains(file.toString()), m.provenance().source());
    }

    @Test
    void should_resolve_a_config_path_or_its_folder_through_the_catalog() throws IOException {
        Path file = write("folder-model", LLAMA_3_1_8B);

        assertEquals(8_030_261_248L, Catalog.profile(file.toString()).params());
        assertEquals(8_030_261_248L, Catalog.profile(file.getParent().toString()).params());
    }

    @Test
    void should_name_the_file_and_the_missing_field() throws IOException {
        Path file = write("no-layers", LLAMA_3_1_8B.replace("\"num_hidden_layers\": 32,", ""));

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Catalog.model(file.toString()));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("num_hidden_layers"), e.getMessage());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @ParameterizedTest(name = "text [{0}]")
    @ValueSource(strings = {"{", "not json", "{\"hidden_size\": }", "{\"a\": 1} trailing", "[1, 2]", ""})
    void should_name_the_file_when_it_is_not_a_json_object(String text) throws IOException {
        Path file = write("broken", text);

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelConfigReader.read(file));

        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void should_name_a_field_of_the_wrong_type() throws IOException {
        Path file = write("typed", LLAMA_3_1_8B.replace("\"hidden_size\": 4096", "\"hidden_size\": \"4096\""));

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelConfigReader.read(file));

        assertTrue(e.getMessage().contains("hidden_size") && e.getMessage().contains("whole number"), e.getMessage());
    }

    @Test
    void should_list_the_expected_torch_dtypes() throws IOException {
        Path file = write("dtype", LLAMA_3_1_8B.replace("bfloat16", "float8"));

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelConfigReader.read(file));

        assertTrue(e.getMessage().contains("torch_dtype") && e.getMessage().contains("float8")
                && e.getMessage().contains("bfloat16"), e.getMessage());
    }

    @Test
    void should_reject_kv_heads_that_do_not_divide_the_heads() throws IOException {
        Path file = write("gqa", LLAMA_3_1_8B.replace("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 5"));

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelConfigReader.read(file));

        assertTrue(e.getMessage().contains("num_key_value_heads = 5"), e.getMessage());
    }

    @Test
    void should_use_the_published_head_dim_over_hidden_over_heads() throws IOException {
        // MODEL.md notation: d = head_dim as published in config.json; only if absent hidden/n_q.
        Path file = write("head-dim", LLAMA_3_1_8B.replace("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 8, \"head_dim\": 256"));

        ModelSpec m = ModelConfigReader.read(file);

        assertEquals(256, ((Attention) m.attention()).headDim());
        assertEquals(2L * 32 * 8 * 256 * 2, ModelProfile.of(m).kvBytesPerToken(Precision.BF16));
    }
}
