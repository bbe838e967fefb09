package dev.headroom.core;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * An accelerator from the catalog (or a user's file).
 *
 * @param memoryBytes          nominal capacity, exact
 * @param reportedMemoryBytes  what the driver reports as total (engines budget from this); null if unknown
 * @param bandwidthBytesPerSecond HBM/GDDR bandwidth, decimal
 * @param peakFlops            dense tensor FLOP/s per compute type ("bf16", "fp16", "fp8", "int8", "fp4", "fp32")
 */
public record Gpu(String id, String name, String vendor, String architecture, long memoryBytes, Long reportedMemoryBytes,
                  double bandwidthBytesPerSecond, Map<String, Double> peakFlops, Interconnect interconnect,
                  int tdpWatts, int computeUnits, Provenance provenance) {
    public Gpu {
        peakFlops = Map.copyOf(peakFlops);
    }

    /** The total an engine sees: the driver's figure when known, else the nominal capacity. */
    public long visibleMemoryBytes() {
        return reportedMemoryBytes != null ? reportedMemoryBytes : memoryBytes;
    }

    public OptionalDouble peakFlops(String compute) {
        Double v = peakFlops.get(compute);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    public Optional<Long> reportedMemory() {
        return Optional.ofNullable(reportedMemoryBytes);
    }

    /** The same GPU with a different visible memory, as when an engine reports 79.22 GiB on an H100. */
    public Gpu withVisibleMemory(long bytes) {
        if (bytes <= 0) {
            throw InvalidInputException.field("gpu memory", bytes + " bytes", "must be positive");
        }
        return new Gpu(id, name, vendor, architecture, memoryBytes, bytes, bandwidthBytesPerSecond, peakFlops,
                interconnect, tdpWatts, computeUnits, provenance);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s (%s): %s, %.0f GB/s", id, name, Bytes.of(visibleMemoryBytes()),
                bandwidthBytesPerSecond / 1e9);
    }
}
