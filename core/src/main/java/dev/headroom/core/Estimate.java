package dev.headroom.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Memory, speed and cost of one deployment under one load, with every assumption used.
 *
 * @param perf         null when no request fits (see {@code unavailable})
 * @param cost         null when speed is unavailable or no price is known (see {@code unavailable})
 * @param unavailable  why speed or cost could not be estimated; null when both were
 */
public record Estimate(MemoryEstimate memory, PerfEstimate perf, CostEstimate cost, String unavailable) {

    /** Memory, then speed under {@code load}, then cost; a part that cannot be estimated says why. */
    public static Estimate of(ModelSpec model, Deployment d, Workload w, Load load, UnaryOperator<Efficiency> tune,
                              CostOptions costs) {
        MemoryEstimate memory = MemoryModel.estimate(model, d, w);
        if (!PerfModel.admits(memory)) {
            return new Estimate(memory, null, null, "no request of " + w.contextTokens() + " tokens fits: " + memory.verdict());
        }
        PerfEstimate perf = PerfModel.estimate(memory, load, tune);
        Optional<GpuPrice> price = CostModel.price(d, costs);
        if (price.isEmpty()) {
            return new Estimate(memory, perf, null, "no " + (costs.spot() ? "spot " : "") + "price for " + d.gpu().id()
                    + " in the catalog: give one with --gpu-price-per-hour (DSL: pricePerGpuHour)");
        }
        return new Estimate(memory, perf, CostModel.estimate(memory, perf, costs, price.get()), null);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>(memory.toMap());
        Object assumptions = m.remove("assumptions");
        m.put("load", perf == null ? null : perf.load().toString());
        m.put("concurrency", perf == null ? null : round(perf.concurrency(), 2));
        m.put("ttft_s", perf == null || perf.ttftSeconds() == null ? null : round(perf.ttftSeconds(), 6));
        m.put("tpot_s", perf == null ? null : round(perf.tpotSeconds(), 6));
        m.put("e2e_latency_s", perf == null || perf.e2eLatencySeconds() == null ? null : round(perf.e2eLatencySeconds(), 4));
        m.put("output_tokens_per_s", perf == null ? null : round(perf.outputTokensPerSecond(), 2));
        m.put("output_tokens_per_s_per_gpu", perf == null ? null : round(perf.outputTokensPerSecondPerGpu(), 2));
        m.put("total_tokens_per_s", perf == null ? null : round(perf.totalTokensPerSecond(), 2));
        m.put("bottleneck", perf == null ? null : perf.bottleneck());
        m.put("usd_per_gpu_hour", cost == null ? null : round(cost.usdPerGpuHour(), 4));
        m.put("usd_per_hour", cost == null ? null : round(cost.usdPerHour(), 4));
        m.put("usd_per_month", cost == null ? null : round(cost.usdPerMonth(), 2));
        m.put("usd_per_million_input_tokens", cost == null ? null : round(cost.usdPerMillionInputTokens(), 4));
        m.put("usd_per_million_output_tokens", cost == null ? null : round(cost.usdPerMillionOutputTokens(), 4));
        m.put("price_source", cost == null ? null : cost.price().provider() + " " + cost.price().provenance().source()
                + " (as of " + cost.price().asOf() + ")");
        m.put("compared_api", cost == null || cost.api() == null ? null : cost.api().id());
        m.put("break_even_tokens_per_day", cost == null || cost.breakEvenTokensPerDay() == null ? null : Math.round(cost.breakEvenTokensPerDay()));
        m.put("capacity_tokens_per_day", cost == null ? null : Math.round(cost.capacityTokensPerDay()));
        m.put("unavailable", unavailable);
        List<Object> all = new ArrayList<>((List<?>) assumptions);
        if (perf != null) {
            all.addAll(perf.notes());
        }
        m.put("assumptions", all);
        return m;
    }

    private static double round(double v, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(v * scale) / scale;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(memory.toString());
        if (perf != null) {
            b.append(String.format(Locale.ROOT, "speed (%s, %.1f in flight; limited by %s):%n", perf.load(), perf.concurrency(), perf.bottleneck()));
            b.append(String.format(Locale.ROOT, "  TTFT %s, TPOT %.2f ms, end to end %s%n",
                    perf.ttftSeconds() == null ? "unbounded (overloaded)" : String.format(Locale.ROOT, "%.1f ms", 1e3 * perf.ttftSeconds()),
                    1e3 * perf.tpotSeconds(),
                    perf.e2eLatencySeconds() == null ? "unbounded" : String.format(Locale.ROOT, "%.2f s", perf.e2eLatencySeconds())));
            b.append(String.format(Locale.ROOT, "  output %,.0f tokens/s (%,.0f per GPU), total %,.0f tokens/s%n",
                    perf.outputTokensPerSecond(), perf.outputTokensPerSecondPerGpu(), perf.totalTokensPerSecond()));
            perf.notes().forEach(n -> b.append("  - ").append(n).append('\n'));
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
        if (unavailable != null) {
            b.append("not estimated: ").append(unavailable).append('\n');
        }
        return b.toString();
    }
}
