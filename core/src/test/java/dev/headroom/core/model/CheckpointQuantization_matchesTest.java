package dev.headroom.core.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Module patterns as quantizers write them, against this project's tensor names. */
class CheckpointQuantization_matchesTest {

    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource({
            // A module name matches itself and every tensor under it.
            "lm_head,                            lm_head",
            "model.layers.3.self_attn,           model.layers.3.self_attn.q_proj",
            // ModelOpt's fnmatch: * spans dots.
            "model.layers.0.self_attn*,          model.layers.0.self_attn.o_proj",
            "model.layers.*.mlp.shared_experts*, model.layers.12.mlp.shared_experts.up_proj",
            // compressed-tensors: re: matches from the start of the name.
            "re:.*self_attn.*,                   model.layers.7.self_attn.k_proj",
            "re:.*mlp\\.(gate|up|gate_up|down)_proj.*, model.layers.0.mlp.down_proj",
    })
    void should_match(String pattern, String tensor) {
        assertTrue(CheckpointQuantization.matches(pattern, tensor));
    }

    @ParameterizedTest(name = "{0} !~ {1}")
    @CsvSource({
            "model.layers.1.mlp,                 model.layers.12.mlp.up_proj",
            "model.layers.0.self_attn*,          model.layers.1.self_attn.q_proj",
            "re:.*self_attn.*,                   model.layers.7.mlp.experts",
            "re:.*mlp\\.(gate|up|gate_up|down)_proj.*, model.layers.0.mlp.experts",
    })
    void should_not_match(String pattern, String tensor) {
        assertFalse(CheckpointQuantization.matches(pattern, tensor));
    }
}
