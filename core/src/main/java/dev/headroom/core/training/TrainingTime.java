package dev.headroom.core.training;

import java.util.Locale;

/**
 * One optimizer step's time on a GPU, by named part (seconds), and the rates it gives.
 *
 * @param computeSeconds     GEMMs, attention, memory-bound work and NF4 dequantization of every micro-batch
 * @param bubbleSeconds      pipeline fill and drain: (p - 1) / v micro-batches' worth of compute
 * @param tensorParallelSeconds tensor-parallel all-reduces (not overlapped)
 * @param dataParallelSeconds   gradient reduction and ZeRO-3/FSDP parameter gathers left after overlap with compute
 * @param offloadSeconds     host transfers for offloaded or paged model states
 * @param optimizerSeconds   the optimizer step on the GPU (memory-bound: every state read and written once)
 * @param modelFlopsPerToken the MFU convention's FLOPs per token: 6 N + 12 L h s (LoRA: 4 N + 6 adapter + attention)
 * @param peakFlops          dense peak of the compute type in use
 */
public record TrainingTime(double computeSeconds, double bubbleSeconds, double tensorParallelSeconds,
                           double dataParallelSeconds, double offloadSeconds, double optimizerSeconds,
                           long tokensPerStepPerGpu, double modelFlopsPerToken, double peakFlops) {

    public double stepSeconds() {
        return computeSeconds + bubbleSeconds + tensorParallelSeconds + dataParallelSeconds + offloadSeconds + optimizerSeconds;
    }

    public double tokensPerSecondPerGpu() {
        return tokensPerStepPerGpu / stepSeconds();
    }

    /** Model FLOPs utilization: model FLOPs per second per GPU over the dense peak of the compute type (0-1). */
    public double mfu() {
        return modelFlopsPerToken * tokensPerSecondPerGpu() / peakFlops;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "step %.3f s = compute %.3f + bubble %.3f + TP %.3f + DP %.3f + offload %.3f + optimizer %.3f; "
                        + "%.0f tokens/s per GPU, MFU %.1f%%", stepSeconds(), computeSeconds, bubbleSeconds, tensorParallelSeconds,
                dataParallelSeconds, offloadSeconds, optimizerSeconds, tokensPerSecondPerGpu(), 100 * mfu());
    }
}
