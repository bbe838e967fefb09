package dev.headroom.dsl;

import static dev.headroom.dsl.Sizing.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.training.Method;
import dev.headroom.core.training.Optimizer;
import dev.headroom.core.training.Sharding;
import dev.headroom.core.training.TrainingEstimate;
import org.junit.jupiter.api.Test;

/** STYLE.md section 1: every training step returns a new value; the issue's chain reads as written. */
class TrainingScenario_stepsTest {

    @Test
    void should_build_the_issues_chain_into_eight_data_parallel_gpus_with_zero_three() {
        TrainingScenario t = model("llama-3.1-8b").on("h100-sxm").gpus(8).train().zero(3).microBatch(2).seqLen(4096);

        assertEquals(8, t.setup().gpus());
        assertEquals(1, t.setup().tp());
        assertEquals(8, t.setup().dp());
        assertEquals(Sharding.ZERO_3, t.setup().sharding());
        assertEquals(2, t.setup().microBatch());
        assertEquals(4096, t.setup().seqLen());
        assertTrue(t.memory().totalBytes() > 0);
    }

    @Test
    void should_leave_a_kept_training_scenario_unchanged_when_branching() {
        // GIVEN a training scenario kept in a variable
        TrainingScenario base = model("llama-3.1-8b").on("h100-sxm").train().seqLen(2048);
        long before = base.memory().totalBytes();
        int hash = base.hashCode();

        // WHEN branches change the method, the optimizer, the sharding and the batch
        TrainingScenario lora = base.lora(16);
        TrainingScenario qlora = base.qlora();
        TrainingScenario sharded = base.gpus(4).zero(2).recompute("full").microBatch(8).optimizer("adamw-8bit");

        // THEN the kept one is what it was, and each branch what it asked for
        assertEquals(hash, base.hashCode());
        assertEquals(before, base.memory().totalBytes());
        assertEquals(Method.FULL, base.setup().method());
        assertEquals(Method.LORA, lora.setup().method());
        assertEquals(16, lora.setup().loraRank());
        assertEquals(Method.QLORA, qlora.setup().method());
        assertEquals(Optimizer.PAGED_ADAMW_8BIT, qlora.setup().optimizer());
        assertEquals(Sharding.ZERO_2, sharded.setup().sharding());
        assertEquals(8, sharded.setup().microBatch());
        assertEquals(1, base.setup().microBatch());
    }

    @Test
    void should_give_time_and_cost_only_when_the_setup_fits() {
        TrainingEstimate small = model("llama-3.1-8b").on("h100-sxm").train().lora(16).seqLen(2048).tokens(1_000_000_000L).estimate();
        TrainingEstimate huge = model("llama-3.1-70b").on("rtx-4090").train().seqLen(2048).estimate();

        assertTrue(small.fits());
        assertNotNull(small.time());
        assertTrue(small.gpuHours() > 0 && Double.isFinite(small.usd()), small.toString());
        assertFalse(huge.fits());
        assertEquals(null, huge.time());
        assertTrue(huge.toString().contains("does NOT fit"), huge.toString());
    }

    @Test
    void should_name_the_step_and_the_valid_choices_for_a_bad_value() {
        TrainingScenario t = model("llama-3.1-8b").on("h100-sxm").train();

        InvalidInputException method = assertThrows(InvalidInputException.class, () -> t.method("dora"));
        InvalidInputException zero = assertThrows(InvalidInputException.class, () -> t.zero(4));
        InvalidInputException batch = assertThrows(InvalidInputException.class, () -> t.microBatch(0));

        assertTrue(method.getMessage().contains("'dora'") && method.getMessage().contains("qlora"), method.getMessage());
        assertTrue(zero.getMessage().contains("0, 1, 2, 3"), zero.getMessage());
        assertTrue(batch.getMessage().contains("microBatch(0)"), batch.getMessage());
    }

    @Test
    void should_ask_for_a_gpu_before_estimating() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> model("llama-3.1-8b").train().memory());

        assertTrue(e.getMessage().contains(".on("), e.getMessage());
    }

    @Test
    void should_solve_for_the_largest_micro_batch_and_the_fewest_gpus() {
        TrainingScenario qlora = model("llama-3.1-8b").on("rtx-4090").train().qlora().recompute("full").seqLen(2048);
        int batch = qlora.largestMicroBatch();

        assertTrue(batch >= 1, "QLoRA of an 8B model fits a 24 GB card at 2048 tokens");
        assertTrue(qlora.microBatch(batch).memory().fits());
        assertFalse(qlora.microBatch(batch + 1).memory().fits());

        TrainingScenario full = model("llama-3.1-8b").on("a100-80gb").train().zero(3).recompute("full").seqLen(2048).fewestGpus();
        assertTrue(full.memory().fits());
        assertFalse(full.gpus(full.setup().gpus() - 1).memory().fits(), "one GPU fewer does not hold it");
    }
}
