package dev.headroom.core.plan;

import dev.headroom.core.base.*;
import dev.headroom.core.precision.*;
import dev.headroom.core.hardware.*;
import dev.headroom.core.workload.*;
import dev.headroom.core.model.*;
import dev.headroom.core.engine.*;
import dev.headroom.core.memory.*;
import dev.headroom.core.perf.*;
import dev.headroom.core.cost.*;
import dev.headroom.core.catalog.*;
import dev.headroom.core.plan.*;
import dev.headroom.core.*;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The inverse questions answer what the forward model says: the largest batch fits and one more does not,
 * and so on. "Fits" is checked here as the solver documents it: the engine sized for the context asked about.
 */
class MemorySolver_lawsTest {
    /** GPUs per the solver's search: 1, 2, 4, ... 64, tensor parallel up to 8 then pipeline stages. */
    private static final int[] GPU_COUNTS = {1, 2, 4, 8, 16, 32, 64};

    private static boolean fits(ModelProfile m, Deployment d, int batch, int input, int output) {
        Deployment sized = d.withEngine(d.engine().withMaxLength(input + output));
        return MemoryModel.estimate(m, sized, Workload.of(batch, input, output)).fits();
    }

    @Provide
    Arbitrary<String> models() {
        return Arbitraries.of("llama-3.1-8b", "llama-3.2-1b", "mistral-7b", "qwen2.5-7b", "gemma-2-9b", "phi-3-mini",
                "mixtral-8x7b", "qwen3-30b-a3b", "llama-3.1-70b", "llama-2-7b");
    }

    @Provide
    Arbitrary<String> gpus() {
        return Arbitraries.of("h100-sxm", "a100-80gb", "a100-40gb", "l40s", "l4", "rtx-4090", "h200", "mi300x");
    }

    @Provide
    Arbitrary<Engine> engines() {
        return Arbitraries.of(Vllm.defaults(), Sglang.defaults(), TensorRtLlm.defaults(), LlamaCpp.defaults(), Transformers.defaults());
    }

    @Property(tries = 120)
    void should_fit_the_largest_batch_and_not_one_more(@ForAll("models") String model, @ForAll("gpus") String gpu,
                                                       @ForAll("engines") Engine engine,
                                                       @ForAll @IntRange(min = 1, max = 8192) int input,
                                                       @ForAll @IntRange(min = 0, max = 2048) int output) {
        ModelProfile m = Catalog.profile(model);
        Deployment d = Deployment.on(Catalog.gpu(gpu)).withEngine(engine);
        net.jqwik.api.Assume.that(input + output <= m.spec().maxPositions());

        OptionalInt largest = MemorySolver.largestBatch(m, d, input, output);

        if (largest.isEmpty()) {
            assertFalse(fits(m, d, 1, input, output), model + " on " + gpu + ": no batch reported, yet batch 1 fits");
            return;
        }
        int b = largest.getAsInt();
        assertTrue(fits(m, d, b, input, output), model + " on " + gpu + ": batch " + b + " reported but does not fit");
        assertFalse(fits(m, d, b + 1, input, output), model + " on " + gpu + ": batch " + (b + 1) + " fits too");
        assertTrue(fits(m, d, Math.max(1, b / 2), input, output), "half the largest batch fits");
    }

    @Property(tries = 80)
    void should_fit_the_longest_context_and_not_one_token_more(@ForAll("models") String model, @ForAll("gpus") String gpu,
                                                               @ForAll("engines") Engine engine,
                                                               @ForAll @IntRange(min = 1, max = 64) int batch) {
        ModelProfile m = Catalog.profile(model);
        Deployment d = Deployment.on(Catalog.gpu(gpu)).withEngine(engine);

        OptionalInt longest = MemorySolver.longestContext(m, d, batch);

        if (longest.isEmpty()) {
            assertFalse(fits(m, d, batch, 1, 0), model + " on " + gpu + ": no context reported, yet 1 token fits");
            return;
        }
        int n = longest.getAsInt();
        assertTrue(n <= m.spec().maxPositions());
        assertTrue(fits(m, d, batch, n, 0), model + " on " + gpu + ": " + n + " tokens reported but do not fit");
        assertTrue(n == m.spec().maxPositions() || !fits(m, d, batch, n + 1, 0), model + " on " + gpu + ": " + (n + 1) + " tokens fit too");
    }

    @Test
    void should_find_no_longer_context_that_fits_than_the_longest_one() {
        // GIVEN Llama-3.1-8B bf16 on one RTX 4090 under vLLM's defaults
        ModelProfile m = Catalog.profile("llama-3.1-8b");
        Deployment d = Deployment.on(Catalog.gpu("rtx-4090")).withEngine(Vllm.defaults());

        // WHEN the solver answers the longest context for one sequence
        int n = MemorySolver.longestContext(m, d, 1).orElseThrow();

        // THEN no longer context (scanned every 1024 tokens up to max_position_embeddings) fits
        List<Integer> longerThatFit = new ArrayList<>();
        for (int ctx = n + 1; ctx <= m.spec().maxPositions(); ctx += 1024) {
            if (fits(m, d, 1, ctx, 0)) {
                longerThatFit.add(ctx);
            }
        }
        assertEquals(List.of(), longerThatFit, "longest context reported " + n);
    }

