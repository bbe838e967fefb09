package dev.headroom.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.model.Attention;
import dev.headroom.core.model.DenseFfn;
import dev.headroom.core.model.LinearReplacement;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.model.MoeFfn;
import dev.headroom.core.precision.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Layer shapes that only some configs spell: each read from a small config written for the test. */
class ModelConfigReader_layersTest {
    @TempDir
    Path dir;

    private ModelSpec read(String json) throws IOException {
        return ModelConfigReader.read(Files.writeString(dir.resolve("config.json"), json));
    }

    private InvalidInputException refused(String json) throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), json);
        return assertThrows(InvalidInputException.class, () -> ModelConfigReader.read(file));
    }

    @Test
    void should_replace_blocks_with_one_hidden_square_linear() throws IOException {
        // modeling_decilm: replace_with_linear attention is self_attn.linear_attn, an MLP is mlp.linear_mlp, both
        // nn.Linear(hidden, hidden, bias=False); each keeps its RMSNorm.
        ModelSpec m = read("""
                {"model_type": "nemotron-nas", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
                 "vocab_size": 100, "max_position_embeddings": 128, "tie_word_embeddings": false,
                 "block_configs": [
                   {"attention": {"replace_with_linear": true, "no_op": false}, "ffn": {"ffn_mult": 1.5, "no_op": false}},
                   {"attention": {"n_heads_in_group": 2, "no_op": false}, "ffn": {"replace_with_linear": true, "no_op": false}}]}
                """);

        assertInstanceOf(LinearReplacement.class, m.layers().get(0).mixer());
        assertInstanceOf(LinearReplacement.class, m.layers().get(1).ffn());
        assertEquals(2, ((Attention) m.layers().get(1).mixer()).kvHeads(), "4 heads / n_heads_in_group 2");
        ModelProfile p = ModelProfile.of(m);
        assertTrue(p.tensors().stream().anyMatch(t -> t.name().equals("model.layers.0.self_attn.linear_attn") && t.params() == 64 * 64));
        assertTrue(p.tensors().stream().anyMatch(t -> t.name().equals("model.layers.1.mlp.linear_mlp") && t.params() == 64 * 64));
        // Only layer 1 caches: 2 KV heads x head_dim 16 (64 / 4) x keys and values x 2 bytes.
        assertEquals(2L * 16 * 2 * 2, p.kvBytesPerToken(Precision.BF16));
    }

    @Test
    void should_read_moe_layer_freq_as_a_flag_per_layer() throws IOException {
        ModelSpec m = read("""
                {"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 3, "num_attention_heads": 4,
                 "intermediate_size": 128, "vocab_size": 100, "max_position_embeddings": 128,
                 "n_routed_experts": 4, "num_experts_per_tok": 2, "moe_intermediate_size": 32, "moe_layer_freq": [0, 1, 1]}
                """);

        assertInstanceOf(DenseFfn.class, m.layers().get(0).ffn());
        assertInstanceOf(MoeFfn.class, m.layers().get(1).ffn());
        assertInstanceOf(MoeFfn.class, m.layers().get(2).ffn());
    }

    @Test
    void should_name_a_moe_layer_freq_list_of_the_wrong_length() throws IOException {
        InvalidInputException e = refused("""
                {"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 3, "num_attention_heads": 4,
                 "intermediate_size": 128, "vocab_size": 100, "max_position_embeddings": 128,
                 "n_routed_experts": 4, "num_experts_per_tok": 2, "moe_layer_freq": [0, 1]}
                """);
        assertTrue(e.getMessage().contains("moe_layer_freq lists 2 layers but num_hidden_layers = 3"), e.getMessage());
    }

    @Test
    void should_ask_a_state_space_model_for_the_context_it_serves() throws IOException {
        InvalidInputException e = refused("""
                {"model_type": "mamba2", "hidden_size": 64, "num_hidden_layers": 2, "num_heads": 2, "head_dim": 64,
                 "state_size": 16, "n_groups": 1, "vocab_size": 100}
                """);
        assertTrue(e.getMessage().contains("max_position_embeddings") && e.getMessage().contains("no position limit"), e.getMessage());
    }

    @Test
    void should_read_n_head_kv_as_falcons_new_decoder() throws IOException {
        // convert_custom_code_checkpoint.py: a RefinedWeb config with n_head_kv is the new decoder architecture.
        ModelSpec m = read("""
                {"model_type": "RefinedWeb", "hidden_size": 256, "n_layer": 2, "n_head": 8, "n_head_kv": 2,
                 "vocab_size": 100, "bias": false, "parallel_attn": true}
                """);
        assertEquals("falcon", m.modelType());
        assertEquals(2, ((Attention) m.attention()).kvHeads());
        assertEquals(2 * 2 * 256L, m.layers().get(0).normValues(), "ln_attn and ln_mlp");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gemma4_text", "kimi_linear", "deepseek_v4", "step3p7", "minimax_m3"})
    void should_refuse_families_it_would_count_wrong(String type) throws IOException {
        InvalidInputException e = refused("{\"model_type\": \"" + type + "\", \"hidden_size\": 64, \"num_hidden_layers\": 2}");
        assertTrue(e.getMessage().contains("'" + type + "'") && e.getMessage().contains("not modelled"), e.getMessage());
    }

    @Test
    void should_list_the_block_types_nemotron_h_knows() throws IOException {
        InvalidInputException e = refused("""
                {"model_type": "nemotron_h", "hidden_size": 64, "layers_block_type": ["mamba", "conv"], "vocab_size": 100,
                 "max_position_embeddings": 128}
                """);
        assertTrue(e.getMessage().contains("'conv'") && e.getMessage().contains("mamba"), e.getMessage());
    }
}
