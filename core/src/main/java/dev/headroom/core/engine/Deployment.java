package dev.headroom.core.engine;

import dev.headroom.core.base.Checked;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.Layer;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.model.MoeFfn;
import dev.headroom.core.precision.Precision;
import java.util.Optional;

/**
 * How a model is served: which GPU and how many, how they are split (tensor, pipeline, expert parallel;
 * the rest are data-parallel replicas), the precisions, and the engine with its knobs.
 *
 * @param attentionDp attention runs data-parallel inside each tensor-parallel group (SGLang's
 *                    --enable-dp-attention, TensorRT-LLM's enable_attention_dp): every rank of the group holds
 *                    the whole attention and the KV of its own requests, while experts split by {@code ep}
 * @param weights null: the checkpoint's own format (its quantization_config or torch_dtype)
 * @param kv      null: the engine's default (16-bit, the model's dtype; f16 for llama.cpp)
 */
public record Deployment(Gpu gpu, int gpus, int tp, int pp, int ep, boolean attentionDp, Precision weights, Precision kv,
                         Engine engine) {
    /** A deployment without attention data parallelism. */
    public Deployment(Gpu gpu, int gpus, int tp, int pp, int ep, Precision weights, Precision kv, Engine engine) {
        this(gpu, gpus, tp, pp, ep, false, weights, kv, engine);
    }

    public Deployment {
        if (gpu == null) {
            throw InvalidInputException.missing("gpu", "choose a GPU");
        }
        if (engine == null) {
            throw InvalidInputException.missing("engine", "choose an engine");
        }
        positive("gpus", gpus);
        positive("tp", tp);
        positive("pp", pp);
        positive("ep", ep);
        if ((long) tp * pp > gpus || gpus % (tp * pp) != 0) {
            throw InvalidInputException.field("gpus", gpus, "must be a multiple of tp x pp = " + (long) tp * pp
                    + " (tp = " + tp + ", pp = " + pp + ")");
        }
        if (ep > gpus) {
            throw InvalidInputException.field("ep", ep, "cannot exceed gpus = " + gpus);
        }
        if (attentionDp && tp == 1) {
            throw InvalidInputException.field("attention_dp", true, "spreads attention over a tensor-parallel group; it needs tp > 1");
        }
    }

    private static void positive(String field, int v) {
        if (v <= 0) {
            throw InvalidInputException.field(field, v, "must be a positive whole number");
        }
    }

    public static Deployment on(Gpu gpu) {
        return new Deployment(gpu, 1, 1, 1, 1, null, null, Vllm.defaults());
    }

    /** Data-parallel copies of the model. */
    public int replicas() {
        return gpus / (tp * pp);
    }

    public Deployment withGpu(Gpu g) {
        return new Deployment(g, gpus, tp, pp, ep, attentionDp, weights, kv, engine);
    }

    /** Sets the GPU count; GPUs beyond tp x pp become data-parallel replicas. */
    public Deployment withGpus(int n) {
        return new Deployment(gpu, n, tp, pp, ep, attentionDp, weights, kv, engine);
    }

    /** Changes the split but keeps the number of replicas: GPUs become tp x pp x replicas. */
    public Deployment withSplit(int newTp, int newPp) {
        positive("tp", newTp);
        positive("pp", newPp);
        int total = Checked.toInt(Checked.multiply(newTp, newPp, replicas(), "gpus (tp x pp x replicas)"), "gpus (tp x pp x replicas)");
        return new Deployment(gpu, total, newTp, newPp, ep, attentionDp && newTp > 1, weights, kv, engine);
    }

    public Deployment withTp(int n) {
        return new Deployment(gpu, gpus, n, pp, ep, attentionDp && n > 1, weights, kv, engine);
    }

    public Deployment withEp(int n) {
        return new Deployment(gpu, gpus, tp, pp, n, attentionDp, weights, kv, engine);
    }

    public Deployment withWeights(Precision p) {
        return new Deployment(gpu, gpus, tp, pp, ep, attentionDp, p, kv, engine);
    }

    public Deployment withKv(Precision p) {
        return new Deployment(gpu, gpus, tp, pp, ep, attentionDp, weights, p, engine);
    }

    public Deployment withAttentionDp(boolean on) {
        return new Deployment(gpu, gpus, tp, pp, ep, on, weights, kv, engine);
    }

    /** Ranks that split attention heads: 1 under attention data parallelism, else tp. */
    public int attentionTp() {
        return attentionDp ? 1 : tp;
    }

    /** Groups of requests a replica serves side by side: each attention-DP rank runs its own batch. */
    public int attentionGroups() {
        return attentionDp ? tp : 1;
    }

    public Deployment withEngine(Engine e) {
        return new Deployment(gpu, gpus, tp, pp, ep, attentionDp, weights, kv, e);
    }

    /** Why this split cannot serve the model (heads that do not divide, more stages than layers), if it cannot. */
    public Optional<InvalidInputException> problemWith(ModelSpec m) {
        for (Layer l : m.layers()) {
            if (attentionDp) {
                continue; // every rank holds whole attention: nothing to divide
            }
            int heads = l.mixer().parallelHeads();
            if (heads % tp != 0) {
                return Optional.of(InvalidInputException.field("tp", tp, "must divide the " + heads + " attention heads of " + m.id()));
            }
            int kvHeads = l.mixer().kvHeadsForSplit();
            if (kvHeads > 0 && kvHeads % tp != 0 && tp % kvHeads != 0) {
                return Optional.of(InvalidInputException.field("tp", tp, "must divide, or be a multiple of, the " + kvHeads
                        + " KV heads of " + m.id()));
            }
        }
        if (pp > m.layerCount()) {
            return Optional.of(InvalidInputException.field("pp", pp, "cannot exceed the " + m.layerCount() + " layers of " + m.id()));
        }
        if (ep > 1) {
            Optional<MoeFfn> moe = m.moe();
            if (moe.isEmpty()) {
                return Optional.of(InvalidInputException.field("ep", ep, m.id() + " has no experts; use ep = 1"));
            }
            if (moe.get().experts() % ep != 0) {
                return Optional.of(InvalidInputException.field("ep", ep, "must divide the " + moe.get().experts() + " experts of " + m.id()));
            }
        }
        return Optional.empty();
    }

    /** Checks the split against the model: heads must divide evenly across tensor-parallel ranks. */
    public void requireValidFor(ModelSpec m) {
        Optional<InvalidInputException> problem = problemWith(m);
        if (problem.isPresent()) {
            throw problem.get();
        }
    }
}
