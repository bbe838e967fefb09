package dev.headroom.core.training;

import dev.headroom.core.base.Require;

/**
 * DeepSpeed's own model-state estimators, line for line: {@code estimate_zero2_model_states_mem_needs}
 * (deepspeed/runtime/zero/stage_1_and_2.py) and {@code estimate_zero3_model_states_mem_needs}
 * (deepspeed/runtime/zero/stage3.py), read at github:deepspeedai/DeepSpeed@edaa72212. Python's {@code int()}
 * truncation is kept. They count mixed-precision Adam for full training from the total and the largest layer's
 * parameters; the per-term model ({@link TrainingModel}) reproduces their GPU figures for the same setup.
 *
 * <p>The ZeRO-2 formula changed in v0.14.3 (PR #5099, "was considering 4 bytes per model param, and 4 bytes per
 * gradient; fixed it to 2 bytes"): before it, no offload was {@code 4P + 16P/N}; since, {@code 2P + 18P/N}. The
 * examples in docs/code-docs/source/memory.rst still print the old figures.
 */
public final class DeepSpeedEstimator {
    /** The estimator's default additional_buffer_factor on host memory. */
    public static final double BUFFER_FACTOR = 1.5;

    /** Which ZeRO-2 formula: the one the documented examples print, or the one the code has had since v0.14.3. */
    public enum Zero2Formula { BEFORE_V0_14_3, SINCE_V0_14_3 }

    /** Bytes of host memory (per node) and of GPU memory (per GPU) for params, gradients and optimizer states. */
    public record Needs(long cpuBytes, long gpuBytes) {}

    private DeepSpeedEstimator() {}

    public static Needs zero2(double totalParams, int gpusPerNode, int nodes, boolean cpuOffload, double bufferFactor,
                              Zero2Formula formula) {
        Require.positive("GPUs per node", gpusPerNode);
        Require.positive("nodes", nodes);
        int totalGpus = nodes * gpusPerNode;
        double cpu;
        double gpu;
        if (cpuOffload) {
            gpu = 2 * totalParams;
            cpu = totalParams * Math.max(4 * totalGpus, 16) * bufferFactor;
        } else {
            gpu = formula == Zero2Formula.SINCE_V0_14_3
                    ? 2 * totalParams + Math.floor(18 * totalParams / totalGpus)
                    : 4 * totalParams + Math.floor(16 * totalParams / totalGpus);
            cpu = totalParams * 4 * gpusPerNode * bufferFactor;
        }
        return new Needs((long) cpu, (long) gpu);
    }

    public static Needs zero3(double totalParams, double largestLayerParams, int gpusPerNode, int nodes, boolean cpuOffload,
                              boolean cpuOffloadParams, boolean zeroInit, double bufferFactor) {
        Require.positive("GPUs per node", gpusPerNode);
        Require.positive("nodes", nodes);
        int totalGpus = nodes * gpusPerNode;
        double gpusFactor = 1.0 / nodes;
        double largestLayerMemory = 4 * largestLayerParams;
        double cpu;
        double gpu;
        if (cpuOffload) {
            if (cpuOffloadParams) {
                gpu = largestLayerMemory;
                cpu = zeroInit ? totalParams * 18 * gpusFactor * bufferFactor
                        : totalParams * Math.max(4 * gpusPerNode, 18 * gpusFactor) * bufferFactor;
            } else {
                gpu = largestLayerMemory + Math.floor(2 * totalParams / totalGpus);
                cpu = zeroInit ? totalParams * 16 * gpusFactor * bufferFactor
                        : totalParams * Math.max(4 * gpusPerNode, 16 * gpusFactor) * bufferFactor;
            }
        } else {
            gpu = largestLayerMemory + Math.floor(18 * totalParams / totalGpus);
            cpu = zeroInit ? largestLayerParams * 4 * gpusPerNode * bufferFactor : totalParams * 4 * gpusPerNode * bufferFactor;
        }
        return new Needs((long) cpu, (long) gpu);
    }
}
