package dev.headroom.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/** Reads a GPU entry (catalog format) from JSON. Datasheet figures are decimal: GB/s and TFLOP/s. */
public final class GpuReader {
    private GpuReader() {}

    public static Gpu read(Path path) {
        try {
            return parse(Files.readString(path), path.toString());
        } catch (IOException e) {
            throw new InvalidInputException("cannot read GPU file '" + path + "': " + e.getMessage());
        }
    }

    /** NVIDIA SMs, AMD compute units, Apple GPU cores; 0 when the file gives none. */
    private static int computeUnits(Json j) {
        return j.has("compute_units") ? j.positiveInt("compute_units") : j.positiveInt("sm_count", 0);
    }

    static Gpu parse(String text, String file) {
        Json j = Json.parse(text, file);
        Map<String, Double> flops = new HashMap<>();
        Json peaks = j.child("peak_tflops_dense");
        for (Iterator<Map.Entry<String, JsonNode>> it = peaks.node().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNumber() && e.getValue().asDouble() > 0) {
                flops.put(e.getKey(), e.getValue().asDouble() * 1e12);
            }
        }
        Interconnect link = null;
        Json l = j.has("interconnect") ? j.child("interconnect") : null;
        if (l != null && l.has("bandwidth_gb_s")) { // single-chip systems have no GPU-to-GPU link
            link = new Interconnect(l.text("name", "link"), l.positiveDouble("bandwidth_gb_s") * 1e9,
                    l.has("latency_us") ? l.positiveDouble("latency_us") * 1e-6 : null);
        }
        return new Gpu(j.text("id"), j.text("name"), j.text("vendor"), j.text("architecture", "unknown"),
                j.longValue("memory_bytes"), j.has("reported_memory_bytes") ? j.longValue("reported_memory_bytes") : null,
                j.positiveDouble("memory_bandwidth_gb_s") * 1e9, flops, link,
                j.has("tdp_watts") ? j.positiveInt("tdp_watts") : 0,
                computeUnits(j),
                new Provenance(j.text("source"), j.text("verified")));
    }
}
