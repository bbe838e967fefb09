package dev.headroom.core.engine;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.precision.ComputeType;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.model.Tensor;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Workload;
import java.util.List;

/**
 * A serving engine at one version with its knobs set. Each engine sizes its KV pool its own way; those
 * rules are what users see in the engine's start-up log, so the estimate follows them, not a generic
 * formula. Everything engine-specific lives on the engine's own type: knobs and their defaults by version,
 * the budget rule, its default KV format and its scheduling caps. Adding an engine is one class plus its
 * line in {@link Engines}.
 */
public interface Engine {
    /** The short name users type: "vllm", "sglang", "trtllm", "llamacpp", "transformers". */
    String id();

    /** The release whose semantics apply. */
    Release release();

    /** The configured longest sequence (max_model_len, context_length, max_seq_len, n_ctx); null: the model's. */
    Integer maxLength();

    /** The same engine admitting sequences up to {@code tokens}. */
    Engine withMaxLength(int tokens);

    /** Sets a knob by the engine's own name ("gpu_memory_utilization", "n_parallel"); unknown names list the valid ones. */
    Engine with(String knob, String value);

    /** Every knob with its current value, in the engine's words. */
    List<Setting> settings();

    /** The KV pool one GPU ends up with. */
    KvPool reserve(RankFacts rank, ModelSpec model, Workload workload);

    /**
     * Bytes of one weight tensor this rank holds on its GPU as the engine loads it: {@code rankParams} values in
     * {@code format}, padded where the engine's kernels need aligned shapes, 0 for a tensor the engine keeps in host
     * memory.
     */
    default long gpuWeightBytes(Tensor tensor, Precision format, long rankParams, WeightLoad load) {
        return format.bytesFor(rankParams);
    }

    /** The format a requested weight format loads as in this engine (llama.cpp reads "mxfp4" as its MXFP4_MOE file type). */
    default Precision loadsAs(Precision requested) {
        return requested;
    }

    /**
     * CUDA-graph memory the engine keeps on the rank (captured after its KV budget unless the release deducts it); 0 for
     * engines that capture none.
     */
    default long cudaGraphBytes(RankFacts rank) {
        return 0;
    }

    /** How the engine caches each layer's token: as the layer defines it unless the engine stores it its own way. */
    default dev.headroom.core.model.CacheRule cacheRule() {
        return dev.headroom.core.model.CacheRule.AS_DEFINED;
    }

    /** What a weight hook may need to know about the deployment. */
    record WeightLoad(ModelSpec model, dev.headroom.core.hardware.Gpu gpu, int tp, int ep) {}

    /** Whether {@link #reserve} reads the workload (a static cache sized per batch); else it is computed once per deployment. */
    default boolean poolDependsOnWorkload() {
        return false;
    }

    /** The KV cache format without a user choice: the model's 16-bit dtype. */
    default Precision defaultKv(ModelSpec model) {
        return model.activationDtype();
    }

    /** The format recurrent (Mamba, linear-attention) states are kept in. */
    default Precision stateFormat(ModelSpec model) {
        return model.activationDtype();
    }

    /**
     * Max lengths at which the engine changes its own defaults (vLLM turns chunked prefill on above 32k, which
     * shrinks its activation profile), so fitting is monotone in the length only between them.
     */
    default List<Integer> lengthBreakpoints() {
        return List.of();
    }

    /** Whether the weights include the rotary cos/sin table PyTorch engines build at load. */
    default boolean buildsRotaryTable() {
        return false;
    }

    /**
     * KV tokens the scheduler holds for one running request of {@code input} + {@code output} tokens, averaged over
     * its life. Paged engines that allocate blocks as tokens arrive hold the prompt and, on average, half the output
     * (vLLM's BlockSpaceManager / KVCacheManager allocate per step and preempt when blocks run out).
     */
    default double heldTokensPerRequest(int input, int output) {
        return input + output / 2.0;
    }

    /**
     * The tensor-core path the weights multiply on: the format's own where the GPU has it, else the next wider one
     * (fp8 weights on an A100 run as 16-bit after dequantization, as Marlin kernels do).
     */
    default ComputeType computePath(Gpu gpu, Precision weights) {
        for (ComputeType c : weights.compute().fallbacks()) {
            if (gpu.peakFlops(c).isPresent()) {
                return c;
            }
        }
        throw new InvalidInputException("GPU " + gpu.id() + " lists no dense FLOP/s for " + weights.compute().key()
                + " or any wider type; add peak_tflops_dense to its catalog file");
    }

    /** Tokens one forward pass may carry (decodes plus prompt chunks): the scheduler's budget per step. */
    default int tokensPerStep(ModelSpec model, Gpu gpu) {
        return Integer.MAX_VALUE;
    }

    /**
     * Whether pipeline stages work on different micro-batches at once (serving engines keep one micro-batch per
     * stage in flight); llama.cpp's layer split runs the stages of one batch in turn.
     */
    default boolean overlapsPipelineStages() {
        return true;
    }

    /**
     * The software stack the engine runs on with this GPU ("cuda", "rocm", "metal"): kernels and overheads differ
     * between an engine's builds, so calibration keeps them apart.
     */
    default String backend(Gpu gpu) {
        return switch (gpu.vendor()) {
            case "nvidia" -> "cuda";
            case "amd" -> "rocm";
            case "apple" -> "metal";
            case "intel" -> "gaudi";
            default -> gpu.vendor();
        };
    }

    /** Requests pass through an HTTP API server (tokenization, detokenization) rather than a library call. */
    default boolean servesOverHttp() {
        return true;
    }

    /** One line of the knobs in effect on a rank (defaults that depend on the split resolved), for the estimate's assumptions. */
    default String describe(RankFacts rank) {
        return describe();
    }

    /** One line of the knobs used, for the estimate's assumptions. */
    default String describe() {
        StringBuilder b = new StringBuilder(id()).append('@').append(release().version()).append(':');
        for (Setting s : settings()) {
            b.append(' ').append(s.name()).append('=').append(s.value());
        }
        return b.toString();
    }

    /** A knob's current value and what it does. */
    record Setting(String name, String value, String description) {}

    /** Parses a knob value, naming the engine and the knob when it is not a number. */
    static int intValue(String engine, String knob, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw InvalidInputException.field(knob, "'" + text + "'", engine + "'s " + knob + " takes a whole number");
        }
    }

    static double doubleValue(String engine, String knob, String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw InvalidInputException.field(knob, "'" + text + "'", engine + "'s " + knob + " takes a number");
        }
    }

    static boolean boolValue(String engine, String knob, String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw InvalidInputException.field(knob, "'" + text + "'", engine + "'s " + knob + " takes true or false");
        };
    }

    /** A knob this engine does not have: the message lists the ones it does, nearest first. */
    static InvalidInputException unknownKnob(Engine e, String knob) {
        return InvalidInputException.unknown(e.id() + " setting", knob, e.settings().stream().map(Setting::name).toList());
    }

    static double requireFraction(String field, double value) {
        return dev.headroom.core.base.Require.fraction(field, value);
    }

    static Integer requirePositive(String field, Integer value) {
        return dev.headroom.core.base.Require.positiveOrNull(field, value);
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
}
