package dev.headroom.core.perf;

import dev.headroom.core.precision.ComputeType;
import dev.headroom.core.workload.Load;
import java.util.List;
import java.util.function.Supplier;

/**
 * Speed of a deployment under a load. Times in seconds, rates in tokens per second for the whole
 * deployment (all replicas) unless the name says per GPU.
 *
 * @param ttft            time to first token in seconds; NaN when the request rate exceeds capacity (the queue grows
 *                        without bound) — read it through {@link #ttftSeconds()}, which says so with null
 * @param e2eLatency      end-to-end latency in seconds; NaN when unbounded (see {@link #e2eLatencySeconds()})
 * @param concurrency     requests in flight (resolved for saturating and rate loads)
 * @param prefillShareOfGpuTime share of GPU time the prompts take (splits cost between input and output tokens)
 * @param noteMaker       how the load was resolved, in words; built only when read ({@link #notes()})
 */
public record PerfEstimate(Load load, double ttft, double tpotSeconds, double e2eLatency,
                           double outputTokensPerSecond, double outputTokensPerSecondPerGpu, double totalTokensPerSecond,
                           double concurrency, Bottleneck bottleneck, ComputeType computeType, double prefillShareOfGpuTime,
                           Efficiency efficiency, Supplier<List<String>> noteMaker) {

    /** The efficiencies, compute path and load resolution this estimate used, in words. */
    public List<String> notes() {
        return noteMaker.get();
    }

    /** Time to first token in seconds; null when requests queue without bound (overloaded). */
    public Double ttftSeconds() {
        return Double.isNaN(ttft) ? null : ttft;
    }

    /** End-to-end latency in seconds; null when requests queue without bound (overloaded). */
    public Double e2eLatencySeconds() {
        return Double.isNaN(e2eLatency) ? null : e2eLatency;
    }

    public boolean overloaded() {
        return Double.isNaN(ttft);
    }
}
