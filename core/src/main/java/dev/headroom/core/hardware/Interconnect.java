package dev.headroom.core;

/**
 * The GPU-to-GPU link tensor parallelism uses.
 *
 * @param bytesPerSecond per GPU, per direction (decimal)
 * @param latencySeconds one hop of a collective; null when no source states it
 */
public record Interconnect(String name, double bytesPerSecond, Double latencySeconds) {}
