package dev.headroom.core;

/**
 * How a model is served: which GPU and how many, how they are split (tensor, pipeline, expert parallel;
 * the rest are data-parallel replicas), the precisions, and the engine with its knobs.
 *
 * @param weights null: the checkpoint's own format (its quantization_config or torch_dtype)
 * @param kv      null: the engine's default (16-bit, the model's dtype; f16 for llama.cpp)
 */
public record Deployment(Gpu gpu, int gpus, int tp, int pp, int ep, Precision weights, Precision kv, Engine engine) {
    public Deployment {
        positive("gpus", gpus);
        positive("tp", tp);
        positive("pp", pp);
        positive("ep", ep);
        if (gpus % (tp * pp) != 0) {
            throw InvalidInputException.field("gpus", gpus, "must be a multiple of tp x pp = " + tp * pp);
        }
        if (ep > gpus) {
            throw InvalidInputException.field("ep", ep, "cannot exceed gpus = " + gpus);
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
        return new Deployment(g, gpus, tp, pp, ep, weights, kv, engine);
    }

    /** Sets the GPU count; GPUs beyond tp x pp become data-parallel replicas. */
    public Deployment withGpus(int n) {
        return new Deployment(gpu, n, tp, pp, ep, weights, kv, engine);
    }

    /** Changes the split but keeps the number of replicas: GPUs become tp x pp x replicas. */
    public Deployment withSplit(int newTp, int newPp) {
        return new Deployment(gpu, newTp * newPp * replicas(), newTp, newPp, ep, weights, kv, engine);
    }

    public Deployment withTp(int n) {
        return new Deployment(gpu, gpus, n, pp, ep, weights, kv, engine);
    }

    public Deployment withEp(int n) {
        return new Deployment(gpu, gpus, tp, pp, n, weights, kv, engine);
    }

    public Deployment withWeights(Precision p) {
        return new Deployment(gpu, gpus, tp, pp, ep, p, kv, engine);
    }

    public Deployment withKv(Precision p) {
        return new Deployment(gpu, gpus, tp, pp, ep, weights, p, engine);
    }

    public Deployment withEngine(Engine e) {
        return new Deployment(gpu, gpus, tp, pp, ep, weights, kv, e);
    }

    /** Checks the split against the model: heads must divide evenly across tensor-parallel ranks. */
    void validateFor(ModelSpec m) {
        Attention a = m.attention();
        if (a.heads() % tp != 0) {
            throw InvalidInputException.field("tp", tp, "must divide the " + a.heads() + " attention heads of " + m.id());
        }
        if (!a.isMla() && a.kvHeads() % tp != 0 && tp % a.kvHeads() != 0) {
            throw InvalidInputException.field("tp", tp, "must divide, or be a multiple of, the " + a.kvHeads()
                    + " KV heads of " + m.id());
        }
        if (pp > m.layers()) {
            throw InvalidInputException.field("pp", pp, "cannot exceed the " + m.layers() + " layers of " + m.id());
        }
        if (ep > 1 && (!m.isMoe() || m.moe().experts() % ep != 0)) {
            throw InvalidInputException.field("ep", ep, m.isMoe()
                    ? "must divide the " + m.moe().experts() + " experts of " + m.id()
                    : m.id() + " has no experts; use ep = 1");
        }
    }
}
