package dev.headroom.core.engine;

import dev.headroom.core.base.Bytes;

/**
 * Memory a serving process holds on each GPU that no framework allocator reports, shared by the engines' rules.
 * Each engine decides which of these its own accounting charges; the sizes are measured figures, cited.
 */
public final class DeviceMemory {
    private DeviceMemory() {}

    /**
     * The CUDA context and loaded kernel modules of a PyTorch serving process: SGLang logs 0.82 GiB in use before its
     * weights load on an RTX 3090 (found/memory.csv PS002: 23.58 GiB total, "Load weight begin. avail mem=22.76 GB")
     * and 0.71 GiB on an A800 at TP2 (PS005: 79.25 - 78.54); TensorRT-LLM 0.8 holds 0.68 GiB beside its engine on an
     * A100 (memory.csv M16: 79.15 - 69524783104 B / 0.9 - 6683 MiB).
     */
    public static final long CUDA_CONTEXT_BYTES = Bytes.ofGiB(0.7).value();

    /**
     * NCCL and custom all-reduce buffers once a model spans GPUs: vLLM's non-torch memory grows from 1.79 GiB at
     * TP1 to 3.58 GiB at TP2 on H100 (memory.csv M01/M02, PR vllm-project/vllm#10511).
     */
    public static final long COMMUNICATION_BYTES = Bytes.ofGiB(1.79).value();

    /**
     * CUDA-graph memory per captured graph per decoder layer: the graph pools vLLM and SGLang log ("Graph capturing
     * finished ... took X GiB", "Capture cuda graph end ... mem usage") over graphs x layers, in MiB: 0.60 (found/memory.csv
     * PM006: 0.60 GiB, 43 graphs, 24 layers), 0.65 (PM007), 0.72 (PM002: 1.00 GiB, 51 graphs, 28 layers), 1.06 (PS001),
     * 0.58 (PS003), 0.92 (PS005), 1.13 (PM003). The value is the median ConstantFits computes over the sources whose model the catalog has (0.92 since the catalog grew; it was 0.72 over fewer). validation/ConstantFits refits it from the rows whose
     * model the catalog has, with each source's leave-one-out error.
     */
    public static final long CUDA_GRAPH_BYTES_PER_LAYER = Bytes.ofGiB(0.92 / 1024).value();
}
