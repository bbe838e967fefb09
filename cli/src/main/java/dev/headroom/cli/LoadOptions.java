package dev.headroom.cli;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.cost.CostOptions;
import dev.headroom.core.perf.Efficiency;
import dev.headroom.core.workload.Load;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/** How requests arrive and how the GPUs are paid for. */
final class LoadOptions {
    @Option(names = "--batch", paramLabel = "N", description = "A static batch of N sequences that must fit at once (the default load, with N = 1).")
    Integer batch;

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

    @Option(names = "--calibration", paramLabel = "FILE",
            description = "Speed constants from ./headroom calibrate --measurements (default: Headroom's own, fitted to published measurements).")
    java.nio.file.Path calibrationFile;

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
        checkFraction("--mfu", mfu);
        checkFraction("--weight-bandwidth-efficiency", weightBandwidth);
        checkFraction("--kv-bandwidth-efficiency", kvBandwidth);
        if (stepOverheadMs != null && (!(stepOverheadMs >= 0) || stepOverheadMs.isInfinite())) {
            throw InvalidInputException.field("--step-overhead-ms", stepOverheadMs, "must be zero or a positive number of milliseconds");
        }
        return e -> {
            Efficiency out = e;
            if (mfu != null) out = out.withMfuMax(mfu);
            if (weightBandwidth != null) out = out.withWeightBandwidth(weightBandwidth);
            if (kvBandwidth != null) out = out.withKvBandwidth(kvBandwidth);
            if (stepOverheadMs != null) out = out.withStepOverheadSeconds(stepOverheadMs / 1e3);
            return out;
        };
    }

    private static void checkFraction(String flag, Double v) {
        if (v != null && !(v > 0 && v <= 1)) {
            throw InvalidInputException.field(flag, v, "must be in (0, 1]");
        }
    }

    /** One way requests arrive: --batch, --concurrency or --request-rate (a static batch of one when none is given). */
    Load load() {
        int given = (batch != null ? 1 : 0) + (concurrency != null ? 1 : 0) + (requestRate != null ? 1 : 0);
        if (given > 1) {
            List<String> got = new ArrayList<>();
            if (batch != null) got.add("--batch " + batch);
            if (concurrency != null) got.add("--concurrency " + concurrency);
            if (requestRate != null) got.add("--request-rate " + requestRate);
            throw new InvalidInputException("choose one way requests arrive: --batch, --concurrency or --request-rate, not "
                    + String.join(" and ", got) + " together (memory would be sized for one and speed for the other)");
        }
        if (requestRate != null) {
            if (!(requestRate > 0) || requestRate.isInfinite()) {
                throw InvalidInputException.field("--request-rate", requestRate, "must be a positive number of requests per second");
            }
            return Load.rate(requestRate);
        }
        if (concurrency != null) {
            if (concurrency.equalsIgnoreCase("max")) {
                return Load.saturating();
            }
            try {
                int n = Integer.parseInt(concurrency.trim());
                if (n <= 0) {
                    throw InvalidInputException.field("--concurrency", n, "give a positive whole number or 'max'");
                }
                return Load.concurrency(n);
            } catch (NumberFormatException e) {
                throw InvalidInputException.field("--concurrency", "'" + concurrency + "'", "give a positive whole number or 'max'");
            }
        }
        int b = batch == null ? 1 : batch;
        if (b <= 0) {
            throw InvalidInputException.field("--batch", b, "must be a positive whole number of sequences");
        }
        return Load.batch(b);
    }

    /** The calibration estimates use: the user's file, else the shipped fit. */
    dev.headroom.core.perf.Calibration calibration() {
        return calibrationFile == null ? dev.headroom.core.perf.Calibration.DEFAULT
                : dev.headroom.core.perf.Calibration.read(calibrationFile);
    }

    CostOptions costs() {
        if (gpuPricePerHour != null && (!(gpuPricePerHour > 0) || gpuPricePerHour.isInfinite())) {
            throw InvalidInputException.field("--gpu-price-per-hour", gpuPricePerHour, "must be a positive number of US dollars");
        }
        checkFraction("--utilization", utilization);
        if (spotInterruption != null && !(spotInterruption >= 0 && spotInterruption < 1)) {
            throw InvalidInputException.field("--spot", spotInterruption, "the interruption share must be in [0, 1)");
        }
        CostOptions c = CostOptions.defaults().withPrice(gpuPricePerHour).withUtilization(utilization);
        if (spotInterruption != null) {
            c = c.withSpot(spotInterruption);
        }
        return compareApi != null ? c.withApi(compareApi) : c;
    }
}
