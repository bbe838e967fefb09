package dev.headroom.core.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.Vllm;
import dev.headroom.core.memory.MemoryEstimate;
import dev.headroom.core.memory.MemoryModel;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.workload.Load;
import dev.headroom.core.workload.Workload;
import org.junit.jupiter.api.Test;

/**
 * MODEL.md "Time" for each kind of load, checked against the step model it composes (StepModel_termsTest checks the
 * steps themselves): a static batch's prefill chunks and decode steps, a closed loop's replicas and queue, Little's
 * law at a request rate, and the overload point.
 */
class PerfModel_loadsTest {
    private static final ModelProfile LLAMA_8B = Catalog.profile("llama-3.1-8b");
    /** Round efficiencies, with 2 ms per request outside the engine loop. */
    private static final Efficiency EFF = new Efficiency(0.5, 0.25, 0.5, 100, 1e-3, 5e-6, 2e-3, 0.5, 0.5, 1e-5);

    private static Deployment h100s(int gpus, int tp, int pp) {
        return new Deployment(Catalog.gpu("h100-sxm"), gpus, tp, pp, 1, null, null, Vllm.defaults().withMaxModelLen(8192));
    }

    private static StepModel steps(Deployment d) {
        return new StepModel(MemoryModel.compile(LLAMA_8B, d), EFF, 0.1);
    }

    private static MemoryEstimate memory(Deployment d, int in, int out, Load load) {
        return MemoryModel.estimate(LLAMA_8B, d, Workload.of(1, in, out).withLoad(load));
    }

