package dev.headroom.core;

import java.util.Optional;

/**
 * Dollars from throughput: $ per 1M tokens = 1e6 x $/hour / (3600 x tokens/s x utilization). GPU time is
 * split between input and output tokens by the share of step time that prompts add (prefill is cheap
 * when it rides along memory-bound decode steps, expensive when compute-bound).
 */
public final class CostModel {
    private CostModel() {}

    /** The price these options select: the user's, else the cheapest catalog listing (spot or on-demand). */
    public static Optional<GpuPrice> price(Deployment d, CostOptions options) {
        String gpu = d.gpu().id();
        if (options.usdPerGpuHour() != null) {
            return Optional.of(GpuPrice.userStated(gpu, options.usdPerGpuHour()));
        }
        return options.spot() ? Prices.cheapestSpot(gpu) : Prices.cheapestOnDemand(gpu);
    }

    public static CostEstimate estimate(MemoryEstimate memory, PerfEstimate perf, CostOptions options, GpuPrice price) {
        Deployment d = memory.deployment();
        double perGpuHour = options.spot() && price.spotUsdPerGpuHour() != null ? price.spotUsdPerGpuHour() : price.onDemandUsdPerGpuHour();
        if (options.spot()) {
            perGpuHour /= 1 - options.interruptionRate(); // time lost to interruptions is paid for and serves nothing
        }
        double perHour = perGpuHour * d.gpus();
        Workload w = memory.workload();
        double outputPerHour = perf.outputTokensPerSecond() * 3600 * options.utilization();
        double inputPerHour = outputPerHour * w.inputTokens() / Math.max(1, w.outputTokens());
        double share = perf.prefillShareOfGpuTime();
        double perMillionInput = inputPerHour == 0 ? 0 : 1e6 * perHour * share / inputPerHour;
        double perMillionOutput = 1e6 * perHour * (1 - share) / outputPerHour;

        ApiPrice api = options.api() != null ? Prices.api(options.api())
                : Prices.cheapestApiFor(memory.model().id()).orElse(null);
        Double breakEven = null;
        double tokensPerRequest = w.inputTokens() + w.outputTokens();
        if (api != null) {
            double apiPerRequest = (w.inputTokens() * api.usdPerMillionInputTokens()
                    + w.outputTokens() * api.usdPerMillionOutputTokens()) / 1e6;
            double requestsPerDay = perHour * 24 / apiPerRequest;
            breakEven = requestsPerDay * tokensPerRequest;
        }
        double capacity = (outputPerHour + inputPerHour) * 24;
        return new CostEstimate(price, perGpuHour, perHour, perHour * CostEstimate.HOURS_PER_MONTH, perMillionInput,
                perMillionOutput, api, breakEven, capacity);
    }
}