    /** The candidate the solver tries for n GPUs: tensor parallel within what the GPU's link joins, pipeline stages beyond. */
    private static Deployment candidate(Deployment d, int n, int context) {
        int perNode = d.gpu().interconnect().links() ? d.gpu().interconnect().maxGpusPerNode() : 1;
        int tp = Math.min(n, perNode);
        return new Deployment(d.gpu(), n, tp, n / tp, 1, d.weights(), d.kv(), d.engine().withMaxLength(context));
    }

    private static boolean candidateFits(ModelProfile m, Deployment d, int n, Workload w) {
        Deployment c = candidate(d, n, w.contextTokens());
        if (c.problemWith(m.spec()).isPresent()) {
            return false; // heads do not split
        }
        return MemoryModel.estimate(m, c, w).fits();
    }

    @Property(tries = 60)
    void should_need_the_fewest_gpus_and_not_fit_on_any_smaller_count(@ForAll("bigModels") String model, @ForAll("gpus") String gpu,
                                                                       @ForAll @IntRange(min = 1, max = 64) int batch,
                                                                       @ForAll @IntRange(min = 128, max = 8192) int input,
                                                                       @ForAll @IntRange(min = 0, max = 2048) int output) {
        ModelProfile m = Catalog.profile(model);
        // contexts beyond the model's max_position_embeddings are a user error, not a sizing question
        Assume.that(input + output <= m.spec().maxPositions());
        Deployment d = Deployment.on(Catalog.gpu(gpu));
        Workload w = Workload.of(batch, input, output);

        Optional<Fit> fit = MemorySolver.fewestGpus(m, d, w, Catalog.prices());

        if (fit.isEmpty()) {
            for (int n : GPU_COUNTS) {
                assertFalse(candidateFits(m, d, n, w), model + " on " + n + " x " + gpu + " fits, yet none reported");
            }
            return;
        }
        int n = fit.get().deployment().gpus();
        assertTrue(fit.get().memory().fits(), fit.get().memory().verdict());
        assertTrue(candidateFits(m, d, n, w));
        for (int k : GPU_COUNTS) {
            if (k < n) {
                assertFalse(candidateFits(m, d, k, w), model + " fits on " + k + " x " + gpu + " but " + n + " were reported");
            }
        }
        // priced at the cheapest on-demand listing x GPUs, when the catalog has one
        Optional<GpuPrice> price = Catalog.prices().cheapestOnDemand(gpu);
        assertEquals(price.map(p -> p.onDemandUsdPerGpuHour() * n), fit.get().usdPerHour());
    }

    @Provide
    Arbitrary<String> bigModels() {
        return Arbitraries.of("llama-3.1-8b", "llama-3.1-70b", "qwen2.5-72b", "mixtral-8x7b", "mixtral-8x22b", "llama-3.1-405b",
                "gemma-2-27b", "qwen3-32b");
    }

    @Test
    void should_list_the_cheapest_gpus_first_and_the_unpriced_last() {
        // GIVEN Llama-3.1-70B bf16, 16 sequences of 4096 + 512 tokens
        ModelProfile m = Catalog.profile("llama-3.1-70b");
        Workload w = Workload.of(16, 4096, 512);

        List<Fit> fits = MemorySolver.cheapestGpus(m, Deployment.on(Catalog.gpu("h100-sxm")), w, Catalog.gpus(), Catalog.prices());

        // THEN each catalog GPU at most once, each fitting, $/hour never decreasing, unpriced ones at the end
        assertTrue(fits.size() > 3, fits.toString());
        assertEquals(fits.size(), new HashSet<>(fits.stream().map(f -> f.deployment().gpu().id()).toList()).size());
        boolean unpricedSeen = false;
        double previous = 0;
        for (Fit f : fits) {
            assertTrue(f.memory().fits(), f.memory().verdict());
            if (f.usdPerHour().isEmpty()) {
                unpricedSeen = true;
                continue;
            }
            assertFalse(unpricedSeen, "a priced GPU after an unpriced one: " + f.deployment().gpu().id());
            double usd = f.usdPerHour().get();
            assertTrue(usd >= previous, f.deployment().gpu().id() + " at " + usd + " after " + previous);
            assertEquals(Catalog.prices().cheapestOnDemand(f.deployment().gpu().id()).orElseThrow().onDemandUsdPerGpuHour() * f.deployment().gpus(),
                    usd, 1e-9);
            previous = usd;
        }
        // and each entry is the fewest of its GPU
        for (Fit f : fits) {
            assertEquals(f.deployment().gpus(), MemorySolver.fewestGpus(m, Deployment.on(f.deployment().gpu()), w, Catalog.prices()).orElseThrow().deployment().gpus());
        }
    }
}
