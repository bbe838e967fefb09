package dev.headroom.core.cost;

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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** MODEL.md "Cost": $ per 1M tokens = 1e6 x $/GPU-hour x GPUs / (3600 x tokens/s x utilization). */
class CostModel_estimateTest {
    private static Deployment h100s(int gpus) {
        return new Deployment(Catalog.gpu("h100-sxm"), gpus, 1, 1, 1, null, null, Vllm.defaults().withMaxModelLen(8192));
    }

    private static Estimate estimate(Deployment d, Workload w, Load load, CostOptions costs) {
        return Estimates.full("llama-3.1-8b", d, w.withLoad(load), UnaryOperator.identity(), costs);
    }

    @Provide
    Arbitrary<Load> loads() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(1, 64).map(Load::batch),
                Arbitraries.integers().between(1, 512).map(Load::concurrency),
                Arbitraries.just(Load.saturating()),
                Arbitraries.doubles().between(0.1, 5).map(Load::rate));
    }

    @Property(tries = 60)
    void should_charge_the_stated_price_times_the_gpus_per_hour(@ForAll @DoubleRange(min = 0.05, max = 20) double price,
                                                                @ForAll("gpuCounts") int gpus) {
        // GIVEN a price per GPU-hour the user states, on G GPUs
        Estimate e = estimate(h100s(gpus), Workload.of(1, 1024, 256), Load.batch(gpus), CostOptions.defaults().withPrice(price));

        // THEN $/hour = P x G and $/month = P x G x 730
        assertEquals(price, e.cost().usdPerGpuHour(), 1e-12);
        assertEquals(price * gpus, e.cost().usdPerHour(), 1e-9 * price * gpus);
        assertEquals(price * gpus * 730, e.cost().usdPerMonth(), 1e-9 * price * gpus * 730);
        assertEquals("user", e.cost().price().provider());
    }

    @Provide
    Arbitrary<Integer> gpuCounts() {
        return Arbitraries.of(1, 2, 4, 8);
    }

    @Property(tries = 80)
    void should_split_the_gpu_hour_between_input_and_output_tokens_without_losing_any(@ForAll("loads") Load load,
                                                                                      @ForAll @IntRange(min = 16, max = 4096) int input,
                                                                                      @ForAll @IntRange(min = 1, max = 2048) int output) {
        // GIVEN a deployment serving at its modelled throughput all the time (utilization 1)
        Estimate e = estimate(h100s(1), Workload.of(1, input, output), load, CostOptions.defaults().withPrice(2.0));
        double outputPerHour = e.perf().outputTokensPerSecond() * 3600;
        double inputPerHour = outputPerHour * input / output;

        // THEN what the input tokens and the output tokens of one hour cost adds up to the hour's price
        double billed = e.cost().usdPerMillionOutputTokens() * outputPerHour / 1e6 + e.cost().usdPerMillionInputTokens() * inputPerHour / 1e6;
        assertEquals(e.cost().usdPerHour(), billed, 1e-9 * e.cost().usdPerHour(), load.toString());
        assertTrue(e.cost().usdPerMillionInputTokens() >= 0);
        assertTrue(e.cost().usdPerMillionOutputTokens() >= 0);
        if (output > 1) {
            // with a single output token its whole time is the prompt's (the prefill produces it), so only then may it be 0
            assertTrue(e.cost().usdPerMillionOutputTokens() > 0, load + ", " + input + " in / " + output + " out");
        }
    }

    @Property(tries = 60)
    void should_double_both_per_million_prices_at_half_utilization(@ForAll("loads") Load load,
                                                                   @ForAll @IntRange(min = 16, max = 4096) int input,
                                                                   @ForAll @IntRange(min = 1, max = 2048) int output) {
        Workload w = Workload.of(1, input, output);
        CostOptions full = CostOptions.defaults().withPrice(3.0);

        CostEstimate always = estimate(h100s(1), w, load, full).cost();
        CostEstimate half = estimate(h100s(1), w, load, full.withUtilization(0.5)).cost();

        assertEquals(2 * always.usdPerMillionOutputTokens(), half.usdPerMillionOutputTokens(), 1e-9 * always.usdPerMillionOutputTokens());
        assertEquals(2 * always.usdPerMillionInputTokens(), half.usdPerMillionInputTokens(), 1e-9 * always.usdPerMillionInputTokens() + 1e-15);
        assertEquals(always.usdPerHour(), half.usdPerHour(), 0, "the hour costs the same whether it serves or idles");
        assertEquals(always.capacityTokensPerDay() / 2, half.capacityTokensPerDay(), 1e-6 * always.capacityTokensPerDay());
    }

    @Test
    void should_give_output_tokens_the_whole_hour_by_the_model_md_formula_when_prompts_add_no_time() {
        // GIVEN MODEL.md's formula for the whole hour: 1e6 x $/GPU-hour x GPUs / (3600 x tokens/s x utilization)
        Estimate e = estimate(h100s(2), Workload.of(1, 1024, 256), Load.concurrency(32), CostOptions.defaults().withPrice(2.5));
        double share = e.perf().prefillShareOfGpuTime();

        // THEN the output tokens carry the share of GPU time prompts do not add
        double wholeHourPerMillionOutput = 1e6 * 2.5 * 2 / (3600 * e.perf().outputTokensPerSecond() * 1.0);
        assertEquals(wholeHourPerMillionOutput * (1 - share), e.cost().usdPerMillionOutputTokens(), 1e-9 * wholeHourPerMillionOutput);
        assertTrue(share > 0 && share < 1, "prefill share " + share);
    }

    @Test
    void should_pay_for_interrupted_spot_time() {
        // GIVEN a stated $2/GPU-hour on spot capacity that loses 20% of its time to interruptions
        Workload w = Workload.of(1, 1024, 256);
        CostOptions spot = CostOptions.defaults().withPrice(2.0).withSpot(0.2);

        CostEstimate c = estimate(h100s(4), w, Load.batch(4), spot).cost();

        // THEN every useful hour costs 2 / (1 - 0.2) = 2.50 per GPU, x 4 GPUs = 10.00
        assertEquals(2.0 / 0.8, c.usdPerGpuHour(), 1e-12);
        assertEquals(4 * 2.0 / 0.8, c.usdPerHour(), 1e-9);
        CostEstimate uninterrupted = estimate(h100s(4), w, Load.batch(4), CostOptions.defaults().withPrice(2.0).withSpot(0)).cost();
        assertEquals(uninterrupted.usdPerHour() / 0.8, c.usdPerHour(), 1e-9);
    }

    @Test
    void should_break_even_where_the_api_bill_equals_a_day_of_gpus() {
        // GIVEN Llama-3.1-8B at $2/GPU-hour compared with Together's Llama-3.1-8B Turbo
        ApiPrice api = Catalog.prices().api("together-llama-3.1-8b-turbo");
        int input = 2048;
        int output = 512;
        CostOptions costs = CostOptions.defaults().withPrice(2.0).withApi(api.id());

        CostEstimate c = estimate(h100s(1), Workload.of(1, input, output), Load.saturating(), costs).cost();

        // THEN break-even tokens/day = (usd/hour x 24) / (API $ per request) x tokens per request
        double apiPerRequest = (input * api.usdPerMillionInputTokens() + output * api.usdPerMillionOutputTokens()) / 1e6;
        double expected = c.usdPerHour() * 24 / apiPerRequest * (input + output);
        // with the catalog's $0.18/$0.18: 48 / (2560 x 0.18e-6) x 2560 = 266.7M tokens/day
        assertEquals(48 / 0.18e-6, expected, 1);
        assertEquals(api, c.api());
        assertEquals(expected, c.breakEvenTokensPerDay(), 1e-6 * expected);
        // capacity: output and input tokens of a day at the modelled throughput
        Estimate e = estimate(h100s(1), Workload.of(1, input, output), Load.saturating(), costs);
        double capacity = e.perf().outputTokensPerSecond() * 86_400 * (1 + (double) input / output);
        assertEquals(capacity, c.capacityTokensPerDay(), 1e-6 * capacity);
        assertEquals(c.breakEvenTokensPerDay() <= c.capacityTokensPerDay(), c.breaksEven());
    }

    @Test
    void should_compare_with_the_cheapest_api_serving_the_same_model_by_default() {
        CostEstimate c = estimate(h100s(1), Workload.of(1, 1024, 256), Load.batch(1), CostOptions.defaults().withPrice(2.0)).cost();

        ApiPrice cheapest = Catalog.prices().apiPrices().stream().filter(a -> "llama-3.1-8b".equals(a.catalogModel()))
                .min(Comparator.comparingDouble(a -> a.usdPerMillionInputTokens() + a.usdPerMillionOutputTokens())).orElseThrow();
        assertEquals(cheapest.id(), c.api().id());
        assertNotNull(c.breakEvenTokensPerDay());
    }

    @Test
    void should_name_the_gpu_and_the_price_flag_when_the_catalog_has_no_price() {
        // GIVEN the MI355X, which no catalog/prices file lists
        assertTrue(Catalog.prices().gpuPrices().stream().noneMatch(p -> p.gpu().equals("mi355x")));
        Deployment d = Deployment.on(Catalog.gpu("mi355x")).withEngine(Vllm.defaults().withMaxModelLen(8192));

        // WHEN it is estimated without a stated price
        Estimate e = estimate(d, Workload.of(1, 1024, 256), Load.batch(1), CostOptions.defaults());

        // THEN speed is there, cost is not, and the reason says how to give a price
        assertNotNull(e.perf());
        assertNull(e.cost());
        assertTrue(e.unavailable().contains("mi355x"), e.unavailable());
        assertTrue(e.unavailable().contains("--gpu-price-per-hour"), e.unavailable());
        assertNull(Columns.named("usd_per_hour").orElseThrow().value(e));
        assertNotNull(Columns.named("tpot_ms").orElseThrow().value(e));
    }

    @Test
    void should_price_the_mi355x_once_a_price_is_stated() {
        Deployment d = Deployment.on(Catalog.gpu("mi355x")).withEngine(Vllm.defaults().withMaxModelLen(8192));

        Estimate e = estimate(d, Workload.of(1, 1024, 256), Load.batch(1), CostOptions.defaults().withPrice(4.0));

        assertNull(e.unavailable());
        assertEquals(4.0, e.cost().usdPerHour(), 1e-12);
    }

    @Test
    void should_use_the_cheapest_catalog_listing_by_default() {
        CostEstimate c = estimate(h100s(2), Workload.of(1, 1024, 256), Load.batch(2), CostOptions.defaults()).cost();

        double cheapest = Catalog.prices().gpuPrices().stream().filter(p -> p.gpu().equals("h100-sxm"))
                .mapToDouble(GpuPrice::onDemandUsdPerGpuHour).min().orElseThrow();
        assertEquals(cheapest, c.usdPerGpuHour(), 1e-12);
        assertEquals(2 * cheapest, c.usdPerHour(), 1e-9);
    }
}
