package dev.headroom.core.plan;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.cost.PriceBook;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.memory.MemoryEstimate;
import dev.headroom.core.memory.MemoryModel;
import dev.headroom.core.memory.MemoryProfile;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.workload.Workload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The inverse questions of the memory model: the largest batch at a context, the longest context at a
 * batch, the fewest GPUs, and the cheapest GPUs that fit. The engine is sized for the context asked about
 * (its max length follows it), as a user would configure it. Candidates that cannot work are skipped by
 * checking them, never by catching exceptions (except a probe too large to count: it cannot fit anywhere).
 */
public final class MemorySolver {
    private static final int[] GPU_COUNTS = {1, 2, 4, 8, 16, 32, 64};

    private MemorySolver() {}

    private static MemoryProfile sized(ModelProfile m, Deployment d, int context) {
        return MemoryModel.compile(m, d.withEngine(d.engine().withMaxLength(context)));
    }

    /**
     * Largest batch of sequences at {@code input + output} tokens each, with the engine sized for that length (its max
     * length follows it, as a user would configure it); empty when not even one fits.
     */
    public static OptionalInt largestBatch(ModelProfile m, Deployment d, int input, int output) {
        int context = input + output;
        if (context > m.spec().maxPositions()) {
            return OptionalInt.empty();
        }
        return largestBatch(sized(m, d, context), input, output);
    }

    /**
     * Largest batch of sequences at {@code input + output} tokens each on a compiled deployment, its engine as
     * configured; empty when not even one fits. For engines whose pool does not depend on the batch this is the
     * estimate's max concurrency (the same number the tables show, capped by the engine's limit on running
     * sequences); a per-batch static cache is searched.
     */
    public static OptionalInt largestBatch(MemoryProfile p, int input, int output) {
        MemoryEstimate one = MemoryModel.estimate(p, Workload.of(1, input, output));
        if (!one.fits()) {
            return OptionalInt.empty();
        }
        if (!p.deployment().engine().poolDependsOnWorkload()) {
            return OptionalInt.of((int) Math.min(Integer.MAX_VALUE, one.maxConcurrency()));
        }
        int lo = 1;
        int hi = 2;
        while (hi < 1 << 24 && fits(p, Workload.of(hi, input, output))) {
            lo = hi;
            hi *= 2;
        }
        while (lo + 1 < hi) {
            int mid = lo + (hi - lo) / 2;
            if (fits(p, Workload.of(mid, input, output))) lo = mid; else hi = mid;
        }
        return OptionalInt.of(lo);
    }

    private static boolean fits(ModelProfile m, Deployment d, int batch, int context) {
        return fits(sized(m, d, context), Workload.of(batch, context, 0));
    }

    /** A probe whose KV would exceed 2^63 bytes does not fit anywhere: the search moves on instead of failing. */
    private static boolean fits(MemoryProfile p, Workload w) {
        try {
            return MemoryModel.estimate(p, w).fits();
        } catch (InvalidInputException e) {
            if (e.isTooLarge()) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Longest context for a batch, up to the model's maximum. Fitting is monotone in the context only between
     * the engine's own breakpoints (vLLM turns chunked prefill on above 32,768 tokens, which shrinks
     * activations), so each segment is searched on its own and the longest answer wins.
     */
    public static OptionalInt longestContext(ModelProfile m, Deployment d, int batch) {
        return longestContext(m, d, batch, m.spec().maxPositions());
    }

    /** The same, no longer than {@code maxTokens} (a max length the user fixed). */
    public static OptionalInt longestContext(ModelProfile m, Deployment d, int batch, int maxTokens) {
        int max = Math.min(m.spec().maxPositions(), maxTokens);
        if (max <= 0) {
            return OptionalInt.empty();
        }
        List<Integer> bounds = new ArrayList<>();
        bounds.add(0);
        for (int b : d.engine().lengthBreakpoints()) {
            if (b < max) {
                bounds.add(b);
            }
        }
        bounds.add(max);
        for (int i = bounds.size() - 1; i > 0; i--) {
            OptionalInt found = longestIn(m, d, batch, bounds.get(i - 1) + 1, bounds.get(i));
            if (found.isPresent()) {
                return found;
            }
        }
        return OptionalInt.empty();
    }

    /** Binary search for the longest fitting context in [from, to], where fitting is monotone. */
    private static OptionalInt longestIn(ModelProfile m, Deployment d, int batch, int from, int to) {
        if (!fits(m, d, batch, from)) {
            return OptionalInt.empty();
        }
        if (fits(m, d, batch, to)) {
            return OptionalInt.of(to);
        }
        int lo = from;
        int hi = to;
        while (lo + 1 < hi) {
            int mid = lo + (hi - lo) / 2;
            if (fits(m, d, batch, mid)) lo = mid; else hi = mid;
        }
        return OptionalInt.of(lo);
    }

    /**
     * Fewest GPUs of the deployment's type: tensor parallel within a node (as many as its link joins), pipeline
     * stages beyond.
     */
    public static Optional<Fit> fewestGpus(ModelProfile m, Deployment d, Workload w, PriceBook prices) {
        int perNode = d.gpu().interconnect().links() ? Math.max(1, d.gpu().interconnect().maxGpusPerNode()) : 1;
        for (int n : GPU_COUNTS) {
            int tp = Math.min(n, perNode);
            if (n % tp != 0) {
                continue;
            }
            Deployment candidate = new Deployment(d.gpu(), n, tp, n / tp, 1, d.weights(), d.kv(),
                    d.engine().withMaxLength(w.contextTokens()));
            if (candidate.problemWith(m.spec()).isPresent() || w.contextTokens() > m.spec().maxPositions()) {
                continue;
            }
            MemoryEstimate e = MemoryModel.estimate(MemoryModel.compile(m, candidate), w);
            if (e.fits()) {
                return Optional.of(new Fit(candidate, e, prices.cheapestOnDemand(d.gpu().id())));
            }
        }
        return Optional.empty();
    }

    /** For each GPU given, the fewest that fit; cheapest per hour first, unpriced GPUs last. */
    public static List<Fit> cheapestGpus(ModelProfile m, Deployment template, Workload w, List<Gpu> gpus, PriceBook prices) {
        return gpus.stream()
                .map(g -> fewestGpus(m, template.withGpu(g), w, prices))
                .flatMap(Optional::stream)
                .sorted(Comparator.comparing((Fit f) -> f.usdPerHour().orElse(Double.MAX_VALUE))
                        .thenComparingInt(f -> f.deployment().gpus()))
                .toList();
    }

}