    private static PerfEstimate perf(Deployment d, int in, int out, Load load) {
        return PerfModel.estimate(memory(d, in, out, load), steps(d));
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-9 * Math.abs(expected), what);
    }

    @Test
    void should_prefill_a_static_batch_in_chunks_of_the_step_budget_then_decode_it_together() {
        // GIVEN a batch of 12 prompts of 1,024 tokens, 128 out, on one H100; vLLM's budget at max_model_len 8,192 is 8,192
        Deployment d = h100s(1, 1, 1);
        StepModel s = steps(d);
        assertEquals(8192, d.engine().tokensPerStep(LLAMA_8B.spec(), d.gpu()));

        PerfEstimate p = perf(d, 1024, 128, Load.batch(12));

        // THEN 12,288 prompt tokens take 2 steps of 6,144; the 12 sequences decode at average context 1,024 + 64
        double prefill = s.step(0, 0, 6144, 1024).total();
        double decode = s.step(12, 1088, 0, 0).total();
        double ttft = 2e-3 + 2 * prefill;
        double e2e = ttft + 127 * decode;
        assertClose(ttft, p.ttftSeconds(), "TTFT");
        assertClose(decode, p.tpotSeconds(), "TPOT");
        assertClose(e2e, p.e2eLatencySeconds(), "E2E");
        assertClose(12 * 128 / e2e, p.outputTokensPerSecond(), "output rate");
        assertClose(12 * 128 / e2e, p.outputTokensPerSecondPerGpu(), "per GPU");
        assertClose(12 * 128 / e2e * (1 + 1024.0 / 128), p.totalTokensPerSecond(), "input and output");
        assertClose(ttft / e2e, p.prefillShareOfGpuTime(), "prefill share");
        assertEquals(12, p.concurrency());
        assertEquals(s.step(12, 1088, 0, 0).bottleneck(), p.bottleneck());
        assertEquals(s.computeType(), p.computeType());
        assertEquals(EFF, p.efficiency());
        assertTrue(p.notes().get(0).startsWith("efficiency: "), p.notes().toString());
        assertTrue(p.notes().get(1).contains("bf16 at 989.4 dense TFLOP/s"), p.notes().toString());
    }

    @Test
    void should_time_a_static_batch_by_its_busiest_replica() {
        // GIVEN 9 sequences on two replicas: one runs ceil(9 / 2) = 5
        Deployment d = h100s(2, 1, 1);
        StepModel s = steps(d);

        PerfEstimate p = perf(d, 512, 64, Load.batch(9));

        double ttft = 2e-3 + s.step(0, 0, 5 * 512, 512).total();
        double tpot = s.step(5, 512 + 32, 0, 0).total();
        double e2e = ttft + 63 * tpot;
        assertClose(ttft, p.ttftSeconds(), "TTFT");
        assertClose(tpot, p.tpotSeconds(), "TPOT");
        // all 9 sequences' tokens over the busiest replica's time, over 2 GPUs per GPU
        assertClose(9 * 64 / e2e, p.outputTokensPerSecond(), "output rate");
        assertClose(9 * 64 / e2e / 2, p.outputTokensPerSecondPerGpu(), "per GPU");
    }

    @Test
    void should_walk_a_static_batch_through_every_pipeline_stage() {
        // GIVEN two pipeline stages: each micro-batch of 4 / 2 sequences passes both stages per token
        Deployment d = h100s(2, 1, 2);
        StepModel s = steps(d);

        PerfEstimate p = perf(d, 512, 64, Load.batch(4));

        assertClose(2e-3 + 2 * s.step(0, 0, 4 * 512, 512).total(), p.ttftSeconds(), "TTFT");
        assertClose(2 * s.step(2, 512 + 32, 0, 0).total(), p.tpotSeconds(), "TPOT");
        assertTrue(p.notes().contains("pipeline: 2 stages, one micro-batch per stage in flight"), p.notes().toString());
    }

    @Test
    void should_serve_a_closed_loop_over_replicas_as_the_sum_of_their_loops() {
        // GIVEN 3 requests in a closed loop over 2 replicas: one replica runs 2, the other 1
        PerfEstimate two = perf(h100s(2, 1, 1), 1024, 256, Load.concurrency(3));
        PerfEstimate oneOfTwo = perf(h100s(1, 1, 1), 1024, 256, Load.concurrency(2));
        PerfEstimate oneOfOne = perf(h100s(1, 1, 1), 1024, 256, Load.concurrency(1));

        // THEN tokens add up; latency is the busier replica's
        assertClose(oneOfTwo.outputTokensPerSecond() + oneOfOne.outputTokensPerSecond(), two.outputTokensPerSecond(), "rate");
        assertClose(oneOfTwo.ttftSeconds(), two.ttftSeconds(), "TTFT");
        assertClose(oneOfTwo.tpotSeconds(), two.tpotSeconds(), "TPOT");
        assertEquals(3, two.concurrency());
        // a request's tokens over its time in the system: n x out / E2E per replica
        assertClose(2 * 256 / oneOfTwo.e2eLatencySeconds(), oneOfTwo.outputTokensPerSecond(), "Little's law, 2 running");
        assertClose(oneOfTwo.ttftSeconds() + 255 * oneOfTwo.tpotSeconds(), oneOfTwo.e2eLatencySeconds(), "E2E");
    }

    @Test
    void should_queue_requests_beyond_the_kv_capacity_behind_the_running_ones() {
        // GIVEN prompts of 7,000 tokens: the KV pool holds only a few requests at once
        Deployment d = h100s(1, 1, 1);
        MemoryEstimate m = memory(d, 7000, 1000, Load.concurrency(1));
        double capacity = PerfModel.runningCapacity(m);
        assertEquals(Math.floor(m.kvCacheTokens() / (7000 + 500.0)), capacity, "the pool over prompt + half the output");
        int cap = (int) capacity;
        int asked = 3 * cap;

        PerfEstimate full = perf(d, 7000, 1000, Load.concurrency(cap));
        PerfEstimate queued = perf(d, 7000, 1000, Load.concurrency(asked));
        PerfEstimate saturating = perf(d, 7000, 1000, Load.saturating());

        // THEN the extra 2 x cap wait, each for a running request to finish: TTFT + (2 cap / cap) x (TTFT + 999 TPOT)
        double ttft = full.ttftSeconds();
        double tpot = full.tpotSeconds();
        assertClose(ttft + (double) (asked - cap) / cap * (ttft + 999 * tpot), queued.ttftSeconds(), "queued TTFT");
        assertClose(tpot, queued.tpotSeconds(), "TPOT");
        assertClose(full.outputTokensPerSecond(), queued.outputTokensPerSecond(), "the running ones set the rate");
        assertEquals(asked, queued.concurrency());
        assertEquals(Bottleneck.KV_CAPACITY, queued.bottleneck());
        // the saturating load is the loop at capacity
        assertClose(full.outputTokensPerSecond(), saturating.outputTokensPerSecond(), "saturating rate");
        assertClose(ttft, saturating.ttftSeconds(), "saturating TTFT");
        assertEquals(cap, saturating.concurrency());
        assertEquals(Bottleneck.KV_CAPACITY, saturating.bottleneck());
        assertTrue(saturating.notes().get(saturating.notes().size() - 1).startsWith("saturating concurrency per replica: " + cap),
                saturating.notes().toString());
    }

    @Test
    void should_keep_rate_times_time_in_system_requests_in_flight() {
        // GIVEN 2 requests per second on one H100 and on two replicas
        PerfEstimate one = perf(h100s(1, 1, 1), 1024, 256, Load.rate(2));
        PerfEstimate two = perf(h100s(2, 1, 1), 1024, 256, Load.rate(4));

        // THEN Little's law: in flight = rate x E2E (to the bisection's millionth), all of the offered tokens delivered
        assertClose(2 * 256, one.outputTokensPerSecond(), "rate x output tokens");
        assertEquals(2 * one.e2eLatencySeconds(), one.concurrency(), 1e-5 * one.concurrency());
        assertClose(one.ttftSeconds() + 255 * one.tpotSeconds(), one.e2eLatencySeconds(), "E2E");
        assertClose(2 * 256 * (1 + 1024.0 / 256), one.totalTokensPerSecond(), "input and output");
        assertTrue(one.notes().get(one.notes().size() - 1).startsWith("Little's law: "), one.notes().toString());
        assertTrue(!one.overloaded());
        // two replicas at twice the rate each see the same load
        assertClose(4 * 256, two.outputTokensPerSecond(), "two replicas");
        assertEquals(2 * one.concurrency(), two.concurrency(), 1e-5 * two.concurrency());
        assertEquals(one.ttftSeconds(), two.ttftSeconds(), 1e-6 * one.ttftSeconds());
    }

    @Test
    void should_call_a_rate_beyond_what_a_full_replica_serves_overloaded_and_report_the_saturating_speed() {
        Deployment d = h100s(2, 1, 1);
        PerfEstimate saturating = perf(d, 1024, 256, Load.saturating());
        double requestsPerSecond = saturating.outputTokensPerSecond() / 256;

        PerfEstimate over = perf(d, 1024, 256, Load.rate(requestsPerSecond * 1.01));
        PerfEstimate under = perf(d, 1024, 256, Load.rate(requestsPerSecond * 0.5));

        assertTrue(over.overloaded());
        assertNull(over.ttftSeconds());
        assertNull(over.e2eLatencySeconds());
        assertEquals(Bottleneck.OVERLOADED, over.bottleneck());
        assertClose(saturating.outputTokensPerSecond(), over.outputTokensPerSecond(), "the most it serves");
        assertClose(saturating.tpotSeconds(), over.tpotSeconds(), "TPOT at capacity");
        assertEquals(saturating.concurrency(), over.concurrency());
        assertTrue(over.notes().get(over.notes().size() - 1).startsWith("overloaded: "), over.notes().toString());
        assertTrue(!under.overloaded());
        assertTrue(under.concurrency() < saturating.concurrency());
    }

    /**
     * The expected step of {@code running} decodes with Poisson(running / out) prompts of {@code in} tokens mixed in,
     * each step's prompt tokens capped by the budget left beside the decodes (PerfModel's class comment).
     */
    private static double poissonStep(StepModel s, double running, double in, double out, double budgetTokens) {
        double mean = running / out;
        double budget = Math.max(1, budgetTokens - running);
        double expected = 0;
        double mass = 0;
        double p = Math.exp(-mean);
        for (int k = 0; k <= 60; k++) {
            // prompt tokens beyond the budget run as further chunks, each adding a full chunk's increment
            double tokens = k * in;
            double full = s.seconds(running, in + out / 2, Math.min(tokens, budget), in);
            expected += p * (tokens <= budget ? full
                    : full + (tokens - budget) / budget * (full - s.seconds(running, in + out / 2, 0, in)));
            mass += p;
            p *= mean / (k + 1);
        }
        return expected / mass;
    }

    /** TTFT of a request arriving at {@code rate}: API overhead, half a step to the boundary, its prompt's step, M/D/1 wait. */
    private static double ttft(StepModel s, double rate, double running, double in, double out, double budgetTokens, double step) {
        double budget = Math.max(1, budgetTokens - running);
        double increment = s.seconds(running, in + out / 2, Math.min(in, budget), in) - s.seconds(running, in + out / 2, 0, 0);
        double chunks = in / budget;
        double service = Math.max(increment, chunks > 1 ? chunks * step : 0);
        double first = 2e-3 + 1.5 * step + service;
        double rho = Math.min(0.95, rate * service);
        return first + rho * service / (2 * (1 - rho));
    }

    @Test
    void should_average_a_closed_loops_step_over_the_poisson_count_of_prompts_it_takes() {
        // GIVEN 8 requests of 512 in, 256 out in a closed loop on one H100 (step budget 8,192 tokens)
        Deployment d = h100s(1, 1, 1);
        StepModel s = steps(d);

        PerfEstimate p = perf(d, 512, 256, Load.concurrency(8));

        // THEN a step decodes 8 and takes Poisson(8 / 256) prompts
        double step = poissonStep(s, 8, 512, 256, 8192);
        assertClose(step, p.tpotSeconds(), "TPOT");
        // prompts queue for the prefill lane as requests come round: a closed loop of 8, solved by mean value analysis
        // (the k-th request finds at the lane what the loop of k - 1 keeps there)
        double first = ttft(s, 0, 8, 512, 256, 8192, step);
        double service = first - 2e-3 - 1.5 * step;
        double elsewhere = first - service + 255 * step;
        double queue = 0;
        double wait = 0;
        for (int k = 1; k <= 8; k++) {
            wait = service * queue;
            queue = k / (wait + service + elsewhere) * (wait + service);
        }
        double ttft = first + wait;
        assertClose(ttft, p.ttftSeconds(), "TTFT");
        assertClose(8 * 256 / (ttft + 255 * step), p.outputTokensPerSecond(), "rate");
        double share = 1 - s.seconds(8, 512 + 128, 0, 0) / step;
        assertClose(share, p.prefillShareOfGpuTime(), "the prompts' share of the step");
        assertEquals(s.step(8, 640, Math.min(8 * 512 / 256.0, 8192 - 8), 512).bottleneck(), p.bottleneck());
    }

    @Test
    void should_take_the_mean_prompt_count_when_many_prompts_land_in_each_step() {
        // GIVEN 4-token answers to 64-token prompts at saturation: running / out is far above 40 prompts per step
        Deployment d = h100s(1, 1, 1);
        StepModel s = steps(d);
        MemoryEstimate m = memory(d, 64, 4, Load.saturating());
        // a step of 8,192 tokens keeps at most 8,192 / (1 + 64/4) = 481 decoding while carrying their successors' prompts
        double stepTokens = Math.floor(8192 / (1 + 64.0 / 4));
        double cap = Math.min(PerfModel.runningCapacity(m), stepTokens);
        assertTrue(cap / 4 > 40, "capacity " + cap);

        PerfEstimate p = perf(d, 64, 4, Load.saturating());

        // THEN the step takes min(cap / 4 x 64, budget - cap) prompt tokens beside cap decodes
        assertClose(s.seconds(cap, 66, Math.min(cap / 4 * 64, 8192 - cap), 64), p.tpotSeconds(), "TPOT");
        assertEquals(cap, p.concurrency());
        Bottleneck admission = stepTokens < PerfModel.runningCapacity(m) ? Bottleneck.STEP_TOKENS
                : m.engineMaxSequences() <= Math.floor(m.kvCacheTokens() / 66.0) ? Bottleneck.ENGINE_MAX_SEQUENCES : Bottleneck.KV_CAPACITY;
        assertEquals(admission, p.bottleneck());
    }

    @Test
    void should_wait_for_the_prefill_lane_at_a_request_rate_by_m_d_1() {
        // GIVEN 3 requests per second on one H100
        Deployment d = h100s(1, 1, 1);
        StepModel s = steps(d);

        PerfEstimate p = perf(d, 1024, 128, Load.rate(3));

        // THEN with n in flight (Little's law), TTFT = arrival + M/D/1 wait at 3 prompts per second
        double n = p.concurrency();
        double step = poissonStep(s, n, 1024, 128, 8192);
        assertClose(step, p.tpotSeconds(), "TPOT");
        assertClose(ttft(s, 3, n, 1024, 128, 8192, step), p.ttftSeconds(), "TTFT");
        assertEquals(s.step(n, 1088, Math.min(n * 1024 / 128, 8192 - n), 1024).bottleneck(), p.bottleneck());
    }

    @Test
    void should_refuse_speed_for_a_configuration_that_does_not_fit() {
        // GIVEN Llama-3.1-8B on an 8 GB card: the 16 GB of weights alone do not fit
        Deployment d = new Deployment(Catalog.gpu("rtx-4060-ti-8gb"), 1, 1, 1, 1, null, null, Vllm.defaults().withMaxModelLen(8192));
        MemoryEstimate m = MemoryModel.estimate(LLAMA_8B, d, Workload.of(1, 1024, 256));
        assertTrue(!m.fits());

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> PerfModel.estimate(m, new StepModel(MemoryModel.compile(LLAMA_8B, h100s(1, 1, 1)), EFF, 0.1)));
        assertTrue(e.getMessage().startsWith("no speed for a configuration that does not fit"), e.getMessage());
    }
}
