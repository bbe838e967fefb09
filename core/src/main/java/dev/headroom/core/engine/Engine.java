package dev.headroom.core;

import java.util.List;

/**
 * A serving engine and its memory knobs. Each engine sizes its KV pool its own way; those rules are
 * what users see in the engine's start-up log, so the estimate follows them, not a generic formula.
 */
public sealed interface Engine permits Vllm, Sglang, TensorRtLlm, LlamaCpp, StaticCache {
    List<String> NAMES = List.of("vllm", "sglang", "trtllm", "llamacpp", "static");

    String name();

    /** The same engine admitting sequences up to {@code tokens} (max_model_len, context_length, max_seq_len, n_ctx, max length). */
    Engine withMaxLength(int tokens);

    /** The KV pool one GPU ends up with. */
    KvPool reserve(RankMemory rank, ModelSpec model, Workload workload);

    /** Each engine with its documented defaults. */
    static Engine named(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "vllm" -> Vllm.defaults();
            case "sglang" -> Sglang.defaults();
            case "trtllm", "tensorrt-llm" -> TensorRtLlm.defaults();
            case "llamacpp", "llama.cpp" -> LlamaCpp.defaults();
            case "static" -> StaticCache.defaults();
            default -> throw InvalidInputException.unknown("engine", name, NAMES);
        };
    }

    static void requireFraction(String field, double value) {
        if (!(value > 0 && value <= 1)) {
            throw InvalidInputException.field(field, value, "must be in (0, 1]");
        }
    }

    static void requirePositive(String field, Integer value) {
        if (value != null && value <= 0) {
            throw InvalidInputException.field(field, value, "must be a positive whole number");
        }
    }

    /** The engine's max length: the user's, else the model's; never beyond what the model supports. */
    static int maxModelLen(Integer requested, ModelSpec model, String field) {
        if (requested == null) {
            return model.maxPositions();
        }
        if (requested > model.maxPositions()) {
            throw InvalidInputException.field(field, requested, model.id() + " supports at most "
                    + model.maxPositions() + " tokens (max_position_embeddings)");
        }
        return requested;
    }

    static long floorDiv(long a, long b) {
        return a <= 0 ? 0 : a / b;
    }
}
