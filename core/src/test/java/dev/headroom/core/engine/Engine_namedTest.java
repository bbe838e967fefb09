package dev.headroom.core.engine;

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

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Engine_namedTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"vllm, vllm", "VLLM, vllm", "sglang, sglang", "trtllm, trtllm", "tensorrt-llm, trtllm",
            "llamacpp, llamacpp", "llama.cpp, llamacpp", "static, transformers"})
    void should_resolve_engine_names_and_spellings(String given, String name) {
        assertEquals(name, Engines.named(given).id());
    }

    @ParameterizedTest(name = "{0} -> {1} first")
    @CsvSource({"vlm, vllm", "sglng, sglang", "trt, trtllm", "llama-cpp, llamacpp"})
    void should_list_known_engines_nearest_first(String given, String nearest) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Engines.named(given));

        assertTrue(e.getMessage().contains("engine") && e.getMessage().contains("'" + given + "'"), e.getMessage());
        List<String> known = Messages.known(e.getMessage());
        assertEquals(nearest, known.get(0), e.getMessage());
        assertTrue(known.containsAll(Engines.ids()), e.getMessage());
    }
}
