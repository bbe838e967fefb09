package dev.headroom.core.cost;

import dev.headroom.core.memory.MemoryEstimate;
import dev.headroom.core.perf.PerfEstimate;
import dev.headroom.core.workload.Workload;
import java.util.Optional;

/**
 * Dollars from throughput: $ per 1M tokens = 1e6 x $/hour / (3600 x tokens/s x utilization). GPU time is
 * split between input and output tokens by the share of step time that prompts add (prefill is cheap
 * when it rides along memory-bound decode steps, expensive when compute-bound). Prices are passed in.
 */
public final class CostModel {
    private CostModel() {}

    /** The price these options select: the user's, else the cheapest listing in the book (spot or on-demand). */
    public static Optional<GpuPrice> price(String gpuId, CostOptions options, PriceBook book) {
        if (options.usdPerGpuHour() != null) {
            return Optional.of(GpuPrice.userStated(gpuId, options.usdPerGpuHour()));
        }
        return options.spot() ? book.cheapestSpot(gpuId) : book.cheapestOnDemand(gpuId);
    }

    /** The API to compare against: the one the options name, else the cheapest serving the same model, if any. */
    public static Optional<ApiPrice> api(String modelId, CostOptions options, PriceBook book) {
        return options.api() != null ? Optional.of(book.api(options.api())) : book.cheapestApiFor(modelId);
    }

    /** The $/GPU-hour actually paid: spot time lost to interruptions is paid for and serves nothing. */
    public static double usdPerGpuHour(GpuPrice price, CostOptions options) {
        double perGpuHour = options.spot() && price.spotUsdPerGpuHour() != null ? price.spotUsdPerGpuHour() : price.onDemandUsdPerGpuHour();
        return options.spot() ? perGpuHour / (1 - options.interruptionRate()) : perGpuHour;
    }

    /** @param api the API to compare against, or null */
    public static CostEstimate estimate(MemoryEstimate memory, PerfEstimate perf, CostOptions options, GpuPrice price, ApiPrice api) {
        double perGpuHour = usdPerGpuHour(price, options);
        double perHour = perGpuHour * memory.deployment().gpus();
        Workload w = memory.workload();
        double outputPerHour = perf.outputTokensPerSecond() * 3600 * options.utilization();
        double inputPerHour = outputPerHour * w.inputTokens() / Math.max(1, w.outputTokens());
        double share = perf.prefillShareOfGpuTime();
        double perMillionInput = inputPerHour == 0 ? 0 : 1e6 * perHour * share / inputPerHour;
        double perMillionOutput = 1e6 * perHour * (1 - share) / outputPerHour;
        Double breakEven = null;
        if (api != null) {
            double apiPerRequest = (w.inputTokens() * api.usdPerMillionInputTokens()
                    + w.outputTokens() * api.usdPerMillionOutputTokens()) / 1e6;
            double requestsPerDay = perHour * 24 / apiPerRequest;
            breakEven = requestsPerDay * (w.inputTokens() + w.outputTokens());
        }
        double capacity = (outputPerHour + inputPerHour) * 24;
        return new CostEstimate(price, perGpuHour, perHour, perHour * CostEstimate.HOURS_PER_MONTH, perMillionInput,
                perMillionOutput, api, breakEven, capacity);
    }
}
