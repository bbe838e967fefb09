package dev.headroom.core.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.Vllm;
import dev.headroom.core.memory.MemoryModel;
import dev.headroom.core.memory.MemoryProfile;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.precision.ComputeType;
import org.junit.jupiter.api.Test;

/**
 * MODEL.md "Time": one engine step, kernel group by kernel group, against the formula written out beside each
 * assertion. The efficiencies are chosen round (not the calibrated ones) so each term can be computed by hand;
 * the H100 SXM figures are the catalog's (catalog/gpus/h100-sxm.json): 3,350 GB/s, 989.4 dense bf16 TFLOP/s,
 * 67 fp32 TFLOP/s, NVLink 4 at 450 GB/s.
 */
class StepModel_termsTest {
    private static final double BW = 3350e9;
    private static final double BF16 = 989.4e12;
    private static final double FP32 = 67e12;
    private static final double NVLINK = 450e9;

    /** weights at 50% of bandwidth, KV at 25%, MFU up to 50% (half at 100 tokens), 1 ms per step, 5 µs per collective,
     *  expert GEMMs at 50% of dense, collectives' bytes at 50% of the link, 10 µs per running sequence. */
    private static final Efficiency EFF = new Efficiency(0.5, 0.25, 0.5, 100, 1e-3, 5e-6, 0, 0.5, 0.5, 1e-5);
    /** matrix-vector products on the fp32 units at 10% of their peak */
    private static final double GEMV = 0.1;

    private static final ModelProfile LLAMA_8B = Catalog.profile("llama-3.1-8b");

    private static MemoryProfile llama8b(int tp, int pp) {
        Deployment d = new Deployment(Catalog.gpu("h100-sxm"), tp * pp, tp, pp, 1, null, null, Vllm.defaults().withMaxModelLen(8192));
        return MemoryModel.compile(LLAMA_8B, d);
    }

