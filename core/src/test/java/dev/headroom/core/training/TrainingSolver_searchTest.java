package dev.headroom.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.cost.PriceBook;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelProfile;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The searches answer at the boundary: what they return fits, one step further does not. */
class TrainingSolver_searchTest {
    private static final ModelProfile LLAMA_8B = Catalog.profile("llama-3.1-8b");
    private static final Gpu H100 = Catalog.gpu("h100-sxm");
    /** Apple M2 Max: a single SoC, no GPU-to-GPU link. */
    private static final Gpu M2_MAX = Catalog.gpu("apple-m2-max");

    private static boolean fits(ModelProfile m, Gpu g, TrainingSetup s) {
        return TrainingModel.memory(m, g, s).fits();
    }

    @Test
    void should_find_the_largest_micro_batch_that_fits_and_none_when_one_does_not() {
        TrainingSetup lora = TrainingSetup.defaults().withMethod(Method.LORA).withBatch(1, 2048, 1);

        OptionalInt n = TrainingSolver.largestMicroBatch(LLAMA_8B, H100, lora);

        assertTrue(n.isPresent());
        assertTrue(n.getAsInt() > 1, "LoRA of an 8B model leaves room for more than one sequence: " + n);
        assertTrue(fits(LLAMA_8B, H100, lora.withBatch(n.getAsInt(), 2048, 1)));
        assertFalse(fits(LLAMA_8B, H100, lora.withBatch(n.getAsInt() + 1, 2048, 1)));
        // full training in fp32 AMP needs 16 B x 8.03e9 = 128 GB before any activation
        assertEquals(OptionalInt.empty(), TrainingSolver.largestMicroBatch(LLAMA_8B, H100, TrainingSetup.defaults()));
        // a 0.5B model's LoRA on 4-token sequences fits the whole search range
        TrainingSetup tiny = lora.withBatch(1, 4, 1);
        assertEquals(OptionalInt.of(TrainingSolver.MAX_MICRO_BATCH),
                TrainingSolver.largestMicroBatch(Catalog.profile("qwen2.5-0.5b"), H100, tiny));
    }

    @Test
    void should_find_the_longest_sequence_in_multiples_of_the_context_parallel_ranks() {
        TrainingSetup lora = TrainingSetup.defaults().withMethod(Method.LORA).withBatch(4, 2048, 1).withParallel(2, 1, 1, 2, 1);

        OptionalInt s = TrainingSolver.longestSequence(LLAMA_8B, H100, lora);

        assertTrue(s.isPresent());
        assertEquals(0, s.getAsInt() % 2);
        assertTrue(fits(LLAMA_8B, H100, lora.withBatch(4, s.getAsInt(), 1)));
        assertTrue(s.getAsInt() == LLAMA_8B.spec().maxPositions() || !fits(LLAMA_8B, H100, lora.withBatch(4, s.getAsInt() + 2, 1)),
                "longest " + s);
        assertEquals(OptionalInt.empty(), TrainingSolver.longestSequence(LLAMA_8B, H100, TrainingSetup.defaults()));
        // a 0.5B model's LoRA with full recomputation fits its whole context (32,768 positions)
        ModelProfile small = Catalog.profile("qwen2.5-0.5b");
        assertEquals(OptionalInt.of(small.spec().maxPositions()),
                TrainingSolver.longestSequence(small, H100, TrainingSetup.defaults().withMethod(Method.LORA).withRecompute(Recompute.FULL)));
    }

    @Test
    void should_find_the_fewest_gpus_a_sharded_setup_needs() {
        // GIVEN full training under ZeRO-3: 16 B x P of model states shrink with the GPUs
        TrainingSetup z3 = TrainingSetup.defaults().withSharding(Sharding.ZERO_3).withRecompute(Recompute.FULL);

        TrainingSetup found = TrainingSolver.fewestGpus(LLAMA_8B, H100, z3, 64).orElseThrow();

        int n = found.gpus();
        assertTrue(n > 1);
        assertTrue(fits(LLAMA_8B, H100, found));
        assertFalse(fits(LLAMA_8B, H100, z3.withParallel(n - 1, 1, 1, 1, 1)));
        // in steps of tp: TP2 searches 2, 4, 6, ...
        TrainingSetup tp2 = TrainingSolver.fewestGpus(LLAMA_8B, H100, z3.withParallel(2, 2, 1, 1, 1), 64).orElseThrow();
        assertEquals(0, tp2.gpus() % 2);
        assertFalse(fits(LLAMA_8B, H100, z3.withParallel(tp2.gpus() - 2, 2, 1, 1, 1)) && tp2.gpus() > 2);
        // none within the cap, and none on a GPU without a GPU-to-GPU link once one is not enough
        assertTrue(TrainingSolver.fewestGpus(LLAMA_8B, H100, z3, 1).isEmpty());
        assertTrue(TrainingSolver.fewestGpus(LLAMA_8B, M2_MAX, z3, 64).isEmpty());
        // what fits on one is found on one
        assertEquals(1, TrainingSolver.fewestGpus(LLAMA_8B, H100, z3.withMethod(Method.LORA), 64).orElseThrow().gpus());
    }

