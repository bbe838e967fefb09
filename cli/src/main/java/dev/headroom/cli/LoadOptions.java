package dev.headroom.cli;

import dev.headroom.core.CostOptions;
import dev.headroom.core.InvalidInputException;
import dev.headroom.core.Load;
import picocli.CommandLine.Option;

/** How requests arrive and how the GPUs are paid for. */
final class LoadOptions {
    @Option(names = "--concurrency", paramLabel = "N|max", description = "Requests in flight in a closed loop, or 'max' for the saturating throughput.")
    String concurrency;

    @Option(names = "--request-rate", paramLabel = "QPS", description = "Requests per second (Poisson arrivals); TTFT includes queueing.")
    Double requestRate;

    @Option(names = "--gpu-price-per-hour", paramLabel = "USD", description = "Price of one GPU-hour (default: the cheapest catalog listing).")
    Double gpuPricePerHour;

    @Option(names = "--utilization", paramLabel = "F", defaultValue = "1.0", description = "Share of time serving at this throughput (default: ${DEFAULT-VALUE}).")
    double utilization;

    @Option(names = "--spot", paramLabel = "INTERRUPTION", arity = "0..1", fallbackValue = "0.05",
            description = "Price on spot capacity, losing this share of time to interruptions (default when given: ${FALLBACK-VALUE}).")
    Double spotInterruption;

    @Option(names = "--compare-api", paramLabel = "ID", description = "API price to compare against (default: the cheapest API serving the same model).")
    String compareApi;

    /** --batch without --concurrency or --request-rate is a static batch. */
    Load load(int batch) {
        if (concurrency != null && requestRate != null) {
            throw new InvalidInputException("--concurrency and --request-rate both set: choose one way requests arrive");
        }
        if (requestRate != null) {
            return Load.rate(requestRate);
        }
        if (concurrency == null) {
            return Load.staticBatch(batch);
        }
        if (concurrency.equalsIgnoreCase("max")) {
            return Load.max();
        }
        try {
            return Load.concurrency(Integer.parseInt(concurrency));
        } catch (NumberFormatException e) {
            throw InvalidInputException.field("--concurrency", "'" + concurrency + "'", "give a positive whole number or 'max'");
        }
    }

    CostOptions costs() {
        CostOptions c = CostOptions.defaults().withPrice(gpuPricePerHour).withUtilization(utilization);
        if (spotInterruption != null) {
            c = c.withSpot(spotInterruption);
        }
        return compareApi != null ? c.withApi(compareApi) : c;
    }
}
