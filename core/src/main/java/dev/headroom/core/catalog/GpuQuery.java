package dev.headroom.core.catalog;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.hardware.Gpu;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Which catalog GPUs to list: a vendor ("amd"), optional. The command line and the notebook DSL both find GPUs
 * through it.
 *
 * @param vendor lowercase vendor name, or null for every vendor
 */
public record GpuQuery(String vendor) {

    public static GpuQuery all() {
        return new GpuQuery(null);
    }

    /** Only this vendor (case-insensitive); an unknown one is refused with the vendors the catalog has. */
    public GpuQuery vendor(String name) {
        if (name == null || name.isBlank()) {
            return all();
        }
        String v = name.trim().toLowerCase(Locale.ROOT);
        List<String> known = Catalog.vendors();
        if (!known.contains(v)) {
            throw InvalidInputException.unknown("vendor", name, known);
        }
        return new GpuQuery(v);
    }

    /** The matching GPUs, by id. */
    public List<Gpu> gpus() {
        return Catalog.gpus().stream().filter(g -> vendor == null || vendor.equals(g.vendor().toLowerCase(Locale.ROOT)))
                .sorted(Comparator.comparing(Gpu::id)).toList();
    }

    public List<String> ids() {
        return gpus().stream().map(Gpu::id).toList();
    }
}
