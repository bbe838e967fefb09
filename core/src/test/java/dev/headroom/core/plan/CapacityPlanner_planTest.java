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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Every option the planner lists meets the target it was asked for, and they come cheapest first. */
class CapacityPlanner_planTest {
    private static final UnaryOperator<Engine> NO_CHANGE = UnaryOperator.identity();
    private static final Estimator ESTIMATOR = new Estimator(Calibration.DEFAULT, null, null, Catalog.prices());

    private static List<PlanOption> plan(String model, List<Gpu> gpus, Workload w, Target t) {
        Deployment template = Deployment.on(gpus.get(0));
        return CapacityPlanner.plan(Catalog.profile(model), gpus, template, w, t, e -> e.withMaxLength(w.contextTokens()), ESTIMATOR);
    }

    /** One replica of the option, as the planner sizes it: TP GPUs, the engine's max length at the workload's context. */
    private static MemoryEstimate replica(String model, PlanOption o, Workload w) {
        Deployment d = new Deployment(o.gpu(), o.tp(), o.tp(), 1, 1, null, null, Vllm.defaults().withMaxLength(w.contextTokens()));
        return MemoryModel.estimate(Catalog.profile(model), d, w.withLoad(Load.batch(1)));
    }

    /** Counts answered targets; the property fails unless at least half of its tries got one. */
    private static void answered(boolean any) {
        Statistics.label("answered").collect(any);
        Statistics.label("answered").coverage(c -> c.check(true).percentage(p -> p >= 50));
    }

    private static void assertCheapestFirst(List<PlanOption> options) {
        boolean unpricedSeen = false;
        double previous = 0;
        for (PlanOption o : options) {
            if (o.usdPerHour() == null) {
                unpricedSeen = true;
                continue;
            }
            assertFalse(unpricedSeen, "priced " + o.gpu().id() + " after an unpriced option");
            assertTrue(o.usdPerHour() >= previous, o.gpu().id() + " at $" + o.usdPerHour() + "/h after $" + previous);
            previous = o.usdPerHour();
        }
    }

    @Test
    void should_serve_every_user_within_the_latency_on_every_catalog_gpu_it_lists() {
        // GIVEN 200 chat users who each expect 512 tokens within 20 s
        Workload w = Workload.of(1, 2048, 512);
        Target t = Target.users(200, 20);

        // WHEN the planner tries every catalog GPU
        List<PlanOption> options = plan("llama-3.1-8b", List.copyOf(Catalog.gpus()), w, t);

        // THEN each option has enough replicas, each within the TPOT the latency implies (20 s / 512 = 39 ms)
        assertTrue(options.size() > 5, options.toString());
        Set<String> ids = Catalog.gpus().stream().map(Gpu::id).collect(Collectors.toSet());
        for (PlanOption o : options) {
            assertTrue(ids.contains(o.gpu().id()));
            assertTrue(o.replicas() * o.perReplica() >= 200, o.toString());
            assertTrue(o.tpotSeconds() <= 20.0 / 512, o.toString());
            assertEquals(o.tp() * o.replicas(), o.gpus());
            assertTrue(List.of(1, 2, 4, 8).contains(o.tp()), o.toString());
            // and one replica really answers perReplica users within 20 s
            PerfEstimate p = Estimates.perf(replica("llama-3.1-8b", o, w), Load.concurrency((int) o.perReplica()));
            assertNotNull(p.e2eLatencySeconds());
            assertTrue(p.e2eLatencySeconds() <= 20, o.gpu().id() + ": " + p.e2eLatencySeconds() + " s");
            // priced at the cheapest listing x all GPUs
            Double expected = Catalog.prices().cheapestOnDemand(o.gpu().id()).map(g -> g.onDemandUsdPerGpuHour() * o.gpus()).orElse(null);
            assertEquals(expected, o.usdPerHour());
        }
        assertCheapestFirst(options);
    }

