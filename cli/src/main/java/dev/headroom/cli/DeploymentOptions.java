package dev.headroom.cli;

import dev.headroom.core.Bytes;
import dev.headroom.core.Catalog;
import dev.headroom.core.Deployment;
import dev.headroom.core.Engine;
import dev.headroom.core.Gpu;
import dev.headroom.core.InvalidInputException;
import dev.headroom.core.LlamaCpp;
import dev.headroom.core.ModelSpec;
import dev.headroom.core.Precision;
import dev.headroom.core.Sglang;
import dev.headroom.core.StaticCache;
import dev.headroom.core.TensorRtLlm;
import dev.headroom.core.Vllm;
import dev.headroom.core.Workload;
import picocli.CommandLine.Option;

/** The options every sizing command shares: what runs where, with which engine, under which load. */
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

    @Option(names = "--engine", paramLabel = "NAME", defaultValue = "vllm", description = "vllm, sglang, trtllm, llamacpp or static (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--gpu-memory-utilization", paramLabel = "F", description = "vLLM's share of GPU memory (default 0.9).")
    Double gpuMemoryUtilization;

    @Option(names = "--mem-fraction-static", paramLabel = "F", description = "SGLang's static share (default by TP: 0.88 at TP1).")
    Double memFractionStatic;

    @Option(names = "--free-gpu-memory-fraction", paramLabel = "F", description = "TensorRT-LLM's KV share of free memory (default 0.9).")
    Double freeGpuMemoryFraction;

    @Option(names = "--max-model-len", paramLabel = "N", description = "Longest sequence the engine admits (vLLM max_model_len, SGLang context_length, TRT-LLM max_seq_len, llama.cpp n_ctx, static max length).")
    Integer maxModelLen;

    @Option(names = "--block-size", paramLabel = "N", description = "KV block size in tokens (vLLM block_size, TRT-LLM tokens_per_block).")
    Integer blockSize;

    @Option(names = "--max-num-batched-tokens", paramLabel = "N", description = "Tokens in one forward pass (vLLM max_num_batched_tokens, SGLang chunked_prefill_size, TRT-LLM max_num_tokens).")
    Integer maxNumBatchedTokens;

    @Option(names = "--n-parallel", paramLabel = "N", description = "llama.cpp slots sharing n_ctx (default 1).")
    Integer nParallel;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1", description = "Concurrent sequences (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--input-tokens", paramLabel = "N", defaultValue = "1024", description = "Prompt tokens per sequence (default: ${DEFAULT-VALUE}).")
    int inputTokens;

    @Option(names = "--output-tokens", paramLabel = "N", defaultValue = "1024", description = "Generated tokens per sequence (default: ${DEFAULT-VALUE}).")
    int outputTokens;

    static final class PrecisionNames extends java.util.ArrayList<String> {
        PrecisionNames() {
            super(Precision.names());
        }
    }

    ModelSpec modelSpec() {
        return Catalog.model(model);
    }

    Workload workload() {
        return Workload.of(batch, inputTokens, outputTokens);
    }

    Deployment deployment() {
        if (gpu == null) {
            throw new InvalidInputException("--gpu is required — known: " + String.join(", ",
                    Catalog.gpus().stream().map(Gpu::id).sorted().toList()));
        }
        return deploymentOn(Catalog.gpu(gpu));
    }

    /** The deployment these options describe, on the given GPU. */
    Deployment deploymentOn(Gpu catalogGpu) {
        Gpu g = catalogGpu;
        if (gpuMemoryGib != null) {
            if (!(gpuMemoryGib > 0) || gpuMemoryGib.isInfinite()) {
                throw InvalidInputException.field("--gpu-memory-gib", gpuMemoryGib, "must be a positive number of GiB");
            }
            g = g.withVisibleMemory(Bytes.ofGiB(gpuMemoryGib).value());
        }
        int tensor = tp != null ? tp : gpus != null ? Math.max(1, gpus / pp) : 1;
        int total = gpus != null ? gpus : tensor * pp;
        return new Deployment(g, total, tensor, pp, ep,
                weights == null ? null : Precision.parse(weights, "weight precision (--weights)"),
                kvDtype == null ? null : Precision.parse(kvDtype, "KV cache precision (--kv-dtype)"),
                engine());
    }

    /** The engine with its max length set to the workload's context, unless the user set one. */
    Engine engineSizedFor(int contextTokens) {
        Integer saved = maxModelLen;
        maxModelLen = saved != null ? saved : Integer.valueOf(contextTokens);
        try {
            return engine();
        } finally {
            maxModelLen = saved;
        }
    }

    /** The named engine with the knobs given; a knob the engine does not have is an error, not ignored. */
    Engine engine() {
        Engine e = Engine.named(engine);
        if (e instanceof Vllm v) {
            reject("vllm", memFractionStatic, "--mem-fraction-static", freeGpuMemoryFraction, "--free-gpu-memory-fraction", nParallel, "--n-parallel");
            if (gpuMemoryUtilization != null) v = v.withGpuMemoryUtilization(gpuMemoryUtilization);
            if (blockSize != null) v = v.withBlockSize(blockSize);
            return v.withMaxModelLen(maxModelLen).withMaxNumBatchedTokens(maxNumBatchedTokens);
        }
        if (e instanceof Sglang s) {
            reject("sglang", gpuMemoryUtilization, "--gpu-memory-utilization", freeGpuMemoryFraction, "--free-gpu-memory-fraction", nParallel, "--n-parallel");
            reject("sglang", blockSize, "--block-size", null, null, null, null);
            Sglang out = s.withMemFractionStatic(memFractionStatic).withContextLength(maxModelLen);
            return maxNumBatchedTokens == null ? out
                    : new Sglang(out.memFractionStatic(), out.contextLength(), maxNumBatchedTokens, out.maxRunningRequests());
        }
        if (e instanceof TensorRtLlm t) {
            reject("trtllm", gpuMemoryUtilization, "--gpu-memory-utilization", memFractionStatic, "--mem-fraction-static", nParallel, "--n-parallel");
            if (freeGpuMemoryFraction != null) t = t.withFreeGpuMemoryFraction(freeGpuMemoryFraction);
            if (blockSize != null) t = t.withTokensPerBlock(blockSize);
            if (maxNumBatchedTokens != null) t = t.withMaxNumTokens(maxNumBatchedTokens);
            return t.withMaxSeqLen(maxModelLen);
        }
        if (e instanceof LlamaCpp l) {
            reject("llamacpp", gpuMemoryUtilization, "--gpu-memory-utilization", memFractionStatic, "--mem-fraction-static", freeGpuMemoryFraction, "--free-gpu-memory-fraction");
            reject("llamacpp", blockSize, "--block-size", maxNumBatchedTokens, "--max-num-batched-tokens", null, null);
            if (maxModelLen != null) l = l.withNCtx(maxModelLen);
            return nParallel != null ? l.withNParallel(nParallel) : l;
        }
        StaticCache s = (StaticCache) e;
        reject("static", gpuMemoryUtilization, "--gpu-memory-utilization", memFractionStatic, "--mem-fraction-static", freeGpuMemoryFraction, "--free-gpu-memory-fraction");
        reject("static", blockSize, "--block-size", maxNumBatchedTokens, "--max-num-batched-tokens", nParallel, "--n-parallel");
        return s.withMaxLength(maxModelLen);
    }

    private static void reject(String engine, Object a, String aName, Object b, String bName, Object c, String cName) {
        Object[][] given = {{a, aName}, {b, bName}, {c, cName}};
        for (Object[] g : given) {
            if (g[0] != null) {
                throw new InvalidInputException(g[1] + " does not apply to --engine " + engine
                        + " (it sets another engine's memory knob)");
            }
        }
    }
}
