package dev.headroom.validation;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.engine.DeviceMemory;
import dev.headroom.core.memory.MemoryEstimate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The constants that had to be fitted rather than read, refitted by code from the memory rows with each row's
 * leave-one-source-out error: what the constant would have predicted for a source had that source not been there.
 * Each row implies a value of the constant (its measurement over what the constant multiplies in the estimate); the
 * fit is the median over sources.
 */
public final class ConstantFits {
    private ConstantFits() {}

    /** One constant: the core's value, the values the rows imply (by source) and the median over sources. */
    public record Fit(String name, String unit, double core, Map<String, Double> implied) {
        public double median() {
            return median(new ArrayList<>(implied.values()));
        }

        /** For each source, the relative error of the median of the other sources against its own implied value. */
        public Map<String, Double> leaveOneSourceOut() {
            Map<String, Double> out = new LinkedHashMap<>();
            for (String source : implied.keySet()) {
                List<Double> others = new ArrayList<>();
                implied.forEach((s, v) -> {
                    if (!s.equals(source)) {
                        others.add(v);
                    }
                });
                if (!others.isEmpty()) {
                    out.put(source, median(others) / implied.get(source) - 1);
                }
            }
            return out;
        }

        static double median(List<Double> values) {
            List<Double> sorted = values.stream().sorted().toList();
            int n = sorted.size();
            if (n == 0) {
                return Double.NaN;
            }
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s: core %.4g %s; fit (median of %d sources) %.4g%n", name,
                    core, unit, implied.size(), median()));
            Map<String, Double> loso = leaveOneSourceOut();
            implied.forEach((source, v) -> b.append(String.format(Locale.ROOT, "   %-62.62s implies %.4g, left out: %+.1f%%%n", source, v,
                    100 * loso.getOrDefault(source, Double.NaN))));
            return b.toString();
        }
    }

    /** Both fitted constants from the memory files in a data folder. */
    public static List<Fit> of(Path dataDir) {
        List<MemoryValidation.Replayed> replayed = new ArrayList<>(MemoryValidation.replay(dataDir.resolve("memory.csv")));
        Path found = dataDir.resolve("found").resolve("memory.csv");
        if (java.nio.file.Files.isRegularFile(found)) {
            replayed.addAll(MemoryValidation.replay(found));
        }
        return List.of(cudaGraphs(replayed), sampler(replayed));
    }

    /** CUDA-graph memory per captured graph per layer: each cuda_graph_gib row over the graphs x layers of its estimate. */
    static Fit cudaGraphs(List<MemoryValidation.Replayed> rows) {
        double core = DeviceMemory.CUDA_GRAPH_BYTES_PER_LAYER / (double) Bytes.MIB;
        return fit("CUDA-graph memory per graph per layer", "MiB", core, rows, r -> {
            MemoryEstimate e = r.estimate();
            return r.figure().metric().equals("cuda_graph_gib") && e.cudaGraphBytesPerGpu() > 0
                    ? core * r.figure().value() * Bytes.GIB / e.cudaGraphBytesPerGpu() : Double.NaN;
        });
    }

    /**
     * vLLM's sampler bytes per logit: rows whose profiled activation is the sampler's (rows x vocab x the constant). An
     * activation row gives it directly; a KV-budget row by what the estimate would have to charge to match.
     */
    static Fit sampler(List<MemoryValidation.Replayed> rows) {
        double core = dev.headroom.core.engine.Vllm.samplerBytesPerLogit();
        return fit("vLLM sampler bytes per logit", "B", core, rows, r -> {
            MemoryEstimate e = r.estimate();
            if (!e.deployment().engine().id().equals("vllm") || !samplerDominated(e)) {
                return Double.NaN;
            }
            double activation = e.activationBytesPerGpu();
            double implied = switch (r.figure().metric()) {
                case "activation_peak_gib" -> r.figure().value() * Bytes.GIB;
                case "kv_cache_gib", "kv_cache_gib_per_gpu" -> activation + e.kvBudgetBytesPerGpu() - r.figure().value() * Bytes.GIB;
                default -> Double.NaN;
            };
            return core * implied / activation;
        });
    }

    private static boolean samplerDominated(MemoryEstimate e) {
        return e.activationBytesPerGpu() > 0 && dev.headroom.core.engine.Vllm.samplerDominates(e.deployment().engine(), e.rank(), e.maxModelLen());
    }

    private static Fit fit(String name, String unit, double core, List<MemoryValidation.Replayed> rows,
                           ToDoubleFunction<MemoryValidation.Replayed> implied) {
        Map<String, List<Double>> bySource = new LinkedHashMap<>();
        for (MemoryValidation.Replayed r : rows) {
            if (r.estimate() == null) {
                continue;
            }
            double v = implied.applyAsDouble(r);
            if (Double.isFinite(v) && v > 0) {
                bySource.computeIfAbsent(r.figure().row().get("source"), k -> new ArrayList<>()).add(v);
            }
        }
        Map<String, Double> perSource = new LinkedHashMap<>();
        bySource.forEach((s, vs) -> perSource.put(s, Fit.median(vs)));
        return new Fit(name, unit, core, perSource);
    }
}
