package dev.headroom.cli;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.base.Names;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.Engine;
import dev.headroom.core.engine.Engines;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.precision.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every sizing command shares: what runs where, with which engine and its knobs. An engine's own
 * settings are options named as the engine names them ({@code --gpu-memory-utilization 0.95},
 * {@code --n-parallel 4}); the engine type says which exist, so a new engine needs no change here.
 */
final class DeploymentOptions {
    @Option(names = "--model", required = true, paramLabel = "ID|HF-REPO|PATH", description = "Catalog id, Hugging Face repo id, or a config.json path.")
    String model;

    @Option(names = "--gpu", paramLabel = "ID|PATH", description = "Catalog GPU id or a GPU file.")
    String gpu;

    @Option(names = "--gpu-memory-gib", paramLabel = "X", description = "Override the memory the GPU reports, in GiB (engines see 79.22 on an H100).")
    Double gpuMemoryGib;

    @Option(names = "--gpus", paramLabel = "N", description = "GPUs in total (default: tp x pp).")
    Integer gpus;

    @Option(names = "--tp", paramLabel = "N", description = "Tensor-parallel degree (default: all GPUs / pp).")
    Integer tp;

    @Option(names = "--pp", paramLabel = "N", defaultValue = "1", description = "Pipeline-parallel degree (default: ${DEFAULT-VALUE}).")
    int pp;

    @Option(names = "--ep", paramLabel = "N", defaultValue = "1", description = "Expert-parallel degree for MoE (default: ${DEFAULT-VALUE}).")
    int ep;

    @Option(names = "--weights", paramLabel = "DTYPE", description = "Weight format (default: the checkpoint's): ${COMPLETION-CANDIDATES}.",
            completionCandidates = PrecisionNames.class)
    String weights;

    @Option(names = "--kv-dtype", paramLabel = "DTYPE", description = "KV cache format (default: 16-bit; f16 for llama.cpp).")
    String kvDtype;

    @Option(names = "--engine", paramLabel = "NAME[@VERSION]", defaultValue = "vllm",
            description = "vllm, sglang, trtllm, llamacpp or transformers, optionally at a version (vllm@0.6) (default: ${DEFAULT-VALUE}). "
                    + "Its own settings are options named as the engine names them: see 'headroom engines'.")
    String engine;

    @Option(names = "--max-model-len", paramLabel = "N", description = "Longest sequence the engine admits (vLLM max_model_len, SGLang context_length, TRT-LLM max_seq_len, llama.cpp n_ctx, transformers max_length).")
    Integer maxModelLen;

    @Option(names = "--input-tokens", paramLabel = "N", defaultValue = "1024", description = "Prompt tokens per request (default: ${DEFAULT-VALUE}).")
    int inputTokens;

    @Option(names = "--output-tokens", paramLabel = "N", defaultValue = "1024", description = "Generated tokens per request (default: ${DEFAULT-VALUE}).")
    int outputTokens;

    /** Engine knobs given as options ("--gpu-memory-utilization 0.95" or "--n-parallel=4"); the command passes them on. */
    List<String> engineKnobs = new ArrayList<>();

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    static final class PrecisionNames extends ArrayList<String> {
        PrecisionNames() {
            super(Precision.names());
        }
    }

    ModelProfile model() {
        return Catalog.profile(model).requireTokenCache();
    }

    Deployment deployment() {
        if (gpu == null) {
            throw new InvalidInputException("--gpu is required — known: " + String.join(", ", Catalog.gpuIds()));
        }
        return deploymentOn(Catalog.gpu(gpu));
    }

