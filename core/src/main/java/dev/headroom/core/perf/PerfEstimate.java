package dev.headroom.core.perf;

import dev.headroom.core.precision.ComputeType;
import dev.headroom.core.workload.Load;
import java.util.List;
import java.util.function.Supplier;

/**
 * Speed of a deployment under a load. Times in seconds, rates in tokens per second for the whole
 * deployment (all replicas) unless the name says per GPU.
 *
 * @param ttftSeconds     time to first token; null when the request rate exceeds capacity (the queue grows without bound)
 * @param concurrency     requests in flight (resolved for saturating and rate loads)
 * @param prefillShareOfGpuTime share of GPU time the prompts take (splits cost between input and output tokens)
 * @param noteMaker       how the load was resolved, in words; built only when read ({@link #notes()})
 */
public record PerfEstimate(Load load, Double ttftSeconds, double tpotSeconds, Double e2eLatencySeconds,
                           double outputTokensPerSecond, double outputTokensPerSecondPerGpu, double totalTokensPerSecond,
                           double concurrency, Bottleneck bottleneck, ComputeType computeType, double prefillShareOfGpuTime,
                           Efficiency efficiency, Supplier<List<String>> noteMaker) {

    /** The efficiencies, compute path and load resolution this estimate used, in words. */
    public List<String> notes() {
        return noteMaker.get();
    }

    public boolean overloaded() {
        return ttftSeconds == null;
    }
}
