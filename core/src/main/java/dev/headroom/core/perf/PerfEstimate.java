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
 * @param intervals       the deployment's cross-validated error bands; read per metric through the *Low / *High methods
 */
public record PerfEstimate(Load load, double ttft, double tpotSeconds, double e2eLatency,
                           double outputTokensPerSecond, double outputTokensPerSecondPerGpu, double totalTokensPerSecond,
                           double concurrency, Bottleneck bottleneck, ComputeType computeType, double prefillShareOfGpuTime,
                           Efficiency efficiency, Supplier<List<String>> noteMaker, Intervals intervals) {

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

    private java.util.Optional<ErrorBand.Found> band(Intervals.Metric m) {
        return intervals.band(load.kind(), m);
    }

    private double low(Intervals.Metric m, double value) {
        ErrorBand.Found b = intervals.found(load.kind(), m);
        return b == null || Double.isNaN(value) ? Double.NaN : b.lowOf(value);
    }

    private double high(Intervals.Metric m, double value) {
        ErrorBand.Found b = intervals.found(load.kind(), m);
        return b == null || Double.isNaN(value) ? Double.NaN : b.highOf(value);
    }

    /** The low end of the output rate's cross-validated band (10th percentile); NaN without a band. */
    public double outputTokensPerSecondLow() {
        return low(Intervals.Metric.OUTPUT_RATE, outputTokensPerSecond);
    }

    public double outputTokensPerSecondHigh() {
        return high(Intervals.Metric.OUTPUT_RATE, outputTokensPerSecond);
    }

    public double ttftLow() {
        return low(Intervals.Metric.TTFT, ttft);
    }

    public double ttftHigh() {
        return high(Intervals.Metric.TTFT, ttft);
    }

    public double tpotLow() {
        return low(Intervals.Metric.TPOT, tpotSeconds);
    }

    public double tpotHigh() {
        return high(Intervals.Metric.TPOT, tpotSeconds);
    }

    public double e2eLatencyLow() {
        return low(Intervals.Metric.E2E, e2eLatency);
    }

    public double e2eLatencyHigh() {
        return high(Intervals.Metric.E2E, e2eLatency);
    }

    /** Which class of published measurements each band came from, or why there is none, in words. */
    public List<String> intervalBasis() {
        List<String> out = new java.util.ArrayList<>();
        for (Intervals.Metric m : Intervals.Metric.values()) {
            out.add(m.key() + ": " + band(m).map(b -> String.format(java.util.Locale.ROOT,
                    "80%% band x%.2f to x%.2f from %d cross-validated cases (%d sources) of %s", Math.exp(b.band().low()),
                    Math.exp(b.band().high()), b.band().n(), b.band().sources(), b.cls()))
                    .orElse("no band (too few published cases of this kind)"));
        }
        return out;
    }
}
