package dev.headroom.dsl;

import static dev.headroom.dsl.Sizing.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

class Scenario_solversTest {
    private final Scenario rag = model("llama-3.1-70b").on("h100-sxm").weights("fp8").kv("fp8").input(4096).output(512).batch(32);

    @Test
    void should_find_the_largest_batch_that_fits_and_no_larger() {
        // GIVEN the fewest H100s that hold 32 conversations of 4,608 tokens
        Scenario placed = rag.fewestGpus();
        // WHEN asking for the largest batch at that length (the engine sized for it, as the solver does)
        int largest = placed.largestBatch();
        // THEN that batch fits and one more sequence does not
        assertTrue(largest >= 32, "at least the batch it was placed for: " + largest);
        assertTrue(placed.maxLength(4608).batch(largest).memory().fits());
        assertFalse(placed.maxLength(4608).batch(largest + 1).memory().fits());
    }

    @Test
    void should_place_the_batch_on_the_fewest_gpus_of_its_type() {
        Scenario placed = rag.fewestGpus();
        int n = placed.deployment().gpus();

        assertTrue(placed.maxLength(4608).memory().fits(), placed.memory().verdict());
        assertFalse(rag.gpus(n / 2).maxLength(4608).memory().fits(), "half as many GPUs would have done");
    }

    @Test
    void should_say_when_no_count_of_a_gpu_holds_the_batch() {
        Scenario impossible = model("deepseek-v3").on("l4").input(100_000).output(1000).batch(256);

        InvalidInputException e = assertThrows(InvalidInputException.class, impossible::fewestGpus);
        assertTrue(e.getMessage().contains("l4"), e.getMessage());
    }

    @Test
    void should_plan_enough_replicas_for_every_user_within_the_latency() {
        // GIVEN 500 users who expect 512 tokens within 30 s: at most 30 / 512 s per output token
        Table plan = rag.planForUsers(500, 30);

        assertTrue(plan.rowCount() > 0);
        for (Row r : plan) {
            assertTrue(r.getLong("replicas") * r.getDouble("users_per_replica") >= 500, r.toString());
            assertTrue(r.getDouble("tpot_ms") <= 30_000.0 / 512 + 0.01, r.toString());
            assertEquals(r.getLong("tp") * r.getLong("replicas"), r.getLong("gpus"), r.toString());
        }
    }

    @Test
    void should_list_the_cheapest_gpus_first() {
        Table t = rag.cheapestGpus();

        assertTrue(t.rowCount() >= 3, "a 70B FP8 model fits on several catalog GPUs:\n" + t.print());
        double previous = 0;
        for (Row r : t) {
            if (!r.isMissing("usd_per_hour")) {
                assertTrue(r.getDouble("usd_per_hour") >= previous, t.print());
                previous = r.getDouble("usd_per_hour");
            }
        }
    }
}
