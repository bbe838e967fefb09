package dev.headroom.core.engine;

import dev.headroom.core.base.Checked;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.KvLayout;
import dev.headroom.core.precision.ComputeType;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.model.Tensor;
import dev.headroom.core.model.TensorRole;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Workload;
import java.util.List;

/**
 * llama.cpp: the KV cache is n_ctx cells (f16 unless the cache type is set) shared by n_parallel slots of
 * n_ctx / n_parallel tokens, padded as the build pads ({@link LlamaCppRelease}); sliding-window layers keep
 * pad256(min(n_ctx_seq, n_swa x (unified ? n_seq : 1) + n_ubatch)) cells per stream (src/llama-kv-cache-iswa.cpp);
 * compute buffers are one micro-batch of n_ubatch tokens in f32. The input embedding stays in host memory.
 * Layers are split across GPUs (a pipeline); n_gpu_layers below the layer count leaves the first layers on the CPU.
 */
public record LlamaCpp(Release release, int nCtx, int nParallel, int nUbatch, Boolean kvUnified, boolean flashAttn,
                       boolean swaFull, Integer nGpuLayers) implements Engine {
    public static final List<Release> RELEASES = LlamaCppRelease.releases();
    /** llama-server's default context (common/common.h n_ctx = 4096). */
    static final int DEFAULT_N_CTX = 4096;

    public LlamaCpp {
        Engine.requirePositive("n_ctx", nCtx);
        Engine.requirePositive("n_parallel", nParallel);
        Engine.requirePositive("n_ubatch", nUbatch);
        if (nGpuLayers != null && nGpuLayers < 0) {
            throw dev.headroom.core.base.InvalidInputException.field("n_gpu_layers", nGpuLayers, "must be zero or more");
        }
    }

    public static LlamaCpp defaults() {
        return at(null);
    }

    public static LlamaCpp at(String version) {
        return new LlamaCpp(Release.resolve("llamacpp", version, RELEASES), DEFAULT_N_CTX, 1, 512, null, false, false, null);
    }

    @Override
    public String id() {
        return "llamacpp";
    }

    LlamaCppRelease rules() {
        return LlamaCppRelease.of(release);
    }

    public LlamaCpp withNCtx(int n) {
        return new LlamaCpp(release, n, nParallel, nUbatch, kvUnified, flashAttn, swaFull, nGpuLayers);
    }

    public LlamaCpp withNParallel(int n) {
        return new LlamaCpp(release, nCtx, n, nUbatch, kvUnified, flashAttn, swaFull, nGpuLayers);
    }

    public LlamaCpp withNUbatch(int n) {
        return new LlamaCpp(release, nCtx, nParallel, n, kvUnified, flashAttn, swaFull, nGpuLayers);
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
        String id = id();
        return switch (knob) {
            case "n_ctx", "ctx_size" -> withNCtx(Engine.intValue(id, knob, value));
            case "n_parallel", "parallel" -> withNParallel(Engine.intValue(id, knob, value));
            case "n_ubatch", "ubatch_size" -> withNUbatch(Engine.intValue(id, knob, value));
            case "kv_unified" -> new LlamaCpp(release, nCtx, nParallel, nUbatch, Engine.boolValue(id, knob, value), flashAttn, swaFull, nGpuLayers);
            case "flash_attn" -> new LlamaCpp(release, nCtx, nParallel, nUbatch, kvUnified, flashOn(value), swaFull, nGpuLayers);
            case "swa_full" -> new LlamaCpp(release, nCtx, nParallel, nUbatch, kvUnified, flashAttn, Engine.boolValue(id, knob, value), nGpuLayers);
            case "n_gpu_layers", "ngl" -> new LlamaCpp(release, nCtx, nParallel, nUbatch, kvUnified, flashAttn, swaFull,
                    value.trim().equals("all") ? null : Engine.intValue(id, knob, value));
            default -> throw Engine.unknownKnob(this, knob);
        };
    }

    /** "on", "true", "auto" (llama.cpp turns it on where supported). */
    private boolean flashOn(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        return v.startsWith("auto") || v.startsWith("on") || Engine.boolValue(id(), "flash_attn", v.replaceAll("\\(.*\\)", ""));
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                new Setting("n_ctx", String.valueOf(nCtx), "KV cells shared by all slots"),
                new Setting("n_parallel", String.valueOf(nParallel), "slots (sequences at once); each holds n_ctx / n_parallel tokens"),
                new Setting("n_ubatch", String.valueOf(nUbatch), "tokens per physical micro-batch (compute buffers, SWA cells)"),
                new Setting("kv_unified", kvUnified == null ? "default" : kvUnified.toString(), "one KV stream for all slots"),
                new Setting("flash_attn", String.valueOf(flashAttn), "flash attention (older builds pad n_ctx to 256 with it, else 32)"),
                new Setting("swa_full", String.valueOf(swaFull), "full-size cache for sliding-window layers"),
                new Setting("n_gpu_layers", nGpuLayers == null ? "all" : nGpuLayers.toString(), "layers offloaded to the GPUs"));
    }

    /** llama.cpp caches f16 unless --cache-type-k/v say otherwise. */
    @Override
    public Precision defaultKv(ModelSpec model) {
        return Precision.FP16;
    }

    /** GGUF has no plain MXFP4 file type: an "mxfp4" model is llama.cpp's MXFP4_MOE (experts MXFP4, the rest Q8_0). */
    @Override
    public Precision loadsAs(Precision requested) {
        return requested.equals(Precision.MXFP4) ? Precision.MXFP4_MOE : requested;
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
    public int tokensPerStep(ModelSpec model, Gpu gpu) {
        return nUbatch;
    }

    /** --split-mode layer: each GPU runs its layers of the one batch in turn. */
    @Override
    public boolean overlapsPipelineStages() {
        return false;
    }

    @Override
    public dev.headroom.core.model.CacheRule cacheRule() {
        return rules().cacheRule();
    }

    /** The input embedding stays in host memory (llama-model.cpp: the input layer is not offloaded); layers below n_gpu_layers too. */
    @Override
    public long gpuWeightBytes(Tensor tensor, Precision format, long rankParams, WeightLoad load) {
        if (tensor.role() == TensorRole.EMBEDDING) {
            return 0;
        }
        int layers = load.model().layerCount();
        if (nGpuLayers != null && tensor.layer() >= 0 && tensor.layer() < layers - nGpuLayers) {
            return 0;
        }
        if (nGpuLayers != null && tensor.layer() < 0 && nGpuLayers <= layers) {
            return 0; // the output layer is offloaded last, only when n_gpu_layers exceeds the layer count
        }
        return format.bytesFor(rankParams);
    }

    private boolean unified() {
        return kvUnified != null ? kvUnified : true;
    }

    private static long pad(long v, long to) {
        return Math.floorDiv(v + to - 1, to) * to;
    }

    /** KV cells of full-attention layers: n_ctx padded, and split into streams when not unified. */
    long cells() {
        if (!rules().padToStreams()) {
            return pad(nCtx, flashAttn ? 256 : 32);
        }
        long perSeq = unified() ? pad(nCtx, 256) : pad(Math.floorDiv(nCtx, nParallel), 256);
        return unified() ? perSeq : perSeq * nParallel;
    }

    /** Cells of a sliding layer with window {@code window}, over all streams. */
    long swaCells(int window) {
        if (swaFull) {
            return cells();
        }
        long streams = unified() ? 1 : nParallel;
        long perStream = cells() / streams;
        long swa = pad(Math.min(perStream, (long) window * (unified() ? nParallel : 1) + nUbatch), 256);
        return swa * streams;
    }

    @Override
    public KvPool reserve(RankFacts rank, ModelSpec model, Workload workload) {
        int slot = Engine.maxModelLen(nCtx / nParallel, model, "n_ctx");
        KvLayout kv = rank.kv();
        long cells = cells();
        long bytes = Checked.multiply(kv.fullBytesPerToken(), cells, "KV cache bytes");
        for (int i = 0; i < kv.windows().length; i++) {
            bytes = Checked.add(bytes, Checked.multiply(kv.windowBytesPerToken()[i], swaCells(kv.windows()[i]), "KV cache bytes"), "KV cache bytes");
        }
        bytes = Checked.add(bytes, Checked.multiply(kv.stateBytesPerSequence(), nParallel, "state bytes"), "KV cache bytes");
        // ggml computes activations in f32: twice the bytes of a 16-bit engine's forward.
        long compute = Checked.add(2 * rank.activation().forwardBytes(Math.min(nUbatch, nCtx)), rank.logitsBytes(1), "compute buffer bytes");
        long nonTorch = DeviceMemory.CUDA_CONTEXT_BYTES;
        KvPool.Charges charges = new KvPool.Charges(rank.weightsBytes(), compute, nonTorch, 0);
        long available = rank.visibleMemoryBytes() - charges.total();
        long over = charges.total() + bytes - rank.visibleMemoryBytes();
        Refusal refusal = over > 0 ? new Refusal("failed to allocate the CUDA buffers: weights, the KV cache of " + cells
                + " cells and compute buffers exceed the GPU", "n_ctx", "lower n_ctx or n_gpu_layers, or quantize the KV cache", over) : null;
        return new KvPool(charges, rank.visibleMemoryBytes(), available, bytes, cells, cells, 1, slot, nParallel, KvPool.Demand.TOKENS, refusal);
    }
}
