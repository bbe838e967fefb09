package dev.headroom.core.engine;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.precision.ComputeType;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Workload;
import java.util.List;

/**
 * llama.cpp: the KV cache is n_ctx tokens (f16 unless the cache type is set), shared by n_parallel
 * slots of n_ctx / n_parallel tokens each; compute buffers are sized for one micro-batch of n_ubatch
 * tokens in f32. Sliding-window layers keep only their window.
 */
public record LlamaCpp(Release release, int nCtx, int nParallel, int nUbatch) implements Engine {
    public static final List<Release> RELEASES = List.of(
            // src/llama-context.cpp / llama-kv-cache.cpp: n_ctx cells split over n_seq_max streams.
            new Release("b4000", "github:ggml-org/llama.cpp src/llama-kv-cache.cpp@b4000"));

    public LlamaCpp {
        Engine.requirePositive("n_ctx", nCtx);
        Engine.requirePositive("n_parallel", nParallel);
        Engine.requirePositive("n_ubatch", nUbatch);
        if (nCtx % nParallel != 0) {
            throw InvalidInputException.field("n_parallel", nParallel, "must divide n_ctx = " + nCtx);
        }
    }

    public static LlamaCpp defaults() {
        return at(null);
    }

    public static LlamaCpp at(String version) {
        return new LlamaCpp(Release.resolve("llamacpp", version, RELEASES), 4096, 1, 512);
    }

    @Override
    public String id() {
        return "llamacpp";
    }

    public LlamaCpp withNCtx(int n) {
        return new LlamaCpp(release, n, nParallel, nUbatch);
    }

    public LlamaCpp withNParallel(int n) {
        return new LlamaCpp(release, nCtx, n, nUbatch);
    }

    public LlamaCpp withNUbatch(int n) {
        return new LlamaCpp(release, nCtx, nParallel, n);
    }

    @Override
    public Integer maxLength() {
        return nCtx;
    }

    @Override
    public Engine withMaxLength(int tokens) {
        return withNCtx(tokens);
    }

    @Override
    public Engine with(String knob, String value) {
        return switch (knob) {
            case "n_ctx", "ctx_size" -> withNCtx(Engine.intValue(id(), knob, value));
            case "n_parallel", "parallel" -> withNParallel(Engine.intValue(id(), knob, value));
            case "n_ubatch", "ubatch_size" -> withNUbatch(Engine.intValue(id(), knob, value));
            default -> throw Engine.unknownKnob(this, knob);
        };
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                new Setting("n_ctx", String.valueOf(nCtx), "KV cells shared by all slots"),
                new Setting("n_parallel", String.valueOf(nParallel), "slots (sequences at once); each holds n_ctx / n_parallel tokens"),
                new Setting("n_ubatch", String.valueOf(nUbatch), "tokens per physical micro-batch (compute buffers)"));
    }

    /** llama.cpp caches f16 unless --cache-type-k/v say otherwise. */
    @Override
    public Precision defaultKv(ModelSpec model) {
        return Precision.FP16;
    }

    @Override
    public boolean servesOverHttp() {
        return false;
    }

    /**
     * ggml's CUDA backend multiplies 16-bit weights through cuBLAS with fp16 accumulation (CUBLAS_COMPUTE_16F, except
     * on AMD CDNA: ggml/src/ggml-cuda/ggml-cuda.cu, ggml_cuda_op_mul_mat_cublas), which GeForce cards run at twice
     * their fp32-accumulate rate; quantized weights go through its MMQ kernels, modelled on the same path. Other
     * backends (Metal, Vulkan on other vendors) take the format's own path.
     */
    @Override
    public ComputeType computePath(Gpu gpu, Precision weights) {
        if (gpu.vendor().equals("nvidia") && gpu.peakFlops(ComputeType.FP16_ACC).isPresent()
                && (weights.weightOnly() || weights.compute() == ComputeType.FP16 || weights.compute() == ComputeType.BF16)) {
            return ComputeType.FP16_ACC;
        }
        return Engine.super.computePath(gpu, weights);
    }

    /** Prompts are evaluated n_ubatch tokens per graph run. */
    @Override
    public int tokensPerStep(ModelSpec model) {
        return nUbatch;
    }

    /** --split-mode layer: each GPU runs its layers of the one batch in turn. */
    @Override
    public boolean overlapsPipelineStages() {
        return false;
    }

    @Override
    public KvPool reserve(RankFacts rank, ModelSpec model, Workload workload) {
        int len = Engine.maxModelLen(nCtx, model, "n_ctx");
        int perSlot = len / nParallel;
        long kv = nParallel * rank.kv().bytes(perSlot);
        // ggml computes activations in f32: twice the bytes of a 16-bit engine's forward.
        long compute = 2 * rank.activation().peakBytes(Math.min(nUbatch, len), 1);
        return KvPool.reserved(rank.weightsBytes(), compute, rank.overheadBytes(), rank.visibleMemoryBytes(), kv, len, len, 1,
                perSlot, nParallel);
    }
}
