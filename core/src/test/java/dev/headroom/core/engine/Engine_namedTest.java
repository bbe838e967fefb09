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
            "llamacpp, llamacpp", "llama.cpp, llamacpp", "static, transformers", "tgi, tgi", "text-generation-inference, tgi",
            "ollama, ollama"})
    void should_resolve_engine_names_and_spellings(String given, String name) {
        assertEquals(name, Engines.named(given).id());
    }

    @ParameterizedTest(name = "{0} -> release {1}")
    @CsvSource({
            // the newest modelled release not newer than the version asked for
            "vllm@0.6.3, 0.2.5", "vllm@0.10, 0.10.0", "vllm@0.10.1.1, 0.10.0", "vllm@0.9.2rc1, 0.9.2", "vllm@0.25, 0.21.0", "sglang@0.4.3.post4, 0.3.6",
            "sglang@0.5.5, 0.5.3", "trtllm@0.15.0, 0.11", "trtllm@1.2, 1.0", "llama.cpp@b4462, b1000", "llama.cpp@b7342, b7000",
            "tgi@2.4.1, 2.4.0", "ollama@0.5.7, 0.2.0"})
    void should_resolve_a_version_to_the_release_whose_rules_govern_it(String name, String release) {
        assertEquals(release, Engines.named(name).release().version());
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
