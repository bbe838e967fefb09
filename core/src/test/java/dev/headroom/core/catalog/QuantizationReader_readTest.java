package dev.headroom.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.model.Tensor;
import dev.headroom.core.model.WeightPolicy;
import dev.headroom.core.precision.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint's quantization as the quantizer wrote it: which format each tensor ships in. */
class QuantizationReader_readTest {
    /** Two Llama layers, small enough to list. */
    static final String LAYERS = """
            "model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
            "intermediate_size": 128, "vocab_size": 100, "max_position_embeddings": 128, "tie_word_embeddings": false
            """;

    @TempDir
    Path dir;

    private ModelProfile read(String json) throws IOException {
        return ModelProfile.of(ModelConfigReader.read(Files.writeString(dir.resolve("config.json"), json)));
    }

    /** The format a tensor loads in when the checkpoint is used as shipped. */
    private static Precision formatOf(ModelProfile p, String tensor) {
        ModelSpec m = p.spec();
        Tensor t = p.tensors().stream().filter(x -> x.name().equals(tensor)).findFirst().orElseThrow();
        return new WeightPolicy(m, m.defaultWeights()).precisionOf(t);
    }

    @Test
    void should_read_modelopts_hf_quant_config_with_glob_exclusions() throws IOException {
        // ModelOpt's exclude_modules are fnmatch patterns: "model.layers.0.self_attn*" keeps all of layer 0's attention.
        ModelProfile p = read("{" + LAYERS + """
                , "hf_quant_config": {"quantization": {"quant_algo": "NVFP4", "group_size": 16,
                   "exclude_modules": ["lm_head", "model.layers.0.self_attn*"]}}}
                """);

        assertEquals(Precision.NVFP4, p.spec().defaultWeights());
        assertEquals(Precision.BF16, formatOf(p, "model.layers.0.self_attn.q_proj"));
        assertEquals(Precision.NVFP4, formatOf(p, "model.layers.1.self_attn.q_proj"));
        assertEquals(Precision.NVFP4, formatOf(p, "model.layers.0.mlp.up_proj"));
    }

    @Test
    void should_read_compressed_tensors_regex_ignores_and_symmetric_int4() throws IOException {
        // compressed-tensors (Kimi K2.5's config): "re:" patterns match from the start of the module name; symmetric
        // group-32 int4 stores one 16-bit scale per 32 values.
        ModelProfile p = read("{\"text_config\": {" + LAYERS + """
                , "quantization_config": {"quant_method": "compressed-tensors", "format": "pack-quantized",
                   "config_groups": {"group_0": {"targets": ["Linear"], "weights": {"num_bits": 4, "group_size": 32, "symmetric": true}}},
                   "ignore": ["lm_head", "re:.*self_attn.*"]}}, "model_type": "kimi_k25"}
                """);

        assertEquals(Precision.int4Symmetric(32), p.spec().defaultWeights());
        assertEquals(18, Precision.int4Symmetric(32).blockBytes(), "16 bytes of values + a 2-byte scale");
        assertEquals(Precision.BF16, formatOf(p, "model.layers.1.self_attn.o_proj"));
        assertEquals(Precision.int4Symmetric(32), formatOf(p, "model.layers.1.mlp.down_proj"));
    }

    @Test
    void should_give_each_module_of_a_mixed_checkpoint_its_own_format() throws IOException {
        // ModelOpt MIXED_PRECISION: quantized_layers names every quantized module (a multimodal checkpoint prefixes
        // model.language_model.); the unlisted ones ship in 16 bits, and a listed lm_head is quantized.
        ModelProfile p = read("{" + LAYERS + """
                , "quantization_config": {"quant_method": "modelopt", "quant_algo": "MIXED_PRECISION",
                   "quantized_layers": {"model.language_model.layers.0.self_attn.q_proj": {"quant_algo": "FP8"},
                                        "model.language_model.layers.0.mlp.up_proj": {"quant_algo": "W4A16_NVFP4", "group_size": 16},
                                        "lm_head": {"quant_algo": "NVFP4", "group_size": 16}}}}
                """);

        assertEquals(Precision.NVFP4, p.spec().defaultWeights(), "named after its narrowest format");
        assertEquals(Precision.FP8, formatOf(p, "model.layers.0.self_attn.q_proj"));
        assertEquals(Precision.NVFP4, formatOf(p, "model.layers.0.mlp.up_proj"));
        assertEquals(Precision.BF16, formatOf(p, "model.layers.0.self_attn.k_proj"));
        assertEquals(Precision.NVFP4, formatOf(p, "lm_head"));
        assertEquals(Precision.BF16, formatOf(p, "model.embed_tokens"));
    }

    @Test
    void should_map_nemotron_h_checkpoint_names_to_its_layers() {
        // NVIDIA-Nemotron-3-Nano-30B-A3B-NVFP4 excludes backbone.layers.5.mixer.q_proj (layer 5 is attention, "*")
        // and backbone.layers.4.mixer.in_proj (a Mamba layer, "M"); layer 0's Mamba is not excluded.
        ModelProfile p = Catalog.profile("nemotron-3-nano-30b-a3b-nvfp4");
        assertEquals(Precision.BF16, formatOf(p, "model.layers.5.self_attn.q_proj"));
        assertEquals(Precision.BF16, formatOf(p, "model.layers.4.mamba.in_proj"));
        assertEquals(Precision.NVFP4, formatOf(p, "model.layers.0.mamba.in_proj"));
        assertEquals(Precision.NVFP4, formatOf(p, "model.layers.1.mlp.experts"));
    }

    @Test
    void should_name_the_file_when_a_pattern_is_not_a_regular_expression() throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), "{" + LAYERS + """
                , "quantization_config": {"quant_method": "compressed-tensors", "format": "float-quantized", "ignore": ["re:(unclosed"]}}
                """);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelConfigReader.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("(unclosed"), e.getMessage());
    }
}
