package dev.headroom.core.model;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Parameter counts come from the architecture, tensor by tensor, and equal the published counts. */
class ModelSpec_paramsTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            // MODEL.md "Parameters": published exact counts to match.
            "llama-3.1-8b,     8030261248",
            "llama-3.1-70b,   70553706496",
            "llama-3.1-405b, 405853388800",
            "mixtral-8x7b,    46702792704",
            "qwen2.5-72b,     72706203648",
            "mistral-7b,       7241732096",
            "qwen2.5-7b,       7615616512",
            "gemma-2-9b,       9241705984",
            "phi-3-mini,       3821079552",
            // MODEL.md "Parameters": DeepSeek-V3 main model without the MTP layer (validation/architectures.json params_main_computed).
            "deepseek-v3,    671026419200",
    })
    void should_count_the_published_parameters_exactly(String id, long published) {
        assertEquals(published, Catalog.profile(id).params());
    }

    @ParameterizedTest(name = "{0}: {1} active")
    @CsvSource({
            // validation/architectures.json active_params_computed; MODEL.md: DeepSeek-V3 ≈ 37.5B active.
            "deepseek-v3,  37552297472",
            "mixtral-8x7b, 12879925248",
    })
    void should_count_the_published_active_parameters_exactly(String id, long published) {
        assertEquals(published, Catalog.profile(id).activeParams());
    }

    @Test
    void should_keep_active_equal_to_total_for_dense_models() {
        for (String id : Catalog.modelIds()) {
            ModelProfile m = Catalog.profile(id);
            if (!m.spec().isMoe()) {
                assertEquals(m.params(), m.activeParams(), m.id());
            }
        }
    }

    @Test
    void should_agree_with_the_counts_in_validation_architectures_json() {
        // GIVEN every entry of validation/architectures.json (source: published configs / model cards)
        JsonNode root = CatalogFiles.architectures();
        List<String> checked = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode a = e.getValue();
            // WHEN the source's name is looked up in the catalog (id or Hugging Face repo name)
            ModelProfile m = Catalog.profile(e.getKey());
            // THEN every stated count matches exactly (validation/README.md: "exact for parameter counts and KV bytes")
            if (a.has("params")) {
                assertEquals(a.get("params").asLong(), m.params(), e.getKey() + " params");
            }
            if (a.has("params_main_computed")) {
                assertEquals(a.get("params_main_computed").asLong(), m.params(), e.getKey() + " params (main model)");
            }
            if (a.has("active_params_computed")) {
                assertEquals(a.get("active_params_computed").asLong(), m.activeParams(), e.getKey() + " active params");
            }
            if (a.has("kv_bytes_per_token_bf16_mla")) {
                assertEquals(a.get("kv_bytes_per_token_bf16_mla").asLong(), m.kvBytesPerToken(Precision.BF16), e.getKey() + " KV/token");
            }
            checked.add(e.getKey());
        }
        assertTrue(checked.size() >= 10, "architectures.json should hold the ten MODEL.md models, got " + checked);
    }

    @Test
    void should_read_the_same_architecture_as_validation_architectures_json() {
        // The catalog and the validation data describe the same configs; a drift in either shows here.
        JsonNode root = CatalogFiles.architectures();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode a = e.getValue();
            ModelSpec m = Catalog.model(e.getKey());
            String k = e.getKey();
            assertEquals(a.get("hidden_size").asInt(), m.hiddenSize(), k + " hidden_size");
            assertEquals(a.get("num_hidden_layers").asInt(), m.layerCount(), k + " num_hidden_layers");
            assertEquals(a.get("num_attention_heads").asInt(), m.attention().parallelHeads(), k + " num_attention_heads");
            assertEquals(a.get("vocab_size").asInt(), m.vocabSize(), k + " vocab_size");
            assertEquals(a.get("tie_word_embeddings").asBoolean(), m.tiedEmbeddings(), k + " tie_word_embeddings");
            if (a.has("num_key_value_heads") && m.attention() instanceof Attention at) {
                assertEquals(a.get("num_key_value_heads").asInt(), at.kvHeads(), k + " num_key_value_heads");
            }
            if (a.has("head_dim") && m.attention() instanceof Attention at) {
                assertEquals(a.get("head_dim").asInt(), at.headDim(), k + " head_dim");
            }
            if (a.has("kv_lora_rank")) {
                LatentAttention la = (LatentAttention) m.attention();
                assertEquals(a.get("kv_lora_rank").asInt(), la.kvLoraRank(), k + " kv_lora_rank");
                assertEquals(a.get("qk_rope_head_dim").asInt(), la.qkRopeHeadDim(), k + " qk_rope_head_dim");
            }
        }
    }

    static Stream<Arguments> modelsWithPublishedParams() {
        return CatalogFiles.files("models").stream()
                .map(f -> Map.entry(f, CatalogFiles.read(f)))
                .filter(e -> e.getValue().has("published_params"))
                .map(e -> Arguments.of(CatalogFiles.baseName(e.getKey()), e.getValue().get("published_params").asLong(),
                        e.getValue().has("published_params_note") ? e.getValue().get("published_params_note").asText() : ""));
    }

    @ParameterizedTest(name = "{0}: published {1}")
    @MethodSource("modelsWithPublishedParams")
    void should_match_the_catalogs_published_params_within_the_stated_rounding(String id, long published, String note) {
        // A "Rounded" note (e.g. "671B total") allows half a unit of the last stated digit, a "Truncated" one (the card
        // cuts digits: 7.6156B shown as 7.61B) a whole unit above it; otherwise exact.
        String n = note.toLowerCase();
        long allowed = n.contains("rounded") ? halfUnitOfLastDigit(published) : 0;
        if (n.contains("truncated")) {
            long unit = 2 * halfUnitOfLastDigit(published);
            long counted = Catalog.profile(id).params();
            assertTrue(counted >= published && counted < published + unit,
                    id + ": counted " + counted + ", published (truncated) " + published + " + < " + unit);
            return;
        }
        long counted = Catalog.profile(id).params();
        assertTrue(Math.abs(counted - published) <= allowed,
                id + ": counted " + counted + ", published " + published + " ±" + allowed + " (" + note + ")");
    }

    @Test
    void should_read_rounding_from_the_last_stated_digit() {
        assertEquals(500_000_000L, halfUnitOfLastDigit(671_000_000_000L));
        assertEquals(50_000_000L, halfUnitOfLastDigit(5_100_000_000L));
        assertEquals(0L, halfUnitOfLastDigit(8_030_261_249L));
    }

    private static long halfUnitOfLastDigit(long published) {
        long unit = 1;
        while (published % (unit * 10) == 0) {
            unit *= 10;
        }
        return unit / 2;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // gpt-oss model card (OpenAI, 2025-08), parameter table: total 20.91B / 116.83B (two decimals).
            "gpt-oss-20b,  20.91",
            "gpt-oss-120b, 116.83",
    })
    void should_match_the_gpt_oss_model_card_totals(String id, double billions) {
        assertEquals(billions, Catalog.profile(id).params() / 1e9, 0.005 + 1e-9, id);
    }

    @Test
    void should_count_a_token_touching_only_top_k_of_every_routed_tensor() {
        // Law (ModelSpec.activeParams doc): shared weights plus top-k of the routed experts. A tensor that
        // belongs to the routed experts (Tensor.routed, e.g. gpt-oss expert biases) is touched k/E of the time.
        for (String id : Catalog.modelIds()) {
            ModelProfile m = Catalog.profile(id);
            if (!m.spec().isMoe()) {
                continue;
            }
            long expected = 0;
            for (Tensor t : m.tensors()) {
                MoeFfn moe = t.routed() ? (MoeFfn) m.spec().layers().get(t.layer()).ffn() : null;
                expected += t.routed() ? t.params() / moe.experts() * moe.topK() : t.params();
            }
            assertEquals(expected, m.activeParams(), m.id() + ": routed tensors counted as always active");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // gpt-oss model card (OpenAI, 2025-08): active parameters per token 3.61B / 5.13B. The card counts
            // the unembedding but not the embedding lookup, so the embedding table (vocab x hidden) is left out here.
            "gpt-oss-20b,  3.61",
            "gpt-oss-120b, 5.13",
    })
    void should_match_the_gpt_oss_model_card_active_params(String id, double billions) {
        ModelProfile m = Catalog.profile(id);
        long embedding = (long) m.spec().vocabSize() * m.spec().hiddenSize();
        assertEquals(billions, (m.activeParams() - embedding) / 1e9, 0.005 + 1e-9, id);
    }

    @Test
    void should_not_depend_on_where_the_config_came_from() {
        // A user's config.json with the same fields as the catalog entry counts the same parameters.
        Path file = CatalogFiles.dir("models").resolve("llama-3.1-8b.json");
        assertEquals(8_030_261_248L, ModelProfile.of(ModelConfigReader.read(file)).params()); // MODEL.md: Llama-3.1-8B
    }
}
