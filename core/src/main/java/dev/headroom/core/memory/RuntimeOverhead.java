package dev.headroom.core.memory;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.engine.Deployment;

/**
 * Memory on each GPU that is neither weights, activations nor KV: the CUDA context and library
 * workspaces (cuBLAS, cuDNN), plus communication buffers (NCCL, custom all-reduce) once a model spans
 * GPUs. vLLM reports these as "non-torch memory": 0.35 GiB on an RTX 3090 and 1.79 GiB on an H100 at
 * TP=1, and 3.58 GiB at TP=2 (logs cited in validation/memory.csv).
 */
final class RuntimeOverhead {
    /** CUDA context and library workspaces; between the two single-GPU measurements above. */
    static final long CONTEXT_BYTES = Bytes.GIB / 2;
    /** NCCL and custom all-reduce buffers: the measured TP1 -> TP2 step. */
    static final long COMMUNICATION_BYTES = Bytes.ofGiB(1.79).value();

    private RuntimeOverhead() {}

    static long perGpu(Deployment d) {
        return CONTEXT_BYTES + (communicates(d) ? COMMUNICATION_BYTES : 0);
    }

    /** Tensor, pipeline and expert parallelism all keep communication buffers. */
    private static boolean communicates(Deployment d) {
        return d.tp() * d.pp() > 1 || d.ep() > 1;
    }

    static String describe(Deployment d) {
        return "runtime overhead per GPU: CUDA context and workspaces " + Bytes.of(CONTEXT_BYTES)
                + (communicates(d) ? " + communication buffers " + Bytes.of(COMMUNICATION_BYTES) : "");
    }
}
