package dev.headroom.core.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.base.Provenance;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which price the book gives: the cheapest listing of the GPU (spot only where one is published), an API by id or by model. */
class PriceBook_lookupTest {
    private static final Provenance SRC = new Provenance("test", "2026-01-01");
    private static final GpuPrice A = new GpuPrice("h100-sxm", "a", 3.0, 1.5, "2026-01-01", SRC);
    private static final GpuPrice B = new GpuPrice("h100-sxm", "b", 2.5, null, "2026-01-01", SRC);
    private static final GpuPrice C = new GpuPrice("h100-sxm", "c", 4.0, 1.2, "2026-01-01", SRC);
    private static final GpuPrice OTHER = new GpuPrice("a100-80gb", "a", 1.0, 0.5, "2026-01-01", SRC);
    private static final ApiPrice CHEAP = new ApiPrice("cheap-8b", "x", "Llama 8B", 0.1, 0.1, "llama-3.1-8b", "2026", SRC);
    private static final ApiPrice DEAR = new ApiPrice("dear-8b", "y", "Llama 8B", 0.05, 0.3, "llama-3.1-8b", "2026", SRC);
    private static final ApiPrice CLOSED = new ApiPrice("closed", "z", "Closed", 0.01, 0.01, null, "2026", SRC);
    private static final PriceBook BOOK = new PriceBook(List.of(A, B, C, OTHER), List.of(CHEAP, DEAR, CLOSED));

    @Test
    void should_give_the_cheapest_on_demand_and_the_cheapest_published_spot_listing() {
        assertEquals(Optional.of(B), BOOK.cheapestOnDemand("h100-sxm"));
        assertEquals(Optional.of(C), BOOK.cheapestSpot("h100-sxm"), "B publishes no spot price");
        assertEquals(Optional.empty(), BOOK.cheapestSpot("mi300x"));
        assertEquals(Optional.empty(), new PriceBook(List.of(B), List.of()).cheapestSpot("h100-sxm"));
        assertEquals(Optional.empty(), PriceBook.EMPTY.cheapestOnDemand("h100-sxm"));
    }

    @Test
    void should_pick_the_price_the_options_ask_for() {
        assertEquals(Optional.of(C), CostModel.price("h100-sxm", CostOptions.defaults().withSpot(0.1), BOOK));
        assertEquals(Optional.of(B), CostModel.price("h100-sxm", CostOptions.defaults(), BOOK));
        assertEquals("user", CostModel.price("h100-sxm", CostOptions.defaults().withPrice(9.0), BOOK).orElseThrow().provider());
        // spot time lost to interruptions is paid for: 1.2 / (1 - 0.25); a listing without spot falls back to on-demand
        assertEquals(1.2 / 0.75, CostModel.usdPerGpuHour(C, CostOptions.defaults().withSpot(0.25)), 1e-12);
        assertEquals(2.5 / 0.75, CostModel.usdPerGpuHour(B, CostOptions.defaults().withSpot(0.25)), 1e-12);
        assertEquals(4.0, CostModel.usdPerGpuHour(C, CostOptions.defaults()));
    }

    @Test
    void should_find_an_api_by_id_in_any_case_and_the_cheapest_one_serving_a_model() {
        assertEquals(DEAR, BOOK.api("DEAR-8B"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> BOOK.api("nope"));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("cheap-8b"), e.getMessage());
        // input + output per million: 0.2 against 0.35
        assertEquals(Optional.of(CHEAP), BOOK.cheapestApiFor("llama-3.1-8b"));
        assertEquals(Optional.empty(), BOOK.cheapestApiFor("qwen2.5-7b"), "a closed model's API serves no catalog model");
        assertEquals(Optional.of(DEAR), CostModel.api("llama-3.1-8b", CostOptions.defaults().withApi("dear-8b"), BOOK));
        assertEquals(Optional.of(CHEAP), CostModel.api("llama-3.1-8b", CostOptions.defaults(), BOOK));
    }

    @Test
    void should_break_even_only_when_the_capacity_reaches_the_break_even_volume() {
        GpuPrice p = GpuPrice.userStated("h100-sxm", 2);
        assertTrue(new CostEstimate(p, 2, 2, 1460, 0.1, 0.2, CHEAP, 1000.0, 1000).breaksEven(), "at exactly the volume");
        assertTrue(new CostEstimate(p, 2, 2, 1460, 0.1, 0.2, CHEAP, 999.0, 1000).breaksEven());
        assertFalse(new CostEstimate(p, 2, 2, 1460, 0.1, 0.2, CHEAP, 1001.0, 1000).breaksEven());
        assertFalse(new CostEstimate(p, 2, 2, 1460, 0.1, 0.2, null, null, 1000).breaksEven(), "no API, nothing to break even with");
    }

    @Test
    void should_refuse_options_outside_their_ranges() {
        assertThrows(InvalidInputException.class, () -> CostOptions.defaults().withSpot(1.0));
        assertThrows(InvalidInputException.class, () -> CostOptions.defaults().withSpot(-0.01));
        assertEquals(0.0, CostOptions.defaults().withSpot(0.0).interruptionRate());
        assertThrows(InvalidInputException.class, () -> CostOptions.defaults().withUtilization(0));
        assertThrows(InvalidInputException.class, () -> CostOptions.defaults().withPrice(0.0));
        assertThrows(InvalidInputException.class, () -> GpuPrice.userStated("h100-sxm", Double.POSITIVE_INFINITY));
        assertThrows(InvalidInputException.class, () -> GpuPrice.userStated("h100-sxm", 0));
    }
}
