package dev.headroom.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.cost.PriceBook;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GPU-hours and dollars for a token budget, and the output columns every format is made from. */
class TrainingEstimate_columnsTest {
    private static final ModelProfile LLAMA_8B = Catalog.profile("llama-3.1-8b");
    private static final Gpu H100 = Catalog.gpu("h100-sxm");
    private static final TrainingSetup LORA = TrainingSetup.defaults().withMethod(Method.LORA).withParallel(2, 1, 1, 1, 1)
            .withBudget(1_000_000_000L, 2.0);

    private static TrainingEstimate estimate(TrainingSetup s, PriceBook prices) {
        return TrainingModel.estimate(LLAMA_8B, H100, s, TrainingEfficiency.DEFAULT, prices);
    }

    private static Object value(String column, TrainingEstimate e) {
        return TrainingColumns.named(column).orElseThrow().value(e);
    }

    @Test
    void should_turn_a_token_budget_into_gpu_hours_wall_clock_hours_and_dollars() {
        TrainingEstimate e = estimate(LORA, PriceBook.EMPTY);

        // GPU-hours = tokens / (tokens/s per GPU) / 3600; wall clock over 2 GPUs; $ at the stated $2 per GPU-hour
        double gpuHours = 1e9 / e.time().tokensPerSecondPerGpu() / 3600;
        assertEquals(gpuHours, e.gpuHours(), 1e-9 * gpuHours);
        assertEquals(gpuHours / 2, e.wallClockHours(), 1e-9 * gpuHours);
        assertEquals(gpuHours * 2.0, e.usd(), 1e-9 * gpuHours);
        assertEquals("user", e.price().provider());
        assertTrue(e.fits());

        // no budget: no hours; no price anywhere: no dollars; the catalog's cheapest listing when none is stated
        assertTrue(Double.isNaN(estimate(LORA.withBudget(0, 2.0), PriceBook.EMPTY).gpuHours()));
        assertTrue(Double.isNaN(estimate(LORA.withBudget(1_000_000_000L, null), PriceBook.EMPTY).usd()));
        assertNull(estimate(LORA.withBudget(1_000_000_000L, null), null).price());
        TrainingEstimate catalog = estimate(LORA.withBudget(1_000_000_000L, null), Catalog.prices());
        assertEquals(Catalog.prices().cheapestOnDemand("h100-sxm").orElseThrow(), catalog.price());
        // a setup that does not fit has no time
        TrainingEstimate full = estimate(TrainingSetup.defaults().withBudget(1_000_000L, 2.0), PriceBook.EMPTY);
        assertFalse(full.fits());
        assertNull(full.time());
        assertTrue(Double.isNaN(full.gpuHours()));
    }

    @Test
    void should_read_every_column_from_the_estimate_and_leave_what_does_not_exist_empty() {
        TrainingEstimate e = estimate(LORA, PriceBook.EMPTY);

        assertEquals("llama-3.1-8b", value("model", e));
        assertEquals(2L, value("gpus", e));
        assertEquals(2L, value("dp", e));
        assertEquals("lora", value("method", e));
        assertEquals("all-linear", value("lora_targets", e));
        assertEquals(16L, value("lora_rank", e));
        assertEquals(false, value("compile", e));
        assertEquals(2L * 2048, value("tokens_per_step", e));
        assertEquals(e.memory().totalBytes(), value("total_bytes_per_gpu", e));
        assertEquals(e.memory().headroomBytes(), value("headroom_bytes_per_gpu", e));
        assertEquals(true, value("fits", e));
        assertEquals(e.time().stepSeconds(), value("step_time_s", e));
        assertEquals(e.time().tokensPerSecondPerGpu() * 2, value("tokens_per_s", e));
        assertEquals(e.time().mfu(), value("mfu", e));
        assertEquals(1_000_000_000L, value("tokens", e));
        assertEquals(e.usd(), value("usd", e));
        assertEquals(2.0, value("usd_per_gpu_hour", e));
        assertEquals("user user (as of given)", value("price_source", e));

        TrainingEstimate full = estimate(TrainingSetup.defaults(), PriceBook.EMPTY);
        assertNull(value("lora_rank", full));
        assertNull(value("lora_targets", full));
        assertNull(value("step_time_s", full), "no time for a setup that does not fit");
        assertNull(value("tokens_per_s", full));
        assertNull(value("tokens", full), "no budget");
        assertNull(value("usd_per_gpu_hour", full));
        assertNull(value("price_source", full));
        assertEquals(false, value("fits", full));
    }

