package dev.headroom.core.engine;

import dev.headroom.core.base.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The engines Headroom models, by the names users type, optionally at a version: {@code vllm@0.10}. */
public final class Engines {
    /** One line per engine: its names and how to make it at a version. */
    private static final Map<String, Function<String, Engine>> BY_NAME = new LinkedHashMap<>();
    private static final Map<String, List<Release>> RELEASES = new LinkedHashMap<>();

    static {
        register(Vllm::at, Vllm.RELEASES, "vllm");
        register(Sglang::at, Sglang.RELEASES, "sglang");
        register(TensorRtLlm::at, TensorRtLlm.RELEASES, "trtllm", "tensorrt-llm");
        register(LlamaCpp::at, LlamaCpp.RELEASES, "llamacpp", "llama.cpp");
        register(Transformers::at, Transformers.RELEASES, "transformers", "static");
        register(Tgi::at, Tgi.RELEASES, "tgi", "text-generation-inference");
        register(Ollama::at, Ollama.RELEASES, "ollama");
    }

    private Engines() {}

    private static void register(Function<String, Engine> factory, List<Release> releases, String id, String... aliases) {
        BY_NAME.put(id, factory);
        RELEASES.put(id, releases);
        for (String a : aliases) {
            BY_NAME.put(a, factory);
        }
    }

    /** The engine ids (aliases left out). */
    public static List<String> ids() {
        return List.copyOf(RELEASES.keySet());
    }

    /** Each engine's modelled releases. */
    public static Map<String, List<Release>> releases() {
        return Map.copyOf(RELEASES);
    }

    /** "vllm", "vllm@0.10", "llama.cpp@b4000": the engine with its documented defaults at that version (latest without one). */
    public static Engine named(String name) {
        if (name == null || name.isBlank()) {
            throw InvalidInputException.missing("engine", "give one of " + String.join(", ", ids()));
        }
        String[] parts = name.trim().split("@", 2);
        Function<String, Engine> factory = BY_NAME.get(parts[0].toLowerCase(Locale.ROOT));
        if (factory == null) {
            throw InvalidInputException.unknown("engine", parts[0], ids());
        }
        return factory.apply(parts.length > 1 ? parts[1] : null);
    }

    /** The engine named, at {@code version} (null: the latest modelled). */
    public static Engine named(String name, String version) {
        return named(version == null ? name : name + "@" + version);
    }
}
