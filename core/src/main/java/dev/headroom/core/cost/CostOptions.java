package dev.headroom.core.cost;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.base.Require;

/**
 * How the GPUs are paid for.
 *
 * @param usdPerGpuHour     a stated price; null: the cheapest catalog listing (spot or on-demand)
 * @param utilization       share of the time the deployment serves at the modelled throughput (0, 1]
 * @param spot              price on spot capacity
 * @param interruptionRate  share of spot time lost to interruptions and restarts [0, 1)
 * @param api               an API price id to compare against; null: the cheapest API serving the same model, if any
 */
public record CostOptions(Double usdPerGpuHour, double utilization, boolean spot, double interruptionRate, String api) {
    public CostOptions {
        Require.fraction("utilization", utilization);
        if (usdPerGpuHour != null) {
            Require.positive("GPU price per hour", usdPerGpuHour);
        }
        if (!(interruptionRate >= 0 && interruptionRate < 1)) {
            throw InvalidInputException.field("interruption rate", interruptionRate, "must be in [0, 1)");
        }
    }

    public static CostOptions defaults() {
        return new CostOptions(null, 1.0, false, 0, null);
    }

    public CostOptions withPrice(Double usd) {
        return new CostOptions(usd, utilization, spot, interruptionRate, api);
    }

    public CostOptions withUtilization(double u) {
        return new CostOptions(usdPerGpuHour, u, spot, interruptionRate, api);
    }

    public CostOptions withSpot(double interruption) {
        return new CostOptions(usdPerGpuHour, utilization, true, interruption, api);
    }

    public CostOptions withApi(String id) {
        return new CostOptions(usdPerGpuHour, utilization, spot, interruptionRate, id);
    }
}
