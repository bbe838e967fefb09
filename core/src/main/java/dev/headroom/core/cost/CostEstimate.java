package dev.headroom.core.cost;

/**
 * What the deployment costs and what its tokens cost.
 *
 * @param breakEvenTokensPerDay tokens per day (input + output, in the workload's mix) at which the API's bill
 *                              equals self-hosting's; null without an API to compare
 * @param capacityTokensPerDay  tokens per day the deployment serves at the modelled throughput and utilization
 */
public record CostEstimate(GpuPrice price, double usdPerGpuHour, double usdPerHour, double usdPerMonth,
                           double usdPerMillionInputTokens, double usdPerMillionOutputTokens, ApiPrice api,
                           Double breakEvenTokensPerDay, double capacityTokensPerDay) {
    public static final double HOURS_PER_MONTH = 730;

    /** Whether the deployment can serve enough tokens to beat the API at all. */
    public boolean breaksEven() {
        return breakEvenTokensPerDay != null && breakEvenTokensPerDay <= capacityTokensPerDay;
    }
}
