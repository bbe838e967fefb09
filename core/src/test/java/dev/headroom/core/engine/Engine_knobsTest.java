package dev.headroom.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.model.ModelSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every engine shares: its knobs read from the user's words, the max length checked against the model, its backend. */
class Engine_knobsTest {
    @Test
    void should_read_knob_values_in_the_users_words_and_name_the_knob_when_they_are_wrong() {
        assertEquals(12, Engine.intValue("vllm", "max_num_seqs", " 12 "));
        assertEquals(0.5, Engine.doubleValue("vllm", "gpu_memory_utilization", "0.5"));
        for (String yes : List.of("true", "1", "YES", " on ")) {
            assertTrue(Engine.boolValue("vllm", "enforce_eager", yes), yes);
        }
        for (String no : List.of("false", "0", "no", "Off")) {
            assertEquals(false, Engine.boolValue("vllm", "enforce_eager", no), no);
        }
        InvalidInputException i = assertThrows(InvalidInputException.class, () -> Engine.intValue("vllm", "max_num_seqs", "many"));
        assertTrue(i.getMessage().contains("max_num_seqs") && i.getMessage().contains("'many'") && i.getMessage().contains("whole number"),
                i.getMessage());
        InvalidInputException d = assertThrows(InvalidInputException.class, () -> Engine.doubleValue("vllm", "gpu_memory_utilization", "x"));
        assertTrue(d.getMessage().contains("takes a number"), d.getMessage());
        InvalidInputException b = assertThrows(InvalidInputException.class, () -> Engine.boolValue("vllm", "enforce_eager", "maybe"));
        assertTrue(b.getMessage().contains("takes true or false"), b.getMessage());
        InvalidInputException k = assertThrows(InvalidInputException.class, () -> Vllm.defaults().with("warp", "1"));
        assertTrue(k.getMessage().contains("warp") && k.getMessage().contains("gpu_memory_utilization"), k.getMessage());
    }

    @Test
    void should_hold_the_max_length_to_the_models_positions() {
        ModelSpec m = Catalog.model("llama-3.1-8b");
        assertEquals(131_072, Engine.maxModelLen(null, m, "max_model_len"), "the model's own");
        assertEquals(131_072, Engine.maxModelLen(131_072, m, "max_model_len"));
        assertEquals(4096, Engine.maxModelLen(4096, m, "max_model_len"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Engine.maxModelLen(131_073, m, "context_length"));
        assertTrue(e.getMessage().contains("context_length") && e.getMessage().contains("131072"), e.getMessage());
        assertEquals(0.9, Engine.requireFraction("f", 0.9));
        assertEquals(null, Engine.requirePositive("n", null));
        assertThrows(InvalidInputException.class, () -> Engine.requirePositive("n", 0));
    }

    @Test
    void should_name_the_software_stack_by_the_gpus_vendor() {
        Engine e = Vllm.defaults();
        assertEquals("cuda", e.backend(Catalog.gpu("h100-sxm")));
        assertEquals("rocm", e.backend(Catalog.gpu("mi300x")));
        assertEquals("metal", e.backend(Catalog.gpu("apple-m2-max")));
        assertEquals("gaudi", e.backend(Catalog.gpu("gaudi2")));
    }

    @Test
    void should_describe_an_engine_by_its_release_and_settings() {
        String d = Vllm.at("0.9.2").withMaxModelLen(4096).describe();
        assertTrue(d.startsWith("vllm@0.9.2: gpu_memory_utilization=0.9"), d);
        assertTrue(d.contains(" max_model_len=4096"), d);
        assertEquals(List.of("vllm", "sglang", "trtllm", "llamacpp", "transformers", "tgi", "ollama"), Engines.ids());
        assertEquals(Vllm.RELEASES, Engines.releases().get("vllm"));
        assertEquals("0.6.4", Engines.named("vllm", "0.6.4").release().version());
        assertEquals(Vllm.defaults().release(), Engines.named("vllm", null).release());
        assertThrows(InvalidInputException.class, () -> Engines.named(" "));
    }
}
