package dev.headroom.core;

import java.util.List;

/**
 * Speed of a deployment under a load. Times in seconds, rates in tokens per second for the whole
 * deployment (all replicas) unless the name says per GPU.
 *
 * @param ttftSeconds     time to first token; null when the request rate exceeds capacity (the queue grows without bound)
 * @param concurrency     requests in flight (resolved for MAX and RATE loads)
 * @param bottleneck      what limits: memory bandwidth, compute or communication (the step), KV capacity or engine max
 *                        sequences (admission), or overloaded (arrivals beyond capacity)
 */
public record PerfEstimate(Load load, Double ttftSeconds, double tpotSeconds, Double e2eLatencySeconds,
                           double outputTokensPerSecond, double outputTokensPerSecondPerGpu, double totalTokensPerSecond,
                           double concurrency, String bottleneck, String computeType, double prefillShareOfGpuTime,
                           Efficiency efficiency, List<String> notes) {
    public PerfEstimate {
        notes = List.copyOf(notes);
    }

    public boolean overloaded() {
        return ttftSeconds == null;
    }
}
