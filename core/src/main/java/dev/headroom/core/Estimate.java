package dev.headroom.core;

import dev.headroom.core.cost.CostEstimate;
import dev.headroom.core.memory.MemoryEstimate;
import dev.headroom.core.perf.PerfEstimate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Memory, speed and cost of one deployment under one workload. A configuration that does not fit has no
 * speed or cost; {@link #unavailable()} says why a part is missing.
 *
 * @param perf null unless the workload fits and the GPU lists FLOP/s for its compute path
 * @param cost null unless speed is known and a price is
 */
public record Estimate(MemoryEstimate memory, PerfEstimate perf, CostEstimate cost, Unavailable missing) {

    /** Why speed or cost is missing. */
    public enum Unavailable { NONE, DOES_NOT_FIT, NO_FLOPS, NO_PRICE, NO_SPOT_PRICE }

    /** Why speed or cost could not be estimated; null when both were. */
    public String unavailable() {
        String gpu = memory.deployment().gpu().id();
        return switch (missing) {
            case NONE -> null;
            case DOES_NOT_FIT -> "does not fit: " + memory.verdict();
            case NO_FLOPS -> "GPU " + gpu + " lists no dense FLOP/s for " + memory.weights().compute().key()
                    + " or any wider type; add peak_tflops_dense to its catalog file";
            case NO_PRICE -> "no price for " + gpu + " in the catalog: give one (CLI --gpu-price-per-hour, DSL pricePerGpuHour)";
            case NO_SPOT_PRICE -> "no spot price for " + gpu + " in the catalog: give one (CLI --gpu-price-per-hour, DSL pricePerGpuHour)";
        };
    }

    /** Every assumption: the memory terms' and, when speed was estimated, the efficiencies and load resolution. */
    public List<String> assumptions() {
        List<String> all = new ArrayList<>(memory.assumptions());
        if (perf != null) {
            all.addAll(perf.notes());
        }
        return all;
    }

    /** " [low-high]" for a figure's cross-validated band, or nothing when it has none. */
    private static String band(double low, double high, String format) {
        if (Double.isNaN(low) || Double.isNaN(high)) {
            return "";
        }
        return " [" + String.format(Locale.ROOT, format, low) + "-" + String.format(Locale.ROOT, format, high) + "]";
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(memory.toString());
        if (perf != null) {
            b.append(String.format(Locale.ROOT, "speed (%s, %.1f in flight; limited by %s):%n", perf.load(), perf.concurrency(), perf.bottleneck()));
            b.append(String.format(Locale.ROOT, "  TTFT %s%s, TPOT %.2f ms%s, end to end %s%s%n",
                    perf.ttftSeconds() == null ? "unbounded (overloaded)" : String.format(Locale.ROOT, "%.1f ms", 1e3 * perf.ttftSeconds()),
                    band(1e3 * perf.ttftLow(), 1e3 * perf.ttftHigh(), "%.1f"),
                    1e3 * perf.tpotSeconds(), band(1e3 * perf.tpotLow(), 1e3 * perf.tpotHigh(), "%.2f"),
                    perf.e2eLatencySeconds() == null ? "unbounded" : String.format(Locale.ROOT, "%.2f s", perf.e2eLatencySeconds()),
                    band(perf.e2eLatencyLow(), perf.e2eLatencyHigh(), "%.2f")));
            b.append(String.format(Locale.ROOT, "  output %,.0f tokens/s%s (%,.0f per GPU), total %,.0f tokens/s%n",
                    perf.outputTokensPerSecond(), band(perf.outputTokensPerSecondLow(), perf.outputTokensPerSecondHigh(), "%,.0f"),
                    perf.outputTokensPerSecondPerGpu(), perf.totalTokensPerSecond()));
            perf.notes().forEach(n -> b.append("  - ").append(n).append('\n'));
            perf.intervalBasis().forEach(n -> b.append("  - band of ").append(n).append('\n'));
        }
        if (cost != null) {
            b.append(String.format(Locale.ROOT, "cost: $%.2f per GPU-hour (%s, as of %s) -> $%.2f/hour, $%,.0f/month%n",
                    cost.usdPerGpuHour(), cost.price().provider(), cost.price().asOf(), cost.usdPerHour(), cost.usdPerMonth()));
            b.append(String.format(Locale.ROOT, "  $%.4f per 1M input tokens, $%.4f per 1M output tokens%n",
                    cost.usdPerMillionInputTokens(), cost.usdPerMillionOutputTokens()));
            if (cost.api() != null) {
                b.append(String.format(Locale.ROOT, "  vs %s ($%.2f / $%.2f per 1M in/out): break-even at %,.0f tokens/day; capacity %,.0f tokens/day%s%n",
                        cost.api().id(), cost.api().usdPerMillionInputTokens(), cost.api().usdPerMillionOutputTokens(),
                        cost.breakEvenTokensPerDay(), cost.capacityTokensPerDay(), cost.breaksEven() ? "" : " (never breaks even at this size)"));
            }
        }
        String why = unavailable();
        if (why != null) {
            b.append("not estimated: ").append(why).append('\n');
        }
        return b.toString();
    }
}
