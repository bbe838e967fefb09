package dev.headroom.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Engine_namedTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"vllm, vllm", "VLLM, vllm", "sglang, sglang", "trtllm, trtllm", "tensorrt-llm, trtllm",
            "llamacpp, llamacpp", "llama.cpp, llamacpp", "static, static"})
    void should_resolve_engine_names_and_spellings(String given, String name) {
        assertEquals(name, Engine.named(given).name());
    }

    @ParameterizedTest(name = "{0} -> {1} first")
    @CsvSource({"vlm, vllm", "sglng, sglang", "trt, trtllm", "llama-cpp, llamacpp"})
    void should_list_known_engines_nearest_first(String given, String nearest) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Engine.named(given));

        assertTrue(e.getMessage().contains("engine") && e.getMessage().contains("'" + given + "'"), e.getMessage());
        List<String> known = Messages.known(e.getMessage());
        assertEquals(nearest, known.get(0), e.getMessage());
        assertTrue(known.containsAll(Engine.NAMES), e.getMessage());
    }
}
