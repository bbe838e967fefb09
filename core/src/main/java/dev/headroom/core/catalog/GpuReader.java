package dev.headroom.core.catalog;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.base.Provenance;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.hardware.Interconnect;
import dev.headroom.core.precision.ComputeType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** Reads a GPU entry (catalog format) from JSON. Datasheet figures are decimal: GB/s and TFLOP/s. */
public final class GpuReader {
    private GpuReader() {}

    public static Gpu read(Path path) {
        String text = ModelConfigReader.readText(path, "GPU file");
        Json j = Json.parse(text, path.toString());
        Provenance provenance = j.has("source") ? new Provenance(j.text("source"), j.text("verified", "unverified"))
                : Provenance.userFile(path.toString());
        return parse(j, provenance);
    }

    static Gpu parse(String text, String file) {
        Json j = Json.parse(text, file);
        return parse(j, new Provenance(j.text("source"), j.text("verified")));
    }

    private static Gpu parse(Json j, Provenance provenance) {
        Map<ComputeType, Double> flops = new EnumMap<>(ComputeType.class);
        Json peaks = j.child("peak_tflops_dense");
        for (Map.Entry<String, Object> e : peaks.fields().entrySet()) {
            ComputeType c = ComputeType.ofKey(e.getKey());
            if (c == null) {
                throw InvalidInputException.unknown("compute type in " + peaks.file(), e.getKey(),
                        Arrays.stream(ComputeType.values()).map(ComputeType::key).toList());
            }
            if (e.getValue() == null) {
                continue; // the GPU has no such tensor path
            }
            double tflops = peaks.positiveDouble(e.getKey());
            flops.put(c, tflops * 1e12);
        }
        long memory = j.longValue("memory_bytes");
        if (memory <= 0) {
            throw new InvalidInputException(j.file() + ": field 'memory_bytes' = " + memory + " must be a positive number of bytes");
        }
        Long reported = null;
        if (j.has("reported_memory_bytes")) {
            reported = j.longValue("reported_memory_bytes");
            if (reported <= 0 || reported > memory * 2) {
                throw new InvalidInputException(j.file() + ": field 'reported_memory_bytes' = " + reported
                        + " must be positive and close to memory_bytes = " + memory);
            }
        }
        double usable = j.has("usable_memory_fraction") ? j.positiveDouble("usable_memory_fraction") : 1.0;
        if (usable > 1) {
            throw new InvalidInputException(j.file() + ": field 'usable_memory_fraction' = " + usable + " must be in (0, 1]");
        }
        return new Gpu(j.text("id"), j.text("name", j.text("id")), j.text("vendor", "unknown").toLowerCase(Locale.ROOT),
                j.text("architecture", "unknown").toLowerCase(Locale.ROOT), memory, reported,
                j.positiveDouble("memory_bandwidth_gb_s") * 1e9, flops, interconnect(j),
                j.has("tdp_watts") ? j.positiveInt("tdp_watts") : 0,
                j.has("compute_units") ? j.positiveInt("compute_units") : j.positiveInt("sm_count", 0),
                usable, j.has("memory_type") ? j.text("memory_type") : null, j.texts("aliases"), provenance);
    }

    /** The link, with its topology; files that predate the topology field are read from the link's name. */
    private static Interconnect interconnect(Json j) {
        if (!j.has("interconnect")) {
            return Interconnect.NONE;
        }
        Json l = j.child("interconnect");
        if (!l.has("bandwidth_gb_s")) {
            return Interconnect.NONE; // single-chip systems have no GPU-to-GPU link
        }
        String name = l.text("name", "link");
        Interconnect.Topology topology;
        if (l.has("topology")) {
            String t = l.text("topology").toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                topology = Interconnect.Topology.valueOf(t.equals("ETHERNET_ROCE") ? "ETHERNET" : t);
            } catch (IllegalArgumentException e) {
                throw InvalidInputException.unknown("interconnect topology in " + l.file(), l.text("topology"),
                        Arrays.stream(Interconnect.Topology.values()).map(v -> v.name().toLowerCase(Locale.ROOT)).toList());
            }
        } else {
            String n = name.toLowerCase(Locale.ROOT);
            topology = n.contains("nvlink") || n.contains("nvswitch") ? Interconnect.Topology.NVSWITCH : Interconnect.Topology.PCIE;
        }
        int perNode = l.positiveInt("max_gpus_per_node", topology == Interconnect.Topology.NVLINK_BRIDGE ? 2 : 8);
        return new Interconnect(name, l.positiveDouble("bandwidth_gb_s") * 1e9,
                l.has("latency_us") ? l.positiveDouble("latency_us") * 1e-6 : null, topology, perNode);
    }
}
