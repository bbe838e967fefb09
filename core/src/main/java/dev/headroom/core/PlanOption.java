package dev.headroom.core;

/**
 * One way to meet a target: a GPU, a tensor-parallel replica and how many replicas.
 *
 * @param perReplica        concurrent users (USERS) or requests/s (RATE) one replica sustains within the limits
 * @param usdPerHour        null when the catalog has no price for the GPU
 */
public record PlanOption(Gpu gpu, int tp, int replicas, double perReplica, double tpotSeconds, Double ttftSeconds,
                         double outputTokensPerSecond, Double usdPerHour, Double usdPerMillionOutputTokens) {
    public int gpus() {
        return tp * replicas;
    }
}
