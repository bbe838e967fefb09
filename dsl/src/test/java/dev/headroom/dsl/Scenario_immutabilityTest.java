package dev.headroom.dsl;

import static dev.headroom.dsl.Sizing.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import org.junit.jupiter.api.Test;

/** STYLE.md section 1: every step returns a new value, so a half-built scenario can be kept and branched from. */
class Scenario_immutabilityTest {

    @Test
    void should_leave_a_kept_scenario_unchanged_when_branching() {
        // GIVEN a scenario kept in a variable
        Scenario base = model("llama-3.1-8b").on("h100-sxm");
        var deployment = base.deployment();
        var workload = base.workload();
        int hash = base.hashCode();

        // WHEN branches change every kind of setting
        Scenario big = base.batch(64).input(4096).output(512);
        Scenario moved = base.on("a100-80gb").gpus(2).weights("fp8").kv("fp8").engine("sglang");

        // THEN the kept scenario is what it was
        assertEquals(deployment, base.deployment());
        assertEquals(workload, base.workload());
        assertEquals(hash, base.hashCode());
        assertEquals(1, base.workload().sequencesAtOnce());
        assertEquals("h100-sxm", base.deployment().gpu().id());
        assertEquals(1, base.deployment().gpus());
        assertEquals("vllm", base.deployment().engine().id());
        assertNull(base.deployment().weights());
        assertNull(base.deployment().kv());
        // and the branches are what they asked for
        assertEquals(64, big.workload().sequencesAtOnce());
        assertEquals(4096, big.workload().inputTokens());
        assertEquals("a100-80gb", moved.deployment().gpu().id());
        assertEquals(2, moved.deployment().tp());
        assertEquals("sglang", moved.deployment().engine().id());
    }

    @Test
    void should_estimate_a_kept_scenario_the_same_before_and_after_branching() {
        Scenario base = model("llama-3.1-8b").on("h100-sxm");
        long before = base.memory().kvCacheBytesPerGpu();

        base.batch(128).kv("fp8").memory();

        assertEquals(before, base.memory().kvCacheBytesPerGpu());
    }

    @Test
    void should_leave_a_kept_sweep_unchanged_when_adding_axes() {
        Sweep s1 = model("llama-3.1-8b").on("h100-sxm").sweep().batch(1, 2);

        Sweep s2 = s1.gpu("h100-sxm", "a100-80gb");

        assertEquals(1, s1.axes().size());
        assertEquals(2, s1.scenarios().size());
        assertEquals(4, s2.scenarios().size());
        assertNotEquals(s1, s2);
    }

    @Test
    void should_fail_clearly_without_a_gpu() {
        Scenario noGpu = model("llama-3.1-8b");

        InvalidInputException e = assertThrows(InvalidInputException.class, noGpu::memory);

        assertTrue(e.getMessage().contains("no GPU"), e.getMessage());
        assertTrue(e.getMessage().contains("llama-3.1-8b"), e.getMessage());
        assertTrue(e.getMessage().contains(".on("), e.getMessage());
        assertTrue(e.getMessage().contains("h100-sxm"), "lists the known GPUs: " + e.getMessage());
        // steps that need no GPU may come before .on(...); estimating still needs one
        assertEquals(2, noGpu.tp(2).on("h100-sxm").deployment().tp());
        assertThrows(InvalidInputException.class, () -> noGpu.sweep().batch(1, 2).table());
        assertTrue(noGpu.toString().contains("no GPU"), noGpu.toString());
    }

    @Test
    void should_reject_unknown_names_at_the_step_that_takes_them() {
        Scenario base = model("llama-3.1-8b").on("h100-sxm");

        InvalidInputException gpu = assertThrows(InvalidInputException.class, () -> base.on("h100"));
        InvalidInputException weights = assertThrows(InvalidInputException.class, () -> base.weights("int3"));
        InvalidInputException engine = assertThrows(InvalidInputException.class, () -> base.engine("vlm"));

        assertTrue(gpu.getMessage().contains("'h100'"), gpu.getMessage());
        assertTrue(weights.getMessage().contains("'int3'") && weights.getMessage().contains("weight"), weights.getMessage());
        assertTrue(engine.getMessage().contains("'vlm'") && engine.getMessage().contains("known: vllm"), engine.getMessage());
    }

    @Test
    void should_list_the_catalog_through_the_entry_class() {
        assertTrue(Sizing.models().contains("llama-3.1-8b"));
        assertTrue(Sizing.gpus().contains("h100-sxm"));
        assertEquals(Sizing.models().stream().sorted().toList(), Sizing.models());
    }
}