    private static StepModel steps(MemoryProfile p, Efficiency e) {
        return new StepModel(p, e, GEMV);
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-9 * Math.abs(expected) + 1e-15, what);
    }

    @Test
    void should_cost_only_the_step_overhead_when_the_step_has_no_tokens() {
        StepModel s = steps(llama8b(1, 1), EFF);

        StepModel.StepTime t = s.step(0, 0, 0, 0);

        assertEquals(new StepModel.StepTime(0, 0, 0, 1e-3), t);
        assertEquals(1e-3, s.seconds(0, 0, 0, 0));
        assertEquals(EFF, s.efficiency());
        assertEquals(ComputeType.BF16, s.computeType());
    }

    @Test
    void should_stream_the_weights_and_each_sequences_kv_in_a_memory_bound_decode() {
        // GIVEN Llama-3.1-8B bf16 on one H100: 2 B x 8,030,261,248 params (+ the rotary table the engine keeps)
        MemoryProfile p = llama8b(1, 1);
        StepModel s = steps(p, EFF);
        double weights = 2.0 * 8_030_261_248L + p.rotaryBytes();
        // KV per token: K and V x 32 layers x 8 KV heads x 128 dims x 2 bytes = 131,072 B
        assertEquals(131_072L, p.kvBytesPerToken());

        // WHEN 4 sequences at context 1,000 decode
        StepModel.StepTime t = s.step(4, 1000, 0, 0);

        // THEN memory = weights / (3.35e12 x 0.5) + 4 x 1,000 x 131,072 / (3.35e12 x 0.25); nothing is compute-bound,
        // one GPU talks to no one, and the overhead is 1 ms + 4 x 10 µs
        assertClose(weights / (BW * 0.5) + 4 * 1000 * 131_072.0 / (BW * 0.25), t.memory(), "memory");
        assertEquals(0, t.compute(), "compute");
        assertEquals(0, t.communication(), "communication");
        assertClose(1e-3 + 4 * 1e-5, t.overhead(), "overhead");
        assertClose(t.memory() + t.compute() + t.communication() + t.overhead(), s.seconds(4, 1000, 0, 0), "seconds");
    }

    @Test
    void should_run_a_long_prompt_at_the_size_dependent_mfu_with_causal_attention_over_half_of_it() {
        // GIVEN Llama-3.1-8B on one H100 and a step of 8,192 prompt tokens (no decodes)
        StepModel s = steps(llama8b(1, 1), EFF);
        double p = 8192;
        // attention core per query token per attended token: 4 x 32 heads x 128 dims x 32 layers = 524,288 FLOPs
        assertEquals(524_288.0, LLAMA_8B.attentionCost(0, 32).fullFlopsPerToken());

        StepModel.StepTime t = s.step(0, 0, p, p);

        // THEN the matmuls run at 989.4e12 x 0.5 x 8192 / (8192 + 100); attention over 4,096 tokens on average at the same
        // rate (16-bit tensor cores); the weights' 4.8 ms stream hides under the compute, so memory is 0
        double rate = BF16 * 0.5 * p / (p + 100);
        double matmuls = p * 2.0 * LLAMA_8B.matmulParamsPerToken() / rate;
        double attention = p * 524_288.0 * (p / 2) / rate;
        assertClose(matmuls + attention, t.compute(), "compute");
        assertEquals(0, t.memory(), "memory");
        assertEquals(Bottleneck.COMPUTE, t.bottleneck());
    }

    @Test
    void should_fall_back_to_the_vector_units_when_the_tensor_cores_would_be_slower() {
        // GIVEN an MFU that rises so slowly (1% at most, half at a million tokens) that 16 rows reach 1.6e8 FLOP/s on the
        // tensor cores, far below the fp32 units' 67e12 x 10% = 6.7e12
        Efficiency slow = new Efficiency(1, 1, 0.01, 1e6, 0, 0, 0, 1, 1, 0);
        StepModel s = steps(llama8b(1, 1), slow);

        // WHEN a 16-token prompt runs
        StepModel.StepTime t = s.step(0, 0, 16, 16);

        // THEN both the matmuls and the attention run at the vector units' rate: 16 x 2N / 6.7e12 + 16 x 524,288 x 8 / 6.7e12
        double gemv = FP32 * GEMV;
        assertClose(16 * 2.0 * LLAMA_8B.matmulParamsPerToken() / gemv + 16 * 524_288.0 * 8 / gemv, t.compute(), "compute");
        assertEquals(0, t.memory());
        assertEquals(0, t.overhead());
    }

    @Test
    void should_count_decode_attention_flops_when_they_outweigh_the_kv_read() {
        // GIVEN KV read at the full bandwidth, and attention at the vector units only (MFU 1e-6): at context 100,000 one
        // decoding sequence reads 100,000 x 131,072 B = 13.1 GB (3.9 ms) but does 100,000 x 524,288 FLOPs (7.8 ms)
        Efficiency e = new Efficiency(1, 1, 1e-6, 1e6, 0, 0, 0, 1, 1, 0);
        MemoryProfile p = llama8b(1, 1);
        StepModel s = steps(p, e);

        StepModel.StepTime t = s.step(1, 100_000, 0, 0);

        double gemv = FP32 * GEMV;
        double weights = 2.0 * 8_030_261_248L + p.rotaryBytes();
        double denseCompute = 2.0 * LLAMA_8B.matmulParamsPerToken() / gemv;
        // the dense matmuls of one token (2.4 ms at 6.7e12) stay under the weights' stream (4.8 ms)
        assertClose(weights / BW, t.memory(), "memory: the weights only");
        assertClose(100_000 * 524_288.0 / gemv, t.compute(), "compute: the decode attention");
        assertEquals(true, denseCompute < weights / BW);
    }

    @Test
    void should_all_reduce_the_hidden_states_twice_per_layer_under_tensor_parallelism() {
        // GIVEN Llama-3.1-8B at TP2 over NVLink 4
        StepModel s = steps(llama8b(2, 1), EFF);

        // WHEN steps of 1 and of 1,001 tokens run
        double one = s.step(1, 100, 0, 0).communication();
        double many = s.step(1001, 100, 0, 0).communication();

        // THEN each costs 2 all-reduces x 32 layers x 5 µs, plus per token 2 x 32 x 2(n-1)/n x (4096 x 2 B) bytes at
        // 450e9 x 0.5: 64 x 5e-6 + tokens x 524,288 / 225e9
        double perToken = 2 * 32 * (2.0 * 1 / 2) * 4096 * 2 / (NVLINK * 0.5);
        assertClose(64 * 5e-6 + perToken, one, "one token");
        assertClose(64 * 5e-6 + 1001 * perToken, many, "1,001 tokens");
    }

    @Test
    void should_hand_the_hidden_states_to_the_next_stage_under_pipeline_parallelism() {
        // GIVEN Llama-3.1-8B on two pipeline stages (TP1): no all-reduce, one hand-off of 4096 x 2 B per token
        StepModel s = steps(llama8b(1, 2), EFF);

        double comm = s.step(10, 100, 0, 0).communication();

        assertClose(5e-6 + 10 * 4096 * 2 / (NVLINK * 0.5), comm, "hand-off");
    }

    @Test
    void should_split_the_kv_read_and_the_matmul_flops_over_the_pipeline_stages() {
        // GIVEN Llama-3.1-8B at PP2: each stage reads half the layers' KV and multiplies half the parameters
        Efficiency e = new Efficiency(1, 1, 1e-6, 1e6, 0, 0, 0, 1, 1, 0);
        StepModel one = steps(llama8b(1, 1), e);
        StepModel two = steps(llama8b(1, 2), e);
        // (the KV read timed where attention's FLOPs run at the full tensor-core rate and stay under the read)
        Efficiency fast = new Efficiency(1, 1, 1, 1e-3, 0, 0, 0, 1, 1, 0);
        StepModel oneFast = steps(llama8b(1, 1), fast);
        StepModel twoFast = steps(llama8b(1, 2), fast);

        // WHEN a prompt runs on the vector units (compute-bound) and a decode reads KV at context 10,000
        double gemv = FP32 * GEMV;
        double prompt1 = one.step(0, 0, 64, 64).compute();
        double prompt2 = two.step(0, 0, 64, 64).compute();
        double kv1 = oneFast.step(1, 10_000, 0, 0).memory() - oneFast.step(1, 0, 0, 0).memory();
        double kv2 = twoFast.step(1, 10_000, 0, 0).memory() - twoFast.step(1, 0, 0, 0).memory();

        // THEN matmuls: 64 x 2N / 2 / 6.7e12 per stage; attention over 32 heads of 32 layers over 2 stages;
        // KV: 10,000 x 131,072 B / 3.35e12, halved
        double matmuls = 64 * 2.0 * LLAMA_8B.matmulParamsPerToken() / gemv;
        double attention = 64 * 524_288.0 * 32 / gemv;
        assertClose(matmuls + attention, prompt1, "one stage");
        assertClose(matmuls / 2 + attention / 2, prompt2, "per stage of two");
        assertClose(10_000 * 131_072.0 / BW, kv1, "KV on one stage");
        assertClose(10_000 * 131_072.0 / BW / 2, kv2, "KV per stage of two");
    }

    private static final ModelProfile MIXTRAL = Catalog.profile("mixtral-8x7b");

    private static MemoryProfile mixtral(String gpu, int gpus, int tp, int ep, boolean attentionDp) {
        Deployment d = new Deployment(Catalog.gpu(gpu), gpus, tp, 1, ep, attentionDp, null, null, Vllm.defaults().withMaxModelLen(8192));
        return MemoryModel.compile(MIXTRAL, d);
    }

    @Test
    void should_read_only_the_experts_a_small_batch_reaches() {
        // GIVEN Mixtral-8x7B bf16 on one H200 (4,800 GB/s): top-2 of 8 experts; the weights split into routed experts
        // and the rest by their share of the parameters
        MemoryProfile p = mixtral("h200", 1, 1, 1, false);
        StepModel s = steps(p, EFF);
        double bw = 4800e9;
        assertEquals(bw, Catalog.gpu("h200").bandwidthBytesPerSecond());
        double weights = 2.0 * MIXTRAL.params() + p.rotaryBytes();
        double share = (double) MIXTRAL.routedParams() / MIXTRAL.params();
        double dense = weights * (1 - share) / (bw * 0.5);
        double experts = weights * share / (bw * 0.5);

        // WHEN one and three sequences decode at context 0
        double one = s.step(1, 0, 0, 0).memory();
        double three = s.step(3, 0, 0, 0).memory();

        // THEN one token reaches 1 - (1 - 2/8) = 25% of the experts, three 1 - 0.75^3 = 57.8%, read at the grouped
        // GEMMs' 50% of the dense rate
        assertClose(dense + experts * 0.25 / 0.5, one, "one token");
        assertClose(dense + experts * (1 - Math.pow(0.75, 3)) / 0.5, three, "three tokens");
    }

    @Test
    void should_run_expert_gemms_on_their_share_of_the_tokens_with_the_busiest_rank_setting_the_pace() {
        // GIVEN Mixtral-8x7B on 8 H100 at TP8 with its experts spread over EP8, and a compute-bound prompt of 4,096
        MemoryProfile p = mixtral("h100-sxm", 8, 8, 8, false);
        StepModel s = steps(p, EFF);
        double t = 4096;

        StepModel.StepTime step = s.step(0, 0, t, t);

        // THEN dense matmuls: t x 2 (N - routed active) / 8 at rate(t); experts: t x 2 routed active / 8 x imbalance at
        // rate(t x 2/8) x 0.5, with the busiest of 8 ranks at 1 + sqrt(2 ln 8 / (t x 2 / 8)); attention over half the
        // prompt split over 8 ranks
        double routedActive = MIXTRAL.routedParams() * 2.0 / 8;
        double dense = t * 2 * (MIXTRAL.matmulParamsPerToken() - routedActive) / 8 / rate(t);
        double imbalance = 1 + Math.sqrt(2 * Math.log(8) / (t * 2 / 8));
        double experts = t * 2 * routedActive / 8 * imbalance / (rate(t * 2 / 8) * 0.5);
        double attention = t * MIXTRAL.attentionCost(0, 32).flops(t / 2) / 8 / rate(t);
        assertClose(dense + experts + attention, step.compute(), "compute");
        // Mixtral's own attention: 4 x 32 heads x 128 x 32 layers per attended token
        assertEquals(4.0 * 32 * 128 * 32, MIXTRAL.attentionCost(0, 32).fullFlopsPerToken());

        // and communication: 2 all-reduces and a dispatch + combine per layer, each 64 x 5 µs, plus per token
        // 2 x 32 x 2 x 7/8 x 8,192 B (all-reduce) + 2 x 32 x 2 (top-2) x 8,192 x 7/8 B (all-to-all) at 225e9
        double perToken = (2 * 32 * 2 * 7.0 / 8 * 8192 + 2 * 32 * 2 * 8192 * 7.0 / 8) / (NVLINK * 0.5);
        assertClose(128 * 5e-6 + t * perToken, step.communication(), "communication");
    }

    private static double rate(double rows) {
        return Math.max(BF16 * 0.5 * rows / (rows + 100), FP32 * GEMV);
    }

    @Test
    void should_drop_the_all_reduce_and_split_the_tokens_under_attention_data_parallelism() {
        // GIVEN Mixtral-8x7B at TP2 with attention data parallelism: each rank runs its own requests' attention whole
        MemoryProfile p = mixtral("h100-sxm", 2, 2, 1, true);
        StepModel s = steps(p, EFF);

        StepModel.StepTime step = s.step(0, 0, 4096, 4096);

        // THEN no all-reduce (no expert parallelism either: nothing to send); the dense matmuls see half the tokens each
        assertEquals(0, step.communication());
        double routedActive = MIXTRAL.routedParams() * 2.0 / 8;
        double dense = 4096 * 2 * (MIXTRAL.matmulParamsPerToken() - routedActive) / 2 / rate(2048);
        double experts = 4096 * 2 * routedActive / 2 / (rate(4096 * 2.0 / 8) * 0.5);
        // attention: whole heads per rank, over the 2 groups of requests
        double attention = 4096 * MIXTRAL.attentionCost(0, 32).flops(2048) / 2 / rate(4096);
        assertClose(dense + experts + attention, step.compute(), "compute");
    }

    @Test
    void should_name_the_largest_part_of_a_step_its_bottleneck() {
        assertEquals(Bottleneck.MEMORY_BANDWIDTH, new StepModel.StepTime(1, 1, 0, 5).bottleneck(), "a tie goes to memory");
        assertEquals(Bottleneck.COMPUTE, new StepModel.StepTime(1, 1.5, 0, 0).bottleneck());
        assertEquals(Bottleneck.MEMORY_BANDWIDTH, new StepModel.StepTime(2, 1, 2, 0).bottleneck(), "communication must exceed both");
        assertEquals(Bottleneck.MEMORY_BANDWIDTH, new StepModel.StepTime(2, 1, 1.5, 0).bottleneck());
        assertEquals(Bottleneck.COMPUTE, new StepModel.StepTime(1, 2, 1.5, 0).bottleneck());
        assertEquals(Bottleneck.COMMUNICATION, new StepModel.StepTime(1, 2, 2.5, 0).bottleneck());
        assertEquals(Bottleneck.COMMUNICATION, new StepModel.StepTime(2, 1, 2.5, 0).bottleneck());
        assertEquals(1 + 2 + 3 + 4, new StepModel.StepTime(1, 2, 3, 4).total());
    }
}
