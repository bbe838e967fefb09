package dev.headroom.dsl;

import dev.headroom.core.Columns;
import dev.headroom.core.training.TrainingColumns;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tech.tablesaw.api.Table;

/**
 * Words for charts: an axis label with its unit for a column ("KV pool per GPU (GiB)"), how a column's values are
 * scaled for display (bytes to GiB), and a title naming the model, GPU and engine a table is about.
 */
final class Labels {
    static final double GIB = 1L << 30;

    /** Columns that are not in the column lists but that sweeps and tables make. */
    private static final Map<String, String> OWN = Map.of(
            "context", "context (tokens per sequence)",
            "max_length", "engine max length (tokens)",
            "published", "published value",
            "predicted", "Headroom's prediction");

    private Labels() {}

    private record Known(String label, String unit) {}

    private static Optional<Known> known(String column) {
        Optional<Known> serving = Columns.named(column).map(c -> new Known(c.label(), c.unit().symbol()));
        return serving.isPresent() ? serving : TrainingColumns.named(column).map(c -> new Known(c.label(), c.unit().symbol()));
    }

    /** Whether a column holds bytes (shown in GiB). */
    static boolean isBytes(String column) {
        return known(column).map(k -> k.unit().equals("bytes")).orElse(column.contains("bytes"));
    }

    /** What to multiply a column's values by for display: bytes become GiB, the rest stay. */
    static double scale(String column) {
        return isBytes(column) ? 1 / GIB : 1;
    }

    /** "weights per GPU (GiB)", "time per output token (ms)", "batch (sequences)"; a column of one's own in words. */
    static String axis(String column) {
        if (OWN.containsKey(column)) {
            return OWN.get(column);
        }
        return known(column).map(k -> {
            String unit = k.unit().equals("bytes") ? "GiB" : k.unit();
            return unit.isEmpty() ? k.label() : k.label() + " (" + unit + ")";
        }).orElse(column.replace('_', ' '));
    }

    /** The label without its unit: "weights per GPU". */
    static String words(String column) {
        if (OWN.containsKey(column)) {
            return OWN.get(column).replaceFirst(" \\(.*\\)$", "");
        }
        return known(column).map(Known::label).orElse(column.replace('_', ' '));
    }

    /**
     * What a table is about, from its columns that hold one value: "llama-3.1-8b on 1 × h100-sxm, vllm 0.6". A setting
     * that varies is named as varying ("several GPUs"), so a title never claims one GPU for a chart of many.
     */
    static String subject(Table t) {
        String model = single(t, "model", "several models");
        String gpu = single(t, "gpu", "several GPUs");
        String gpus = single(t, "gpus", null);
        String engine = single(t, "engine", "several engines");
        String version = single(t, "engine_version", null);
        List<String> parts = new ArrayList<>();
        if (model != null) {
            parts.add(model);
        }
        if (gpu != null) {
            // "llama-3.1-8b on 2 × h100-sxm"; without a model (a plan's table) just the GPUs
            parts.add((model != null ? "on " : "") + (gpus != null && !gpu.startsWith("several") ? gpus + " × " : "") + gpu);
        }
        String head = String.join(" ", parts);
        if (engine != null) {
            head += (head.isEmpty() ? "" : ", ") + engine + (version != null && !engine.startsWith("several") ? " " + version : "");
        }
        return head;
    }

    /** The one value of a column, or {@code several} when it varies; null when the table has no such column. */
    private static String single(Table t, String column, String several) {
        if (!t.columnNames().contains(column) || t.rowCount() == 0) {
            return null;
        }
        var c = t.column(column);
        String first = c.getUnformattedString(0);
        for (int r = 1; r < t.rowCount(); r++) {
            if (!c.getUnformattedString(r).equals(first)) {
                return several;
            }
        }
        return first.isEmpty() ? null : first;
    }

    /** "Memory per GPU by batch — llama-3.1-8b on 1 × h100-sxm, vllm 0.6". */
    static String title(String what, Table t) {
        String about = subject(t);
        return about.isEmpty() ? what : what + " — " + about;
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%,.3g", v);
    }
}
