package dev.headroom.core;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The inverse questions of the memory model: the largest batch at a context, the longest context at a
 * batch, the fewest GPUs, and the cheapest catalog GPU that fits. The engine is sized for the context
 * asked about (its max length follows it), as a user would configure it.
 */
public final class MemorySolver {
    private static final int[] GPU_COUNTS = {1, 2, 4, 8, 16, 32, 64};
    /** GPUs per node: tensor parallelism stays inside one. */
    private static final int MAX_TP = 8;

    private MemorySolver() {}

    /** A deployment that fits, with its memory estimate and, when the catalog has one, its price. */
    public record Fit(Deployment deployment, MemoryEstimate memory, Optional<GpuPrice> price) {
        public Optional<Double> usdPerHour() {
            return price.map(p -> p.onDemandUsdPerGpuHour() * deployment.gpus());
        }
    }

    private static boolean fits(ModelSpec m, Deployment d, int batch, int input, int output) {
        Deployment sized = d.withEngine(d.engine().withMaxLength(input + output));
        return MemoryModel.estimate(m, sized, Workload.of(batch, input, output)).fits();
    }

    /** Largest batch of sequences at {@code input + output} tokens each; empty when not even one fits. */
    public static OptionalInt largestBatch(ModelSpec m, Deployment d, int input, int output) {
        if (!fits(m, d, 1, input, output)) {
            return OptionalInt.empty();
        }
        int lo = 1;
        int hi = 2;
        while (hi < 1 << 24 && fits(m, d, hi, input, output)) {
            lo = hi;
            hi *= 2;
        }
        while (lo + 1 < hi) {
            int mid = lo + (hi - lo) / 2;
            if (fits(m, d, mid, input, output)) lo = mid; else hi = mid;
        }
        return OptionalInt.of(lo);
    }

    /**
     * Longest context for a batch, up to the model's maximum. Fitting is not monotone in the context:
     * vLLM turns chunked prefill on above 32,768 tokens, which shrinks activations, so each side of that
     * line is searched on its own and the longer answer wins.
     */
    public static OptionalInt longestContext(ModelSpec m, Deployment d, int batch) {
        int split = Math.min(Vllm.CHUNKED_PREFILL_ABOVE, m.maxPositions());
        OptionalInt upper = split < m.maxPositions() ? longestIn(m, d, batch, split + 1, m.maxPositions()) : OptionalInt.empty();
        return upper.isPresent() ? upper : longestIn(m, d, batch, 1, split);
    }

    /** Binary search for the longest fitting context in [from, to], assuming fits is monotone there. */
    private static OptionalInt longestIn(ModelSpec m, Deployment d, int batch, int from, int to) {
        if (!fits(m, d, batch, from, 0)) {
            return OptionalInt.empty();
        }
        if (fits(m, d, batch, to, 0)) {
            return OptionalInt.of(to);
        }
        int lo = from;
        int hi = to;
        while (lo + 1 < hi) {
            int mid = lo + (hi - lo) / 2;
            if (fits(m, d, batch, mid, 0)) lo = mid; else hi = mid;
        }
        return OptionalInt.of(lo);
    }

    /** Fewest GPUs of the deployment's type: tensor parallel within a node of up to 8, pipeline stages beyond. */
    public static Optional<Fit> fewestGpus(ModelSpec m, Deployment d, Workload w) {
        for (int n : GPU_COUNTS) {
            int tp = Math.min(n, MAX_TP);
            Deployment candidate = new Deployment(d.gpu(), n, tp, n / tp, 1, d.weights(), d.kv(),
                    d.engine().withMaxLength(w.contextTokens()));
            try {
                candidate.validateFor(m);
            } catch (InvalidInputException headsDoNotSplit) {
                continue;
            }
            MemoryEstimate e = MemoryModel.estimate(m, candidate, w);
            if (e.fits()) {
                return Optional.of(new Fit(candidate, e, Prices.cheapestOnDemand(d.gpu().id())));
            }
        }
        return Optional.empty();
    }

    /** For each catalog GPU, the fewest that fit; cheapest per hour first, unpriced GPUs last. */
    public static List<Fit> cheapestGpus(ModelSpec m, Deployment template, Workload w) {
        return Catalog.gpus().stream()
                .map(g -> fewestGpus(m, template.withGpu(g), w))
                .flatMap(Optional::stream)
                .sorted(Comparator.comparing((Fit f) -> f.usdPerHour().orElse(Double.MAX_VALUE))
                        .thenComparingInt(f -> f.deployment().gpus()))
                .toList();
    }
}
