package dev.headroom.core.perf;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** MODEL.md "Time": the decode roofline on cases whose arithmetic is written out next to the assertion. */
class PerfModel_rooflineTest {
    private static MemoryEstimate memory(String model, String gpu, int gpus, int batch, int input, int output) {
        Deployment d = new Deployment(Catalog.gpu(gpu), gpus, gpus, 1, 1, null, null, Vllm.defaults().withMaxModelLen(8192));
        return MemoryModel.estimate(Catalog.profile(model), d, Workload.of(batch, input, output));
    }

    /** The calibrated efficiencies with the fixed costs (step, sequence, request, collective latency) set to zero: only the roofline is left. */
    private static Efficiency rooflineOnly(Efficiency e) {
        return new Efficiency(e.weightBandwidth(), e.kvBandwidth(), e.mfuMax(), e.tokensAtHalfMfu(), 0, 0, 0,
                e.moeGemmEfficiency(), e.collectiveBandwidth(), 0);
    }

    @Test
    void should_bind_single_stream_decode_of_llama_8b_on_h100_by_memory_bandwidth() {
        // GIVEN Llama-3.1-8B bf16 on one H100 SXM, one sequence
        MemoryEstimate m = memory("llama-3.1-8b", "h100-sxm", 1, 1, 1024, 256);

        // WHEN it decodes
        PerfEstimate p = Estimates.perf(m, Load.batch(1));

        // THEN the weights stream bounds the step:
        // weights ~ 2 B x 8,030,261,248 params = 16.06e9 B (plus the rotary table); H100 SXM: 3,350 GB/s
        double weights = m.weightsBytesPerGpu();
        assertTrue(weights >= 2 * 8_030_261_248L && weights < 2 * 8_030_261_248L + (1L << 30), "weights " + weights);
        double bandwidth = 3350e9;
        // physical floor: 16.06e9 / 3.35e12 = 4.79 ms; calibrated streaming at the nvidia-hbm family's fitted share
        double floor = weights / bandwidth;
        double calibrated = weights / (bandwidth * Calibration.DEFAULT.value(Parameter.WEIGHT_BANDWIDTH, "nvidia-hbm"));
        assertEquals("memory bandwidth", p.bottleneck().toString());
        assertTrue(p.tpotSeconds() >= floor, "TPOT " + p.tpotSeconds() + " below the physical floor " + floor);
        // within 2x of the calibrated stream (the rest is KV and vLLM's step overhead)
        assertTrue(p.tpotSeconds() <= 2 * calibrated, "TPOT " + p.tpotSeconds() + " vs 2 x " + calibrated);
    }

    @Test
    void should_touch_fewer_mixtral_experts_at_batch_1_than_at_batch_64() {
        // GIVEN Mixtral-8x7B bf16 on one H200 (141 GB, 4.8 TB/s); top-2 of 8 experts
        MemoryEstimate one = memory("mixtral-8x7b", "h200", 1, 1, 1024, 256);
        MemoryEstimate many = memory("mixtral-8x7b", "h200", 1, 64, 1024, 256);

        // WHEN a batch of 1 and a batch of 64 decode
        PerfEstimate p1 = Estimates.perf(one, Load.batch(1));
        PerfEstimate p64 = Estimates.perf(many, Load.batch(64));

        // THEN batch 1 reads 1 - (1 - 2/8)^1 = 25% of the routed experts, batch 64 practically all of them:
        assertTrue(p1.tpotSeconds() < p64.tpotSeconds(), p1.tpotSeconds() + " vs " + p64.tpotSeconds());
        // routed experts are ~97% of Mixtral's 46.7B params, so batch 1 streams ~0.03 + 0.25 x 0.97 = 27% of the weights:
        // faster than streaming all of them even at the datasheet bandwidth (93.4e9 B / 4.8e12 B/s = 19.5 ms)
        double allWeights = one.weightsBytesPerGpu() / Catalog.gpu("h200").bandwidthBytesPerSecond();
        assertTrue(p1.tpotSeconds() < allWeights, "batch 1 " + p1.tpotSeconds() + " vs all experts " + allWeights);
        // while batch 64 touches 1 - 0.75^64 > 99.99999% of them and cannot beat that floor
        assertTrue(p64.tpotSeconds() >= allWeights * (1 - 1e-6), "batch 64 " + p64.tpotSeconds() + " vs " + allWeights);
    }