    @Test
    void should_estimate_every_method_with_every_recomputation() {
        List<TrainingEstimate> all = TrainingSolver.methods(LLAMA_8B, H100, TrainingSetup.defaults(), TrainingEfficiency.DEFAULT, PriceBook.EMPTY);

        assertEquals(9, all.size());
        assertEquals(Method.FULL, all.get(0).setup().method());
        assertEquals(Recompute.NONE, all.get(0).setup().recompute());
        assertEquals(Recompute.FULL, all.get(2).setup().recompute());
        assertEquals(Method.LORA, all.get(3).setup().method());
        assertEquals(Method.QLORA, all.get(8).setup().method());
        assertEquals(Recompute.FULL, all.get(8).setup().recompute());
    }

    @Test
    void should_pick_the_cheapest_fitting_setup_per_gpu_type_cheapest_first() {
        TrainingSetup s = TrainingSetup.defaults().withMethod(Method.LORA).withBudget(1_000_000_000L, null);
        PriceBook prices = Catalog.prices();
        List<Gpu> gpus = List.of(H100, Catalog.gpu("a100-80gb"), Catalog.gpu("mi355x"));

        List<TrainingEstimate> best = TrainingSolver.cheapest(LLAMA_8B, gpus, s, TrainingEfficiency.DEFAULT, prices, 8);

        // the MI355X has no catalog price, so it is not ranked
        assertEquals(2, best.size());
        assertTrue(best.stream().noneMatch(e -> e.gpu().id().equals("mi355x")));
        assertTrue(best.get(0).usd() <= best.get(1).usd());
        for (TrainingEstimate e : best) {
            assertTrue(e.fits());
            assertTrue(e.setup().gpus() <= 8);
            // nothing on the same GPU type is cheaper by more than 1%
            for (int n : new int[] {1, 2, 4, 8}) {
                for (Recompute r : Recompute.values()) {
                    TrainingEstimate other = TrainingModel.estimate(LLAMA_8B, e.gpu(), s.withParallel(n, 1, 1, 1, 1).withRecompute(r)
                            .withSharding(n == 1 ? Sharding.DDP : Sharding.ZERO_2), TrainingEfficiency.DEFAULT, prices);
                    assertTrue(!other.fits() || other.usd() >= 0.99 * e.usd() - 1e-9, other.setup() + " at " + other.usd() + " vs " + e.usd());
                }
            }
        }
        // a stated price ranks every GPU
        assertEquals(3, TrainingSolver.cheapest(LLAMA_8B, gpus, s.withBudget(1_000_000_000L, 2.0), TrainingEfficiency.DEFAULT, prices, 8).size());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TrainingSolver.cheapest(LLAMA_8B, gpus, TrainingSetup.defaults(), TrainingEfficiency.DEFAULT, prices, 8));
        assertTrue(e.getMessage().contains("token budget"), e.getMessage());
    }

    @Test
    void should_not_combine_gpus_without_a_link_or_counts_that_do_not_divide_the_model_split() {
        TrainingSetup s = TrainingSetup.defaults().withMethod(Method.QLORA).withBudget(1_000_000L, 1.0);

        List<TrainingEstimate> single = TrainingSolver.cheapest(LLAMA_8B, List.of(M2_MAX), s, TrainingEfficiency.DEFAULT, PriceBook.EMPTY, 8);
        assertEquals(1, single.size());
        assertEquals(1, single.get(0).setup().gpus());

        TrainingSetup tp4 = TrainingSetup.defaults().withMethod(Method.LORA).withParallel(4, 4, 1, 1, 1).withBudget(1_000_000L, 1.0);
        List<TrainingEstimate> h100 = TrainingSolver.cheapest(LLAMA_8B, List.of(H100), tp4, TrainingEfficiency.DEFAULT, PriceBook.EMPTY, 8);
        assertEquals(1, h100.size());
        assertEquals(0, h100.get(0).setup().gpus() % 4);
    }
}