    /** The deployment these options describe, on the given GPU. */
    Deployment deploymentOn(Gpu catalogGpu) {
        Gpu g = catalogGpu;
        if (gpuMemoryGib != null) {
            if (!(gpuMemoryGib > 0) || gpuMemoryGib.isInfinite() || gpuMemoryGib > 1 << 20) {
                throw InvalidInputException.field("--gpu-memory-gib", gpuMemoryGib, "must be a positive number of GiB, at most 1048576");
            }
            long bytes = Bytes.ofGiB(gpuMemoryGib).value();
            if (bytes <= 0) {
                throw InvalidInputException.field("--gpu-memory-gib", gpuMemoryGib, "is less than one byte");
            }
            g = g.withVisibleMemory(bytes);
        }
        positive("--pp", pp);
        positive("--ep", ep);
        if (tp != null) {
            positive("--tp", tp);
        }
        if (gpus != null) {
            positive("--gpus", gpus);
        }
        int tensor = tp != null ? tp : gpus != null ? Math.max(1, gpus / pp) : 1;
        long total = gpus != null ? gpus : (long) tensor * pp;
        if (total > 1 << 20) {
            throw InvalidInputException.field("--tp x --pp", total, "more GPUs than any deployment has");
        }
        if (gpus != null && (long) tensor * pp > gpus) {
            throw new InvalidInputException("--gpus = " + gpus + " is fewer than --tp x --pp = " + (long) tensor * pp);
        }
        if (gpus != null && gpus % (tensor * pp) != 0) {
            throw new InvalidInputException("--gpus = " + gpus + " must be a multiple of --tp x --pp = " + tensor * pp);
        }
        return new Deployment(g, (int) total, tensor, pp, ep,
                weights == null ? null : Precision.parse(weights, "weight precision (--weights)"),
                kvDtype == null ? null : Precision.parse(kvDtype, "KV cache precision (--kv-dtype)"),
                engine());
    }

    private static void positive(String flag, int v) {
        if (v <= 0) {
            throw InvalidInputException.field(flag, v, "must be a positive whole number");
        }
    }

    /**
     * The engine with its max length set to the workload's context, unless the user set one or the context is beyond
     * the model (then the estimate says the sequence is too long, rather than blaming a max length nobody typed).
     */
    Engine engineSizedFor(int contextTokens, ModelProfile m) {
        Engine e = engine();
        return maxModelLen != null || contextTokens > m.spec().maxPositions() ? e : e.withMaxLength(contextTokens);
    }

    /** The named engine at its version with every knob given; a knob the engine does not have is an error, not ignored. */
    Engine engine() {
        Engine e = Engines.named(engine);
        if (maxModelLen != null) {
            positive("--max-model-len", maxModelLen);
            e = e.withMaxLength(maxModelLen);
        }
        for (int i = 0; i < engineKnobs.size(); i++) {
            String arg = engineKnobs.get(i);
            if (!arg.startsWith("--")) {
                throw new InvalidInputException("unexpected argument '" + arg + "'; options start with --");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < engineKnobs.size() && !engineKnobs.get(i + 1).startsWith("--")) {
                value = engineKnobs.get(++i);
            } else {
                throw new InvalidInputException(unknownOption(e, name, false));
            }
            String knob = name.replace('-', '_').toLowerCase(Locale.ROOT);
            if (e.settings().stream().noneMatch(s -> s.name().equals(knob)) && !aliasOf(e, knob)) {
                throw new InvalidInputException(unknownOption(e, name, true));
            }
            e = e.with(knob, value);
        }
        return e;
    }

    /** Engines accept a few spellings beyond their listed settings (llama.cpp's --ctx-size for n_ctx). */
    private static boolean aliasOf(Engine e, String knob) {
        try {
            e.with(knob, "1");
            return true;
        } catch (InvalidInputException notAKnob) {
            return !notAKnob.getMessage().startsWith("unknown " + e.id() + " setting");
        }
    }

    /** "unknown option --inpt-tokens — did you mean --input-tokens?", with the engine's own settings as candidates too. */
    private String unknownOption(Engine e, String name, boolean hasValue) {
        List<String> candidates = new ArrayList<>();
        if (spec != null) {
            spec.options().forEach(o -> candidates.add(o.longestName()));
        }
        e.settings().forEach(s -> candidates.add("--" + s.name().replace('_', '-')));
        List<String> nearest = Names.nearestFirst("--" + name, candidates);
        String best = nearest.isEmpty() ? null : nearest.get(0);
        boolean close = best != null && Names.distance("--" + name.toLowerCase(Locale.ROOT), best) <= Math.max(2, name.length() / 3);
        return "unknown option --" + name + (spec != null ? " for 'headroom " + spec.name() + "'" : "") + (hasValue ? "" : " (or it lacks a value)")
                + (close ? " — did you mean " + best + "?" : "") + " — " + e.id() + " settings: "
                + String.join(", ", e.settings().stream().map(s -> "--" + s.name().replace('_', '-')).toList());
    }
}
