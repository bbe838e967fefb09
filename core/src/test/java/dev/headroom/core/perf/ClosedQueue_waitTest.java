package dev.headroom.core.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

class ClosedQueue_waitTest {

    @Test
    void should_never_make_a_request_alone_wait() {
        assertEquals(0, ClosedQueue.wait(1, 0.5, 2.0));
        assertEquals(0, ClosedQueue.wait(0.5, 0.5, 2.0));
    }

    @Test
    void should_make_the_second_request_wait_for_the_prompt_the_first_keeps_in_the_lane() {
        // GIVEN a lane of 1 s per prompt and 1 s elsewhere: alone, a request holds the lane 1 s of each 2 s (queue 1/2)
        // THEN the second request finds half a request there and waits 1/2 x 1 s
        assertEquals(0.5, ClosedQueue.wait(2, 1.0, 1.0), 1e-12);
    }

    @Test
    void should_interpolate_between_whole_loops() {
        double two = ClosedQueue.wait(2, 1.0, 1.0);
        double three = ClosedQueue.wait(3, 1.0, 1.0);
        assertEquals((two + three) / 2, ClosedQueue.wait(2.5, 1.0, 1.0), 1e-12);
    }

    @Test
    void should_approach_a_whole_cycle_of_prompts_once_the_lane_saturates() {
        // GIVEN 100 requests, each 1 s at the lane and 1 s elsewhere: the lane is the bottleneck, one prompt per second
        double wait = ClosedQueue.wait(100, 1.0, 1.0);
        // THEN a request comes round about every 100 s, 98 s of it waiting (never less: the lane serves one per second)
        assertTrue(wait >= 98 - 1e-9 && wait < 98.5, "wait " + wait);
    }

    @Test
    void should_join_the_exact_solution_and_the_asymptote_without_a_step() {
        int exact = 1 << 16;
        double at = ClosedQueue.wait(exact, 1e-3, 1.0);
        double beyond = ClosedQueue.wait(exact + 1, 1e-3, 1.0);
        double far = ClosedQueue.wait(4 * exact, 1e-3, 1.0);
        assertTrue(beyond >= at && beyond - at < 2e-3, at + " -> " + beyond);
        // the last loop solved exactly is still solved exactly: half a request less lies halfway to one less
        assertEquals((ClosedQueue.wait(exact - 1, 1e-3, 1.0) + at) / 2, ClosedQueue.wait(exact - 0.5, 1e-3, 1.0), 1e-12);
        assertEquals(4 * exact * 1e-3 - 1e-3 - 1.0, far, 1e-9);
    }

    @Property(tries = 300)
    void should_never_serve_fewer_requests_per_second_as_the_loop_grows(
            @ForAll @IntRange(min = 1, max = 3000) int n,
            @ForAll @DoubleRange(min = 1e-4, max = 10) @Scale(6) double demand,
            @ForAll @DoubleRange(min = 0, max = 100) double elsewhere) {
        double now = n / (ClosedQueue.wait(n, demand, elsewhere) + demand + elsewhere);
        double next = (n + 1) / (ClosedQueue.wait(n + 1, demand, elsewhere) + demand + elsewhere);
        assertTrue(next >= now * (1 - 1e-12), n + " -> " + now + ", " + (n + 1) + " -> " + next);
        // and never more than the lane serves
        assertTrue(next <= 1 / demand * (1 + 1e-9), "throughput " + next + " beyond the lane's " + 1 / demand);
    }
}
