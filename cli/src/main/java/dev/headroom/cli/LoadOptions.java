package dev.headroom.cli;

import dev.headroom.core.CostOptions;
import dev.headroom.core.Efficiency;
import dev.headroom.core.InvalidInputException;
import dev.headroom.core.Load;
import java.util.function.UnaryOperator;
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

    @Option(names = "--mfu", paramLabel = "F", description = "Override the share of dense peak FLOP/s large GEMMs reach.")
    Double mfu;

    @Option(names = "--weight-bandwidth-efficiency", paramLabel = "F", description = "Override the share of bandwidth weight streaming reaches.")
    Double weightBandwidth;

    @Option(names = "--kv-bandwidth-efficiency", paramLabel = "F", description = "Override the share of bandwidth paged-KV reads reach.")
    Double kvBandwidth;

    @Option(names = "--step-overhead-ms", paramLabel = "MS", description = "Override the engine's fixed cost per step.")
    Double stepOverheadMs;

    /** The calibrated efficiencies with the overrides given. */
    UnaryOperator<Efficiency> efficiency() {
        return e -> {
            Efficiency out = e;
            if (mfu != null) out = out.withMfuMax(mfu);
            if (weightBandwidth != null) out = out.withWeightBandwidth(weightBandwidth);
            if (kvBandwidth != null) out = out.withKvBandwidth(kvBandwidth);
            if (stepOverheadMs != null) out = out.withStepOverheadSeconds(stepOverheadMs / 1e3);
            return out;
        };
    }

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