    @Test
    void should_decode_deepseek_v3_at_batch_1_far_below_its_dense_equivalent() {
        // GIVEN DeepSeek-V3 (its fp8 checkpoint) on 8 x H200 at TP8; each token goes to 8 of 256 routed experts
        MemoryEstimate m = memory("deepseek-v3", "h200", 8, 1, 1024, 256);
        double denseFloor = m.weightsBytesPerGpu() / Catalog.gpu("h200").bandwidthBytesPerSecond();

        // WHEN one sequence decodes, with the calibrated fixed costs and without them
        PerfEstimate p = Estimates.perf(m, Load.batch(1));
        PerfEstimate bare = Estimates.perf(m, Load.batch(1), PerfModel_rooflineTest::rooflineOnly);

        // THEN even with step overhead and 2 x 61 all-reduces it beats streaming every expert at full bandwidth
        assertTrue(p.tpotSeconds() < denseFloor, p.tpotSeconds() + " vs dense floor " + denseFloor);
        // and the roofline alone reads about 3% (shared) + 8/256 x 97% (routed) ~ 6% of the weights: far below the
        // dense-equivalent bound of all the weights at the same calibrated bandwidth
        double denseBound = m.weightsBytesPerGpu() / (Catalog.gpu("h200").bandwidthBytesPerSecond() * bare.efficiency().weightBandwidth());
        assertTrue(bare.tpotSeconds() < 0.15 * denseBound, bare.tpotSeconds() + " vs dense bound " + denseBound);
    }

    @Test
    void should_add_the_all_reduce_time_of_pcie_at_tp2_on_l40s() {
        // GIVEN Llama-3.1-8B at TP2 on L40S (PCIe 4.0 x16, 32 GB/s; no stated hop latency: 10 us)
        // and on a copy of the L40S with an ideal link
        Gpu l40s = Catalog.gpu("l40s");
        Gpu ideal = l40s.withInterconnect(new Interconnect("ideal", 1e30, 0.0, Interconnect.Topology.NVSWITCH, 8));
        Deployment d = new Deployment(l40s, 2, 2, 1, 1, null, null, Vllm.defaults().withMaxModelLen(8192));
        ModelProfile m = Catalog.profile("llama-3.1-8b");
        Workload w = Workload.of(1, 1024, 256);

        // WHEN one sequence decodes on each
        PerfEstimate pcie = Estimates.perf(MemoryModel.estimate(m, d, w), Load.batch(1));
        PerfEstimate free = Estimates.perf(MemoryModel.estimate(m, d.withGpu(ideal), w), Load.batch(1));

        // THEN the difference is 2 all-reduces x 32 layers, each one collective latency (the calibrated PCIe value) +
        // 2(N-1)/N = 1 x 4096 x 2 B over the link at the calibrated share of its 32 GB/s
        Efficiency e = pcie.efficiency();
        assertEquals(Calibration.DEFAULT.value(Parameter.COLLECTIVE_LATENCY_S, "pcie"), e.collectiveLatencySeconds(), 1e-15);
        double expected = 64 * (e.collectiveLatencySeconds() + 4096 * 2.0 / (32e9 * e.collectiveBandwidth()));
        assertTrue(expected > 64 * 4096 * 2.0 / 32e9, "slower than the bare link");
        assertEquals(expected, pcie.tpotSeconds() - free.tpotSeconds(), 1e-9);
    }

