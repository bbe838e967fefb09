package dev.headroom.core.hardware;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.base.Provenance;
import dev.headroom.core.precision.ComputeType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * An accelerator from the catalog (or a user's file).
 *
 * @param memoryBytes             nominal capacity, exact
 * @param reportedMemoryBytes     what the driver reports as total (engines budget from this); null if unknown
 * @param bandwidthBytesPerSecond HBM/GDDR bandwidth, decimal
 * @param peakFlops               dense FLOP/s per compute path; a path the GPU lacks is absent
 * @param usableMemoryFraction    unified-memory systems (Apple silicon): the share the OS lets the GPU wire; 1 otherwise
 * @param memoryType              "HBM3e", "GDDR6X", "LPDDR5"...; null when not known
 */
public record Gpu(String id, String name, String vendor, String architecture, long memoryBytes, Long reportedMemoryBytes,
                  double bandwidthBytesPerSecond, Map<ComputeType, Double> peakFlops, Interconnect interconnect,
                  int tdpWatts, int computeUnits, double usableMemoryFraction, String memoryType, List<String> aliases,
                  Provenance provenance) {
    public Gpu {
        peakFlops = peakFlops.isEmpty() ? Map.of() : new EnumMap<>(peakFlops);
        aliases = List.copyOf(aliases);
        if (memoryBytes <= 0) {
            throw InvalidInputException.field("memory_bytes", memoryBytes, "GPU " + id + " must have a positive memory size");
        }
        if (reportedMemoryBytes != null && reportedMemoryBytes <= 0) {
            throw InvalidInputException.field("reported_memory_bytes", reportedMemoryBytes, "GPU " + id + " must report a positive memory size");
        }
        if (!(bandwidthBytesPerSecond > 0) || Double.isInfinite(bandwidthBytesPerSecond)) {
            throw InvalidInputException.field("memory_bandwidth_gb_s", bandwidthBytesPerSecond / 1e9, "GPU " + id + " needs a positive bandwidth");
        }
        if (!(usableMemoryFraction > 0 && usableMemoryFraction <= 1)) {
            throw InvalidInputException.field("usable_memory_fraction", usableMemoryFraction, "must be in (0, 1]");
        }
        if (interconnect == null) {
            interconnect = Interconnect.NONE;
        }
    }

    /** The total an engine sees: the driver's figure when known, else the nominal capacity (unified memory: the GPU's share). */
    public long visibleMemoryBytes() {
        if (reportedMemoryBytes != null) {
            return reportedMemoryBytes;
        }
        return usableMemoryFraction == 1 ? memoryBytes : (long) Math.floor(memoryBytes * usableMemoryFraction);
    }

    public OptionalDouble peakFlops(ComputeType compute) {
        Double v = peakFlops.get(compute);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** The same GPU with a different visible memory, as when an engine reports 79.22 GiB on an H100. */
    public Gpu withVisibleMemory(long bytes) {
        if (bytes <= 0) {
            throw InvalidInputException.field("gpu memory", bytes + " bytes", "must be positive");
        }
        return new Gpu(id, name, vendor, architecture, memoryBytes, bytes, bandwidthBytesPerSecond, peakFlops,
                interconnect, tdpWatts, computeUnits, usableMemoryFraction, memoryType, aliases, provenance);
    }

    /**
     * The hardware family calibration constants are kept per: vendor and memory class ("nvidia-hbm", "nvidia-gddr",
     * "amd-hbm", "apple-unified"). Kernels, clocks and memory controllers differ between these, not within them.
     */
    public String family() {
        String type = memoryType == null ? "" : memoryType.toLowerCase(java.util.Locale.ROOT);
        String memoryClass = type.startsWith("hbm") ? "hbm" : type.startsWith("gddr") ? "gddr"
                : type.startsWith("lpddr") || usableMemoryFraction < 1 ? "unified" : "unknown";
        return vendor + "-" + memoryClass;
    }

    /** The same GPU on another link (cards without their bridge talk over PCIe). */
    public Gpu withInterconnect(Interconnect link) {
        return new Gpu(id, name, vendor, architecture, memoryBytes, reportedMemoryBytes, bandwidthBytesPerSecond, peakFlops,
                link, tdpWatts, computeUnits, usableMemoryFraction, memoryType, aliases, provenance);
    }

    /** The same GPU with another nominal capacity (a smaller or larger configuration of the same chip). */
    public Gpu withMemory(long bytes) {
        if (bytes <= 0) {
            throw InvalidInputException.field("gpu memory", bytes + " bytes", "must be positive");
        }
        return new Gpu(id, name, vendor, architecture, bytes, null, bandwidthBytesPerSecond, peakFlops,
                interconnect, tdpWatts, computeUnits, usableMemoryFraction, memoryType, aliases, provenance);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s (%s): %s, %.0f GB/s", id, name, Bytes.of(visibleMemoryBytes()),
                bandwidthBytesPerSecond / 1e9);
    }
}