    @Test
    void should_group_title_and_find_the_columns_by_name() {
        assertTrue(TrainingColumns.named("no_such_column").isEmpty());
        assertEquals("weights per GPU (bytes)", TrainingColumns.named("weights_bytes_per_gpu").orElseThrow().title());
        assertEquals("GPUs", TrainingColumns.named("gpus").orElseThrow().title());
        assertEquals(TrainingColumns.ALL, TrainingColumns.of());
        List<TrainingColumn> cost = TrainingColumns.of(TrainingColumn.Group.COST);
        assertEquals(List.of("tokens", "gpu_hours", "wall_clock_hours", "usd_per_gpu_hour", "usd", "price_source"),
                cost.stream().map(TrainingColumn::name).toList());
        assertEquals(TrainingColumns.of(TrainingColumn.Group.SETUP).size() + cost.size(),
                TrainingColumns.of(TrainingColumn.Group.SETUP, TrainingColumn.Group.COST).size());
        assertTrue(TrainingColumns.isProse(TrainingColumns.named("price_source").orElseThrow()));
        assertFalse(TrainingColumns.isProse(TrainingColumns.named("usd").orElseThrow()));
        assertEquals("USD/GPU-hour", TrainingColumn.Unit.USD_PER_GPU_HOUR.symbol());
    }

    @Test
    void should_write_the_estimate_term_by_term_with_its_verdict() {
        TrainingEstimate e = estimate(LORA.withOffload(Offload.OPTIMIZER).withSharding(Sharding.ZERO_2), PriceBook.EMPTY);
        String text = e.toString();
        assertTrue(text.startsWith("llama-3.1-8b on h100-sxm: lora r16 on all-linear, 2 GPUs"), text);
        assertTrue(text.contains("fits"), text);
        assertTrue(text.contains("budget 1,000,000,000 tokens: "), text);
        assertTrue(text.contains("at $2.00 per GPU-hour (user, as of given)"), text);
        assertTrue(text.contains("host memory for offloaded states: "), text);
        assertTrue(text.contains("efficiency: GEMMs at 63% of the 16-bit peak"), text);

        String unfit = estimate(TrainingSetup.defaults(), PriceBook.EMPTY).toString();
        assertTrue(unfit.contains("does NOT fit ("), unfit);
        assertTrue(unfit.contains("no time or cost: the setup does not fit"), unfit);
        assertFalse(unfit.contains("host memory"), unfit);
    }

    @Test
    void should_describe_and_bound_the_training_efficiencies() {
        TrainingEfficiency e = new TrainingEfficiency(0.5, 0.8, 4, 0.25);
        assertEquals("GEMMs at 50% of the 16-bit peak (FP8 at 80% of that share of the FP8 peak), memory traffic 4.00 x the "
                + "saved activations (x 0.25 compiled)", e.toString());
        assertEquals(new TrainingEfficiency(0.5, 0.8, 2, 0.25), e.withTraffic(2));
        assertEquals(new TrainingEfficiency(0.5, 0.8, 4, 0.5), e.withCompiled(0.5));
        assertThrows(InvalidInputException.class, () -> e.withGemm(1.5));
        assertThrows(InvalidInputException.class, () -> e.withTraffic(0));
        TrainingTime t = new TrainingTime(1, 0, 0, 0, 0, 1, 2000, 1e9, 1e12);
        assertEquals("step 2.000 s = compute 1.000 + bubble 0.000 + TP 0.000 + DP 0.000 + offload 0.000 + optimizer 1.000; "
                + "1000 tokens/s per GPU, MFU 100.0%", t.toString());
    }

    @Test
    void should_count_each_optimizers_state_bytes_per_tensor() {
        // AdamW: two states of the framework's dtype; paged AdamW: always fp32
        assertEquals(2 * 1000 * 4, Optimizer.ADAMW.stateBytes(10, 100, 4));
        assertEquals(2 * 1000 * 2, Optimizer.ADAMW.stateBytes(10, 100, 2));
        assertEquals(2 * 1000 * 4, Optimizer.PAGED_ADAMW.stateBytes(10, 100, 2));
        // 8-bit: two uint8 states and an fp32 absmax per 2,048-value block each; under 4,096 values fp32 states
        assertEquals(2 * (8192 + 4 * 4), Optimizer.ADAMW_8BIT.stateBytes(8192, 1, 4));
        assertEquals(2 * (4097 + 4 * 3), Optimizer.PAGED_ADAMW_8BIT.stateBytes(4097, 1, 4));
        assertEquals(2 * 4096 + 4 * 2 * 2, Optimizer.ADAMW_8BIT.stateBytes(4096, 1, 4), "4,096 values are quantized");
        assertEquals(2 * 4095 * 4, Optimizer.ADAMW_8BIT.stateBytes(4095, 1, 4));
        // SGD: one state; Adafactor: rows + columns of a matrix, every element of a vector
        assertEquals(1000 * 4, Optimizer.SGD.stateBytes(10, 100, 4));
        assertEquals((10 + 100) * 4, Optimizer.ADAFACTOR.stateBytes(10, 100, 4));
        assertEquals(100 * 4, Optimizer.ADAFACTOR.stateBytes(100, 1, 4));
        assertEquals(100 * 4, Optimizer.ADAFACTOR.stateBytes(1, 100, 4));
        assertTrue(Optimizer.ADAMW_8BIT.eightBit() && Optimizer.PAGED_ADAMW_8BIT.eightBit() && !Optimizer.PAGED_ADAMW.eightBit());
        assertTrue(Optimizer.PAGED_ADAMW.paged() && !Optimizer.ADAMW.paged());
    }
}