    @Test
    void should_meet_the_rate_and_both_latency_limits_on_every_catalog_gpu_it_lists() {
        // GIVEN 10 requests/s, TTFT <= 500 ms, TPOT <= 50 ms
        Workload w = Workload.of(1, 2048, 512);
        Target t = Target.rate(10, 0.5, 0.05);

        List<PlanOption> options = plan("llama-3.1-8b", List.copyOf(Catalog.gpus()), w, t);

        assertTrue(options.size() > 5, options.toString());
        for (PlanOption o : options) {
            assertNotNull(o.ttftSeconds(), o.toString());
            assertTrue(o.ttftSeconds() <= 0.5, o.toString());
            assertTrue(o.tpotSeconds() <= 0.05, o.toString());
            assertTrue(o.replicas() * o.perReplica() >= 10, o.toString());
            // fewest replicas: one less would not carry the rate
            assertTrue((o.replicas() - 1) * o.perReplica() < 10, o.toString());
        }
        assertCheapestFirst(options);
    }

    @Property(tries = 12)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void should_meet_any_users_target_it_answers(@ForAll @IntRange(min = 1, max = 2000) int users,
                                                 @ForAll @DoubleRange(min = 2, max = 120) double latency,
                                                 @ForAll @IntRange(min = 64, max = 4096) int input,
                                                 @ForAll @IntRange(min = 16, max = 1024) int output) {
        Workload w = Workload.of(1, input, output);
        List<Gpu> gpus = List.of(Catalog.gpu("h100-sxm"), Catalog.gpu("l40s"), Catalog.gpu("a100-80gb"));

        List<PlanOption> options = plan("llama-3.1-70b", gpus, w, Target.users(users, latency));

        // a loop over no options proves nothing: across the tries, most targets must get an answer
        answered(!options.isEmpty());
        for (PlanOption o : options) {
            assertTrue(o.replicas() * o.perReplica() >= users, o.toString());
            assertTrue(o.tpotSeconds() <= latency / output, o.toString());
            assertTrue(o.replicas() >= 1 && o.perReplica() >= 1, o.toString());
        }
        assertCheapestFirst(options);
    }

    @Property(tries = 12)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void should_meet_any_rate_target_it_answers(@ForAll @DoubleRange(min = 0.1, max = 100) double rate,
                                                @ForAll @DoubleRange(min = 0.05, max = 5) double ttft,
                                                @ForAll @DoubleRange(min = 0.01, max = 0.2) double tpot,
                                                @ForAll @IntRange(min = 64, max = 4096) int input,
                                                @ForAll @IntRange(min = 16, max = 1024) int output) {
        Workload w = Workload.of(1, input, output);
        List<Gpu> gpus = List.of(Catalog.gpu("h100-sxm"), Catalog.gpu("l4"), Catalog.gpu("mi300x"));

        List<PlanOption> options = plan("llama-3.1-8b", gpus, w, Target.rate(rate, ttft, tpot));

        answered(!options.isEmpty());
        for (PlanOption o : options) {
            assertNotNull(o.ttftSeconds());
            assertTrue(o.ttftSeconds() <= ttft, o.toString());
            assertTrue(o.tpotSeconds() <= tpot, o.toString());
            assertTrue(o.replicas() * o.perReplica() >= rate, o.toString());
        }
        assertCheapestFirst(options);
    }

    @Test
    void should_keep_an_engine_template_the_caller_sized() {
        // GIVEN a template engine the caller leaves untouched (no context sizing)
        Workload w = Workload.of(1, 1024, 256);
        Deployment template = Deployment.on(Catalog.gpu("h100-sxm")).withEngine(Vllm.defaults().withMaxModelLen(4096));

        List<PlanOption> options = CapacityPlanner.plan(Catalog.profile("llama-3.1-8b"), List.of(Catalog.gpu("h100-sxm")), template, w,
                Target.users(50, 30), NO_CHANGE, ESTIMATOR);

        assertEquals(1, options.size(), options.toString());
        assertEquals("h100-sxm", options.get(0).gpu().id());
        assertEquals(1, options.get(0).tp(), "8B fits one H100: fewest GPUs at TP1");
    }
}