    @Test
    void should_slow_a_compute_bound_prefill_in_proportion_when_mfu_is_lowered() {
        // GIVEN a large static batch of long prompts: prefill of 64 x 2048 = 131,072 tokens is compute-bound
        MemoryEstimate m = memory("llama-3.1-8b", "h100-sxm", 1, 64, 2048, 128);

        // WHEN the calibrated MFU (bf16 on H100, nvidia-hbm family) is overridden with half of it
        PerfEstimate calibrated = Estimates.perf(m, Load.batch(64));
        double fitted = Calibration.DEFAULT.value(Parameter.MFU_16BIT, "nvidia-hbm");
        PerfEstimate tuned = Estimates.perf(m, Load.batch(64), e -> e.withMfuMax(fitted / 2));

        // THEN the override is used, and the time to first token minus its fixed costs (request + one step overhead) doubles:
        // compute time = FLOPs / (peak x mfuMax x M/(M+half)), and fitted / (fitted / 2) = 2
        assertEquals(fitted, calibrated.efficiency().mfuMax(), 1e-12);
        assertEquals(fitted / 2, tuned.efficiency().mfuMax(), 1e-12);
        // (the batch's 131,072 prompt tokens run in chunks of vLLM's per-step budget, each paying the step overhead)
        Efficiency e = calibrated.efficiency();
        double chunks = Math.ceil(64.0 * 2048 / Vllm.defaults().withMaxModelLen(8192).tokensPerStep(m.model(), m.deployment().gpu()));
        double fixed = e.requestOverheadSeconds() + chunks * e.stepOverheadSeconds();
        assertTrue(tuned.ttftSeconds() > calibrated.ttftSeconds());
        assertEquals(2.0, (tuned.ttftSeconds() - fixed) / (calibrated.ttftSeconds() - fixed), 1e-9);
        assertTrue(tuned.tpotSeconds() >= calibrated.tpotSeconds());
        assertTrue(tuned.outputTokensPerSecond() < calibrated.outputTokensPerSecond());
    }

    @Test
    void should_obey_littles_law_right_up_to_the_saturating_rate() {
        // GIVEN Llama-3.1-8B on one L4, 2048 in / 512 out, and the highest request rate the model does not call
        // overloaded (bisected between 0 and the closed-loop saturating rate)
        MemoryEstimate m = memory("llama-3.1-8b", "l4", 1, 1, 2048, 512);
        double lo = 0;
        double hi = Estimates.perf(m, Load.saturating()).outputTokensPerSecond() / 512 * 1.5;
        for (int i = 0; i < 50; i++) {
            double mid = (lo + hi) / 2;
            if (Estimates.perf(m, Load.rate(mid)).overloaded()) hi = mid; else lo = mid;
        }

        // WHEN requests arrive just below it
        double rate = 0.9999 * lo;
        PerfEstimate p = Estimates.perf(m, Load.rate(rate));

        // THEN requests in flight = arrival rate x time in the system (L = lambda W), right up to saturation
        assertTrue(!p.overloaded());
        assertEquals(rate * p.e2eLatencySeconds(), p.concurrency(), 1e-3 * p.concurrency());
        // AND just above it the queue grows without bound
        assertTrue(Estimates.perf(m, Load.rate(1.01 * lo)).overloaded());
    }

    @Test
    void should_decode_one_sequence_on_two_replicas_as_fast_as_on_one_gpu() {
        // GIVEN one sequence, on one H100 and on two H100 replicas (tp 1, gpus 2)
        MemoryEstimate one = memory("llama-3.1-8b", "h100-sxm", 1, 1, 1024, 1024);
        Deployment two = new Deployment(Catalog.gpu("h100-sxm"), 2, 1, 1, 1, null, null, Vllm.defaults().withMaxModelLen(8192));
        MemoryEstimate replicas = MemoryModel.estimate(Catalog.profile("llama-3.1-8b"), two, Workload.of(1, 1024, 1024));

        // WHEN it decodes
        PerfEstimate single = Estimates.perf(one, Load.batch(1));
        PerfEstimate spread = Estimates.perf(replicas, Load.batch(1));

        // THEN one replica runs it, the other idles: the same TPOT and the same tokens/s
        assertEquals(single.tpotSeconds(), spread.tpotSeconds(), 1e-12);
        assertEquals(single.outputTokensPerSecond(), spread.outputTokensPerSecond(), 1e-9);
    }
}
