package dev.headroom.core.engine;

import static dev.headroom.core.base.Bytes.GIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.Ranks;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.precision.Precision;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** SGLang's knobs in its own words (server_args.py), the defaults they fall back to, and what the scheduler reads from them. */
class Sglang_settingsTest {

    private static Map<String, String> values(Engine e) {
        return e.settings().stream().collect(Collectors.toMap(Engine.Setting::name, Engine.Setting::value));
    }

    @Test
    void should_show_each_unset_knob_as_its_default() {
        Map<String, String> v = values(Sglang.defaults());

        assertEquals("default by GPU and tp", v.get("mem_fraction_static"));
        assertEquals("model default", v.get("context_length"));
        assertEquals("default", v.get("chunked_prefill_size"));
        assertEquals("default", v.get("max_running_requests"));
        assertEquals("1", v.get("page_size"));
        assertEquals("default", v.get("cuda_graph_bs"));
        assertEquals("model dtype", v.get("mamba_ssm_dtype"));
        assertEquals("0.8", v.get("swa_full_tokens_ratio"));
        assertEquals("0.9", v.get("mamba_full_memory_ratio"));
    }

    @Test
    void should_show_each_set_knob_as_set() {
        Engine e = Sglang.defaults().withMemFractionStatic(0.7).withContextLength(4096).withChunkedPrefillSize(1024)
                .withMaxRunningRequests(32).with("cuda_graph_bs", "1,2,4").with("mamba_ssm_dtype", "fp32")
                .with("max_total_tokens", "5000");

        Map<String, String> v = values(e);

        assertEquals("0.7", v.get("mem_fraction_static"));
        assertEquals("4096", v.get("context_length"));
        assertEquals("1024", v.get("chunked_prefill_size"));
        assertEquals("32", v.get("max_running_requests"));
        assertEquals("5000", v.get("max_total_tokens"));
        assertEquals("[1, 2, 4]", v.get("cuda_graph_bs"));
        assertEquals(Precision.FP32.name(), v.get("mamba_ssm_dtype"));
        assertEquals(4096, e.maxLength());
        assertEquals(2048, Sglang.defaults().withMaxLength(2048).maxLength());
    }

    @Test
    void should_keep_recurrent_states_in_mamba_ssm_dtype_else_the_models_dtype() {
        // GIVEN a bf16 model
        var model = Ranks.llama8b();

        // THEN states are bf16 unless --mamba-ssm-dtype says otherwise
        assertEquals(model.activationDtype(), Sglang.defaults().stateFormat(model));
        assertEquals(Precision.FP32, Sglang.defaults().with("mamba_ssm_dtype", "fp32").stateFormat(model));
    }

    @Test
    void should_hold_the_prompt_and_the_decayed_new_token_ratio_of_the_output() {
        // GIVEN 1,000 prompt tokens and 200 output tokens: half the output is held, and the steady new_token_ratio
        // 0.7 x 0.14 = 0.098 reserves that share of the remaining half: 1,000 + 100 x 1.098 = 1,109.8
        assertEquals(1_109.8, Sglang.defaults().heldTokensPerRequest(1000, 200), 1e-9);
    }

    @Test
    void should_carry_chunked_prefill_size_tokens_per_step() {
        // 0.4.x: 2,048 below 25,000 MiB (an RTX 4090's 24,576), 8,192 above (an H100's 81,920)
        var model = Ranks.llama8b();
        assertEquals(2048, Sglang.at("0.4").tokensPerStep(model, Catalog.gpu("rtx-4090")));
        assertEquals(8192, Sglang.at("0.4").tokensPerStep(model, Catalog.gpu("h100-sxm")));
        assertEquals(512, Sglang.at("0.4").withChunkedPrefillSize(512).tokensPerStep(model, Catalog.gpu("h100-sxm")));
    }

    @Test
    void should_describe_the_defaults_it_resolved_on_the_rank() {
        // GIVEN SGLang 0.4 on an H100 at TP 1: fraction 0.88, chunk 8,192, graphs up to 160
        RankFacts rank = Ranks.rank(Catalog.gpu("h100-sxm"), 16 * GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1);

        String d = Sglang.at("0.4").describe(rank);

        assertTrue(d.startsWith("sglang@0.3.6:"), d);
        assertTrue(d.endsWith("; resolved: mem_fraction_static=0.88, chunked_prefill_size=8192, cuda_graph_max_bs=160"), d);
    }
}
