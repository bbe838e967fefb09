package dev.headroom.core.plan;

import dev.headroom.core.hardware.Gpu;

/**
 * One way to meet a target: a GPU, a tensor-parallel replica and how many replicas.
 *
 * @param perReplica        concurrent users (users target) or requests/s (rate target) one replica sustains within the limits
 * @param usdPerHour        null when no price is known for the GPU
 */
public record PlanOption(Gpu gpu, int tp, int replicas, double perReplica, double tpotSeconds, Double ttftSeconds,
                         double outputTokensPerSecond, Double usdPerHour, Double usdPerMillionOutputTokens) {
    public int gpus() {
        return tp * replicas;
    }
}
