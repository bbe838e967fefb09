package dev.headroom.core.memory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.Estimate;
import dev.headroom.core.Estimates;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.Transformers;
import dev.headroom.core.engine.Vllm;
import dev.headroom.core.workload.Load;
import dev.headroom.core.workload.Workload;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * At the arithmetic limits (counts near 2^31, products beyond 2^63) an estimate is either exact, with every size
 * and speed a finite non-negative number, or the documented {@link InvalidInputException}: never a wrapped number.
 */
class MemoryModel_limitsTest {
    @Provide
    Arbitrary<Deployment> deployments() {
        return Arbitraries.of(
                Deployment.on(Catalog.gpu("h100-sxm")),
                Deployment.on(Catalog.gpu("h100-sxm")).withEngine(Vllm.defaults().withMaxModelLen(131_072)),
                Deployment.on(Catalog.gpu("h100-sxm")).withEngine(Transformers.defaults()),
                Deployment.on(Catalog.gpu("h200")).withGpus(8).withTp(8));
    }

    @Provide
    Arbitrary<Load> loads() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(1, Integer.MAX_VALUE).map(Load::batch),
                Arbitraries.integers().between(1, Integer.MAX_VALUE).map(Load::concurrency),
                Arbitraries.just(Load.saturating()),
                Arbitraries.doubles().between(1e-6, 1e300).ofScale(6).map(Load::rate));
    }

    @Property(tries = 300)
    void should_be_exact_and_non_negative_or_refuse_cleanly(@ForAll("deployments") Deployment d, @ForAll("loads") Load load,
                                                            @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int input,
                                                            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int output) {
        Estimate e;
        try {
            e = Estimates.full("llama-3.1-8b", d, new Workload(input, output, load));
        } catch (InvalidInputException refused) {
            assertTrue(refused.getMessage() != null && !refused.getMessage().isBlank());
            return;
        }
        MemoryEstimate m = e.memory();
        for (long bytes : new long[] {m.weightsBytes(), m.weightsBytesPerGpu(), m.kvBytesPerToken(), m.activationBytesPerGpu(),
                m.runtimeOverheadBytesPerGpu(), m.kvCacheBytesPerGpu(), m.kvCacheTokens(), m.workloadKvBytesPerGpu(),
                m.totalBytesPerGpu(), m.headroomBytesPerGpu(), m.shortfallBytesPerGpu(), m.maxConcurrency()}) {
            assertTrue(bytes >= 0, "a negative size: " + m);
        }
        if (e.perf() != null) {
            assertTrue(m.fits(), "speed for a deployment that does not fit");
            double tpot = e.perf().tpotSeconds();
            double tokens = e.perf().outputTokensPerSecond();
            assertTrue(Double.isFinite(tpot) && tpot > 0, "TPOT " + tpot);
            assertTrue(Double.isFinite(tokens) && tokens >= 0, "tokens/s " + tokens);
        }
    }
}
