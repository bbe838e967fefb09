package dev.headroom.core.training;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.cost.PriceBook;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Questions answered by searching setups: the largest micro-batch and the longest sequence that fit, the fewest
 * GPUs a setup needs, which methods fit on a GPU, and the cheapest GPU type, count, sharding and recomputation for a
 * token budget. Memory is monotone in micro-batch and sequence length (a property test holds it), so those two are
 * bisections.
 */
public final class TrainingSolver {
    /** The largest micro-batch searched. */
    public static final int MAX_MICRO_BATCH = 4096;
    /** GPU counts the cheapest-setup search tries: 1 to 512, doubling. */
    static final int[] GPU_COUNTS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

    private TrainingSolver() {}

    /** The largest micro-batch that fits with everything else as set; empty when not even 1 fits. */
    public static OptionalInt largestMicroBatch(ModelProfile m, Gpu g, TrainingSetup s) {
        int limit = Math.max(1, (int) Math.min(MAX_MICRO_BATCH, Integer.MAX_VALUE / (long) s.seqLen()));
        return largest(1, limit, n -> fits(m, g, s.withBatch(n, s.seqLen(), s.gradAccum())));
    }

    /** The longest sequence (a multiple of cp) that fits at the set micro-batch, up to the model's context length. */
    public static OptionalInt longestSequence(ModelProfile m, Gpu g, TrainingSetup s) {
        int cp = s.cp();
        int max = Math.max(cp, m.spec().maxPositions()) / cp;
        OptionalInt units = largest(1, max, n -> fits(m, g, s.withBatch(s.microBatch(), n * cp, s.gradAccum())));
        return units.isPresent() ? OptionalInt.of(units.getAsInt() * cp) : OptionalInt.empty();
    }

    /** The fewest GPUs (a multiple of tp x pp x cp, up to {@code maxGpus}) on which the setup fits. */
    public static Optional<TrainingSetup> fewestGpus(ModelProfile m, Gpu g, TrainingSetup s, int maxGpus) {
        int unit = s.tp() * s.pp() * s.cp();
        for (int n = unit; n <= maxGpus; n += unit) {
            TrainingSetup t = s.withParallel(n, s.tp(), s.pp(), s.cp(), s.vp());
            if (n > 1 && !g.interconnect().links()) {
                break;
            }
            if (fits(m, g, t)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Full, LoRA and QLoRA, each with no, selective and full recomputation: memory, time and cost of each. */
    public static List<TrainingEstimate> methods(ModelProfile m, Gpu g, TrainingSetup s, TrainingEfficiency e, PriceBook prices) {
        List<TrainingEstimate> out = new ArrayList<>();
        for (Method method : Method.values()) {
            for (Recompute r : Recompute.values()) {
                out.add(TrainingModel.estimate(m, g, s.withMethod(method).withRecompute(r), e, prices));
            }
        }
        return out;
    }

    /**
     * For a token budget: over the given GPU types (those with a price), 1 to {@code maxGpus} GPUs (doubling), every
     * ZeRO stage and recomputation mode, with the setup's method, micro-batch and sequence length — the cheapest setup
     * of each GPU type that fits, cheapest first.
     */
    public static List<TrainingEstimate> cheapest(ModelProfile m, List<Gpu> gpus, TrainingSetup s, TrainingEfficiency e,
                                                  PriceBook prices, int maxGpus) {
        if (s.tokens() <= 0) {
            throw InvalidInputException.field("tokens", s.tokens(), "the cheapest setup needs a token budget: set tokens(n)");
        }
        Map<String, TrainingEstimate> best = new LinkedHashMap<>();
        for (Gpu g : gpus) {
            if (s.usdPerGpuHour() == null && (prices == null || prices.cheapestOnDemand(g.id()).isEmpty())) {
                continue;
            }
            for (int n : GPU_COUNTS) {
                if (n > maxGpus || (n > 1 && !g.interconnect().links()) || n % (s.tp() * s.pp() * s.cp()) != 0) {
                    continue;
                }
                for (Sharding sharding : List.of(Sharding.DDP, Sharding.ZERO_1, Sharding.ZERO_2, Sharding.ZERO_3)) {
                    if (n == 1 && sharding != Sharding.DDP) {
                        continue;
                    }
                    for (Recompute r : Recompute.values()) {
                        TrainingSetup t = s.withParallel(n, s.tp(), s.pp(), s.cp(), s.vp()).withSharding(sharding).withRecompute(r)
 .withOffload(Offload.NONE);
                        TrainingEstimate est;
                        try {
                            est = TrainingModel.estimate(m, g, t, e, prices);
                        } catch (InvalidInputException unfit) {
                            continue;
                        }
                        if (!est.fits() || !Double.isFinite(est.usd())) {
                            continue;
                        }
                        TrainingEstimate held = best.get(g.id());
                        // Ascending counts: a larger one must save more than 1% to replace a smaller one.
                        if (held == null || est.usd() < 0.99 * held.usd()) {
                            best.put(g.id(), est);
                        }
                    }
                }
            }
        }
        List<TrainingEstimate> out = new ArrayList<>(best.values());
        out.sort(Comparator.comparingDouble(TrainingEstimate::usd));
        return out;
    }

    static boolean fits(ModelProfile m, Gpu g, TrainingSetup s) {
        return TrainingModel.memory(m, g, s).fits();
    }

    private interface IntTest {
        boolean test(int n);
    }

    /** The largest n in [low, high] passing a monotone test (passes up to some n, fails above). */
    private static OptionalInt largest(int low, int high, IntTest test) {
        if (!test.test(low)) {
            return OptionalInt.empty();
        }
        int lo = low;
        int hi = high;
        if (test.test(hi)) {
            return OptionalInt.of(hi);
        }
        while (hi - lo > 1) {
            int mid = lo + (hi - lo) / 2;
            if (test.test(mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return OptionalInt.of(lo);
    }
}
