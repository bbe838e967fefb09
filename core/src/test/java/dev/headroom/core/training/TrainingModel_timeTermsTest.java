package dev.headroom.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.Layer;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.precision.ComputeType;
import org.junit.jupiter.api.Test;

/**
 * MODEL.md "Training time": each term of one step's time against its formula, written out beside the assertion.
 * Llama-3.1-8B (hidden 4,096, 32 layers, vocabulary 128,256, 8,030,261,248 parameters) on H100 SXM
 * (catalog/gpus/h100-sxm.json: 989.4 dense bf16 TFLOP/s, 1,978.9 fp8, 3,350 GB/s, NVLink 4 at 450 GB/s, 8 per node).
 */
class TrainingModel_timeTermsTest {
    private static final ModelProfile LLAMA_8B = Catalog.profile("llama-3.1-8b");
    private static final Gpu H100 = Catalog.gpu("h100-sxm");
    private static final long PARAMS = 8_030_261_248L;
    private static final double BF16 = 989.4e12;
    private static final double FP8 = 1978.9e12;
    private static final double BW = 3350e9;
    private static final double NVLINK = 450e9;
    /** TrainingSetup's default: one 400 Gb/s NIC per GPU, 8 GPUs per node: 8 x 50e9 across nodes. */
    private static final double CROSS_NODE = 8 * 50e9;
    private static final TrainingEfficiency EFF = new TrainingEfficiency(0.5, 0.8, 4, 0.5);

    private static TrainingTime time(TrainingSetup s) {
        return time(s, EFF);
    }

    private static TrainingTime time(TrainingSetup s, TrainingEfficiency e) {
        TrainingMemory m = TrainingModel.memory(LLAMA_8B, H100, s);
        return TrainingModel.time(LLAMA_8B, H100, s, e, m);
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-9 * Math.abs(expected) + 1e-12, what);
    }

    /** Matrix-multiply parameters per token: all but the input embedding (4,096 x 128,256). */
    private static final double N = PARAMS - 4096.0 * 128_256;

    @Test
    void should_count_the_matrix_parameters_every_token_multiplies() {
        assertEquals((long) N, LLAMA_8B.matmulParamsPerToken());
        assertEquals(PARAMS, LLAMA_8B.params());
    }

    @Test
    void should_run_forward_2n_and_backward_4n_flops_per_token_at_the_gemm_share_of_the_peak() {
        // GIVEN one GPU, micro-batch 2 x 2,048 tokens, 3 micro-batches per step
        TrainingSetup s = TrainingSetup.defaults().withBatch(2, 2048, 3);
        double tokens = 2 * 2048;
        double attention = LLAMA_8B.attentionCost(0, 32).flops(1024);

        // WHEN the GEMM efficiency halves from 0.5 to 0.25
        double fast = time(s, EFF).computeSeconds();
        double slow = time(s, EFF.withGemm(0.25)).computeSeconds();

        // THEN the compute time grows by the matmuls' 6N and attention's 3 x causal forward FLOPs per token, each
        // micro-batch: 3 x tokens x (6N + 3 attn) x (1/(0.25 peak) - 1/(0.5 peak))
        double flops = tokens * (6 * N + 3 * attention);
        assertClose(3 * flops * (1 / (BF16 * 0.25) - 1 / (BF16 * 0.5)), slow - fast, "6N + 3 attention");
    }

    @Test
    void should_run_the_forward_again_under_full_recomputation_and_attention_again_under_selective() {
        TrainingSetup s = TrainingSetup.defaults().withBatch(1, 4096, 1);
        double tokens = 4096;
        double attention = LLAMA_8B.attentionCost(0, 32).flops(2048);
        double perFlop = 1 / (BF16 * 0.25) - 1 / (BF16 * 0.5);

        double full = time(s.withRecompute(Recompute.FULL), EFF.withGemm(0.25)).computeSeconds()
                - time(s.withRecompute(Recompute.FULL), EFF).computeSeconds();
        double selective = time(s.withRecompute(Recompute.SELECTIVE), EFF.withGemm(0.25)).computeSeconds()
                - time(s.withRecompute(Recompute.SELECTIVE), EFF).computeSeconds();

        // full: 2N forward twice + 4N backward = 8N, attention forward twice + backward 2 = 4; selective: 6N and 4
        assertClose(tokens * (8 * N + 4 * attention) * perFlop, full, "full recomputation");
        assertClose(tokens * (6 * N + 4 * attention) * perFlop, selective, "selective recomputation");
    }

    @Test
    void should_give_frozen_weights_no_weight_gradients_and_adapters_6_flops_per_parameter() {
        // GIVEN LoRA r = 16 on every linear layer: A adapter parameters
        TrainingSetup s = TrainingSetup.defaults().withMethod(Method.LORA).withBatch(1, 4096, 1);
        double a = ModelShapes.of(LLAMA_8B).adapterParams(16, LoraTargets.ALL_LINEAR);
        double attention = LLAMA_8B.attentionCost(0, 32).flops(2048);
        double perFlop = 1 / (BF16 * 0.25) - 1 / (BF16 * 0.5);

        double lora = time(s, EFF.withGemm(0.25)).computeSeconds() - time(s, EFF).computeSeconds();

        // forward 2N + 2A, backward 2N + 4A: 4N + 6A; attention 3 x its causal forward
        assertClose(4096 * (4 * N + 6 * a + 3 * attention) * perFlop, lora, "LoRA FLOPs");
    }

    @Test
    void should_run_fp8_gemms_at_the_fp8_peak_times_both_shares_and_report_mfu_against_it() {
        TrainingSetup s = TrainingSetup.defaults().withCompute(ComputeType.FP8).withBatch(1, 4096, 1);
        double attention = LLAMA_8B.attentionCost(0, 32).flops(2048);

        double fp8 = time(s, EFF.withFp8(0.4)).computeSeconds() - time(s, EFF).computeSeconds();
        TrainingTime t = time(s);

        // matmuls at 1978.9e12 x 0.5 x fp8-share; attention stays on the 16-bit path, so only the matmuls move
        assertClose(4096 * 6 * N * (1 / (FP8 * 0.5 * 0.4) - 1 / (FP8 * 0.5 * 0.8)), fp8, "fp8 matmuls");
        assertEquals(FP8, t.peakFlops());
        assertEquals(BF16, time(TrainingSetup.defaults()).peakFlops());
        assertTrue(attention > 0);
    }

    @Test
    void should_read_the_weights_once_forward_and_twice_backward_when_a_micro_batch_is_too_small_to_be_compute_bound() {
        // GIVEN 8 tokens per micro-batch: 8 x 6N FLOPs take 0.7 ms at 0.5 x peak, reading the weights 3 x 16 GB takes 14 ms
        TrainingSetup s = TrainingSetup.defaults().withBatch(1, 8, 1);
        TrainingTime t = time(s);
        TrainingTime traffic2 = time(s, new TrainingEfficiency(0.5, 0.8, 8, 0.5));
        double attention = LLAMA_8B.attentionCost(0, 32).flops(4);

        // memory-bound work: what the traffic multiple (4 -> 8) adds, at 4 x its per-multiple bytes
        double trafficPart = traffic2.computeSeconds() - t.computeSeconds();
        double logits = 8 * 128_256.0 * 10 / BW;
        double weights = Math.ceil(PARAMS / 1.0) * 2 * 3 / BW;
        double attn = 8 * attention * 3 / (BF16 * 0.5);
        // compute = weights x 3 passes / bandwidth + attention + traffic x 4 + the logits' 10 bytes per vocabulary entry
        assertClose(weights + attn + trafficPart + logits, t.computeSeconds(), "weight-bound micro-batch");
    }

    @Test
    void should_all_reduce_the_hidden_states_four_times_per_layer_under_tensor_parallelism() {
        // GIVEN TP2 on two GPUs, micro-batches of 1 x 2,048 tokens, 4 per step
        TrainingSetup s = TrainingSetup.defaults().withParallel(2, 2, 1, 1, 1).withBatch(1, 2048, 4);

        // THEN (2 forward + 2 backward) x 32 layers = 128 all-reduces of 2,048 x 4,096 x 2 B per micro-batch,
        // a ring moving 2(t-1)/t of them over NVLink: 4 x 128 x 1.0 x 16,777,216 / 450e9
        double bytes = 2048.0 * 4096 * 2;
        assertClose(4 * 128 * (2.0 * 1 / 2) * bytes / NVLINK, time(s).tensorParallelSeconds(), "TP2");
        // full recomputation adds the forward's two: 6 x 32 = 192
        assertClose(4 * 192 * (2.0 * 1 / 2) * bytes / NVLINK, time(s.withRecompute(Recompute.FULL)).tensorParallelSeconds(), "TP2, recompute");
        // TP4 moves 2 x 3/4
        TrainingSetup tp4 = TrainingSetup.defaults().withParallel(4, 4, 1, 1, 1).withBatch(1, 2048, 4);
        assertClose(4 * 128 * (2.0 * 3 / 4) * bytes / NVLINK, time(tp4).tensorParallelSeconds(), "TP4");
        // TP16 spans two nodes: the ring runs at min(450e9, 8 x 50e9)
        TrainingSetup tp16 = TrainingSetup.defaults().withParallel(16, 16, 1, 1, 1).withBatch(1, 2048, 4);
        assertClose(4 * 128 * (2.0 * 15 / 16) * bytes / CROSS_NODE, time(tp16).tensorParallelSeconds(), "TP16");
        // a pipeline stage of a PP2 setup runs half the layers' all-reduces; context parallelism halves the tokens
        TrainingSetup pp2 = TrainingSetup.defaults().withParallel(4, 2, 2, 1, 1).withBatch(1, 2048, 4);
        assertClose(4 * 64 * (2.0 * 1 / 2) * bytes / NVLINK, time(pp2).tensorParallelSeconds(), "TP2 x PP2");
        TrainingSetup cp2 = TrainingSetup.defaults().withParallel(4, 2, 1, 2, 1).withBatch(1, 2048, 4);
        assertClose(4 * 128 * (2.0 * 1 / 2) * bytes / 2 / NVLINK, time(cp2).tensorParallelSeconds(), "TP2 x CP2");
        assertEquals(0, time(TrainingSetup.defaults()).tensorParallelSeconds());
    }

    @Test
    void should_idle_p_minus_one_over_v_micro_batches_in_the_pipeline_bubble() {
        TrainingSetup pp4 = TrainingSetup.defaults().withParallel(4, 1, 4, 1, 1).withBatch(1, 2048, 8);
        TrainingTime plain = time(pp4);
        TrainingTime interleaved = time(pp4.withParallel(4, 1, 4, 1, 2));

        // bubble = (p - 1) / v micro-batches; compute = 8 micro-batches
        assertClose(3.0 * plain.computeSeconds() / 8, plain.bubbleSeconds(), "1F1B");
        assertClose(1.5 * interleaved.computeSeconds() / 8, interleaved.bubbleSeconds(), "interleaved, v = 2");
        assertEquals(0, time(TrainingSetup.defaults()).bubbleSeconds());
        // each GPU's tokens per step: 8 x 2,048 over the 4 stages
        assertEquals(8 * 2048 / 4, plain.tokensPerStepPerGpu());
    }

    @Test
    void should_reduce_gradients_after_the_backward_pass_only_for_what_it_cannot_hide() {
        // GIVEN DDP on 16 GPUs (two nodes), torch-amp: fp32 gradients reduced, 4 B per parameter, across the nodes' NICs
        TrainingSetup s = TrainingSetup.defaults().withParallel(16, 1, 1, 1, 1).withBatch(1, 1024, 1);
        TrainingTime t = time(s);

        // THEN reduce = 2 x 15/16 x 4 x params / min(450e9, 400e9), less the last backward (2/3 of one micro-batch)
        double reduce = 2.0 * 15 / 16 * 4.0 * PARAMS / CROSS_NODE;
        assertClose(Math.max(0, reduce - t.computeSeconds() * 2 / 3), t.dataParallelSeconds(), "DDP over two nodes");
        assertTrue(t.dataParallelSeconds() > 0, "a 1,024-token micro-batch cannot hide the reduction");
        // within one node: NVLink, 2 x 7/8
        TrainingTime node = time(s.withParallel(8, 1, 1, 1, 1));
        assertClose(Math.max(0, 2.0 * 7 / 8 * 4.0 * PARAMS / NVLINK - node.computeSeconds() * 2 / 3), node.dataParallelSeconds(), "DDP, one node");
        // a long micro-batch hides it all
        assertEquals(0, time(s.withBatch(8, 8192, 1)).dataParallelSeconds());
    }

    @Test
    void should_gather_parameters_and_scatter_gradients_each_micro_batch_under_zero_3() {
        // GIVEN ZeRO-3 (DeepSpeed: 16-bit gradients reduced) on 8 GPUs of one node, 2 micro-batches of 256 tokens
        TrainingSetup s = TrainingSetup.defaults().withSharding(Sharding.ZERO_3).withParallel(8, 1, 1, 1, 1).withBatch(1, 256, 2);
        TrainingTime t = time(s);

        // gathers: 2 x 7/8 x 2 B x params; scatter: 7/8 x 2 B x params; over NVLink, less one micro-batch's compute
        double micro = t.computeSeconds() / 2;
        double gathers = 2.0 * 7 / 8 * 2.0 * PARAMS / NVLINK;
        double scatter = 7.0 / 8 * 2.0 * PARAMS / NVLINK;
        assertClose(2 * Math.max(0, gathers + scatter - micro), t.dataParallelSeconds(), "ZeRO-3");
        assertTrue(t.dataParallelSeconds() > 0);
    }

    @Test
    void should_shard_within_a_node_and_reduce_across_nodes_under_hybrid_fsdp() {
        // GIVEN hybrid FSDP on 16 GPUs: shards of 8 inside each node, 2 replicas; torch-amp reduces fp32 gradients
        TrainingSetup s = TrainingSetup.defaults().withSharding(Sharding.FSDP_HYBRID).withParallel(16, 1, 1, 1, 1).withBatch(1, 256, 1);
        TrainingTime t = time(s);

        double micro = t.computeSeconds();
        double grads = 4.0 * PARAMS;
        double gathers = 2.0 * 7 / 8 * 2.0 * PARAMS / NVLINK;
        double scatter = 7.0 / 8 * grads / NVLINK;
        double acrossNodes = 2.0 * 1 / 2 * grads / 8 / CROSS_NODE;
        assertClose(Math.max(0, gathers + scatter - micro) + Math.max(0, acrossNodes - micro * 2 / 3), t.dataParallelSeconds(), "hybrid");
        assertTrue(t.dataParallelSeconds() > 0);
    }

    @Test
    void should_move_gradients_down_and_weights_up_over_pcie_when_the_optimizer_lives_on_the_host() {
        // GIVEN ZeRO-3 on 8 GPUs with the optimizer and the parameters offloaded, 2 micro-batches
        TrainingSetup s = TrainingSetup.defaults().withSharding(Sharding.ZERO_3).withOffload(Offload.OPTIMIZER_AND_PARAMS)
                .withParallel(8, 1, 1, 1, 1).withBatch(1, 2048, 2);
        TrainingTime t = time(s);

        // optimizer: 2 B of gradient down and 2 B of weight up per parameter; parameters: 2 B up forward and backward,
        // each micro-batch, for this GPU's 1/8 shard; PCIe Gen4 x16 at 32 GB/s
        double optimizer = PARAMS * 4.0 / 32e9;
        double params = 2 * 2.0 * 2.0 * PARAMS / 8 / 32e9;
        assertClose(optimizer + params, t.offloadSeconds(), "offload");
        assertClose(optimizer, time(s.withOffload(Offload.OPTIMIZER)).offloadSeconds(), "optimizer offload only");
        assertEquals(0, time(s.withOffload(Offload.NONE)).offloadSeconds());
    }

    @Test
    void should_read_and_write_every_model_state_once_in_the_optimizer_step() {
        TrainingSetup s = TrainingSetup.defaults().withBatch(1, 1024, 1);
        TrainingMemory m = TrainingModel.memory(LLAMA_8B, H100, s);
        TrainingTime t = TrainingModel.time(LLAMA_8B, H100, s, EFF, m);

        long states = m.weights().bytes() + m.master().bytes() + m.gradients().bytes() + m.optimizer().bytes();
        assertClose(2.0 * states / BW, t.optimizerSeconds(), "full");
        // torch-amp: 4 + 0 + 4 + 8 bytes per parameter
        assertEquals(16 * PARAMS, states);

        TrainingSetup lora = s.withMethod(Method.LORA);
        TrainingMemory lm = TrainingModel.memory(LLAMA_8B, H100, lora);
        assertClose(2.0 * lm.optimizer().bytes() / BW, TrainingModel.time(LLAMA_8B, H100, lora, EFF, lm).optimizerSeconds(), "LoRA: the states only");
    }

    @Test
    void should_add_the_terms_into_the_step_and_divide_tokens_and_model_flops_by_it() {
        TrainingTime t = new TrainingTime(1, 2, 3, 4, 5, 6, 4200, 1e9, 1e12);

        assertEquals(21, t.stepSeconds());
        assertEquals(200, t.tokensPerSecondPerGpu());
        assertEquals(1e9 * 200 / 1e12, t.mfu(), 1e-15);
    }

    @Test
    void should_count_model_flops_with_the_mfu_convention_and_not_the_executed_ones() {
        TrainingSetup s = TrainingSetup.defaults().withRecompute(Recompute.FULL).withBatch(1, 8192, 1);

        TrainingTime t = time(s);

        // 6N + 12 L h q t, recomputation not counted (the golden test derives the same number from torchtitan)
        assertClose(6 * N + 12.0 * 32 * 32 * 128 * 8192, t.modelFlopsPerToken(), "model FLOPs");
        TrainingTime lora = time(s.withMethod(Method.LORA));
        double a = ModelShapes.of(LLAMA_8B).adapterParams(16, LoraTargets.ALL_LINEAR);
        assertClose(4 * N + 6 * a + 12.0 * 32 * 32 * 128 * 8192, lora.modelFlopsPerToken(), "LoRA model FLOPs");
    }

    @Test
    void should_split_the_flops_and_the_weight_reads_over_tensor_parallel_ranks() {
        // GIVEN TP2: each rank multiplies half of every matrix
        TrainingSetup tp2 = TrainingSetup.defaults().withParallel(2, 2, 1, 1, 1).withBatch(1, 4096, 1);
        double attention = LLAMA_8B.attentionCost(0, 32).flops(2048);
        double perFlop = 1 / (BF16 * 0.25) - 1 / (BF16 * 0.5);

        double slowMinusFast = time(tp2, EFF.withGemm(0.25)).computeSeconds() - time(tp2, EFF).computeSeconds();

        assertClose(4096 * (6 * N + 3 * attention) / 2 * perFlop, slowMinusFast, "half the FLOPs per rank");
        // a weight-bound micro-batch reads half the weights: ceil(P / 2) x 2 B, three times
        TrainingSetup small = TrainingSetup.defaults().withParallel(2, 2, 1, 1, 1).withBatch(1, 8, 1);
        TrainingTime t = time(small);
        TrainingTime t8 = time(small, new TrainingEfficiency(0.5, 0.8, 8, 0.5));
        double traffic = t8.computeSeconds() - t.computeSeconds();
        double logits = 8 * Math.ceil(128_256 / 2.0) * 10 / BW;
        double attn = 8 * LLAMA_8B.attentionCost(0, 32).flops(4) * 3 / 2 / (BF16 * 0.5);
        assertClose(Math.ceil(PARAMS / 2.0) * 2 * 3 / BW + attn + traffic + logits, t.computeSeconds(), "weight-bound at TP2");
    }

    /** Bytes per token the layers save with fused attention, nothing recomputed, on one rank of {@code tp}. */
    private static double saved(int tp, boolean compile) {
        double sum = 0;
        for (dev.headroom.core.model.Layer l : LLAMA_8B.spec().layers()) {
            sum += LayerActivations.of(l, 4096, true, false, compile).none(tp, tp > 1, 0);
        }
        return sum;
    }

    @Test
    void should_move_a_multiple_of_the_saved_activations_and_the_adapters_inputs_and_outputs() {
        // GIVEN LoRA on every linear layer, compiled (traffic x 0.5), 2,048 tokens; the traffic multiple goes 4 -> 8
        TrainingSetup s = TrainingSetup.defaults().withMethod(Method.LORA).withKernels(true, true, false, false).withBatch(1, 2048, 1);
        TrainingEfficiency e4 = new TrainingEfficiency(0.5, 0.8, 4, 0.5);

        double delta = time(s, e4.withTraffic(8)).computeSeconds() - time(s, e4).computeSeconds();

        // THEN each adapter reads its input and writes its output in 16 bits: 2 x (in + out) per matrix per token
        double adapters = 32 * 2.0 * IN_PLUS_OUT;
        assertClose(2048 * (saved(1, true) + adapters) * 4 * 0.5 / BW, delta, "traffic");

        // pipeline and context parallelism divide the tokens a rank moves
        TrainingSetup pp2 = TrainingSetup.defaults().withParallel(2, 1, 2, 1, 1).withBatch(1, 2048, 1);
        double pp = time(pp2, e4.withTraffic(8)).computeSeconds() - time(pp2, e4).computeSeconds();
        assertClose(2048 / 2.0 * saved(1, false) * 4 / BW, pp, "traffic per stage");
        TrainingSetup cp2 = TrainingSetup.defaults().withParallel(2, 1, 1, 2, 1).withBatch(1, 2048, 1);
        double cp = time(cp2, e4.withTraffic(8)).computeSeconds() - time(cp2, e4).computeSeconds();
        assertClose(2048 / 2.0 * saved(1, false) * 4 / BW, cp, "traffic per context rank");
    }

    private static final long IN_PLUS_OUT = (4096 + 4096) + 2 * (4096 + 1024) + (4096 + 4096) + 2 * (4096 + 14336) + (14336 + 4096);

    @Test
    void should_unpack_qloras_nf4_weights_before_each_use() {
        // GIVEN QLoRA against LoRA at the same shapes: only the NF4 unpacking differs
        TrainingSetup lora = TrainingSetup.defaults().withMethod(Method.LORA).withBatch(1, 1024, 2);
        TrainingSetup qlora = lora.withMethod(Method.QLORA);
        double linear = PARAMS - 2 * 128_256.0 * 4096 - (32 * 2 + 1) * 4096.0;
        double perUse = linear * (dev.headroom.core.precision.Precision.NF4.bitsPerValue() / 8 + 4) / BW;

        double none = time(qlora).computeSeconds() - time(lora).computeSeconds();
        double full = time(qlora.withRecompute(Recompute.FULL)).computeSeconds() - time(lora.withRecompute(Recompute.FULL)).computeSeconds();

        // THEN read the NF4 block, write and read 16 bits, once per forward and once for the backward, per micro-batch
        assertClose(2 * 2 * perUse, none, "2 micro-batches x (forward + backward)");
        assertClose(2 * 3 * perUse, full, "2 micro-batches x (2 forwards + backward)");
    }

    @Test
    void should_keep_a_tensor_parallel_ring_inside_a_full_node_on_nvlink() {
        TrainingSetup tp8 = TrainingSetup.defaults().withParallel(8, 8, 1, 1, 1).withBatch(1, 2048, 1);
        double bytes = 2048.0 * 4096 * 2;
        assertClose(128 * (2.0 * 7 / 8) * bytes / NVLINK, time(tp8).tensorParallelSeconds(), "TP8 on one node");
    }

    @Test
    void should_reduce_lora_gradients_only_over_a_slow_network() {
        // GIVEN LoRA on 16 GPUs of two nodes over a 1 MB/s network: the adapters' fp32 gradients cross it
        TrainingSetup s = TrainingSetup.defaults().withMethod(Method.LORA).withParallel(16, 1, 1, 1, 1).withBatch(1, 1024, 1)
                .withInterNodeBandwidth(1e6);
        TrainingTime t = time(s);
        double adapters = ModelShapes.of(LLAMA_8B).adapterParams(16, LoraTargets.ALL_LINEAR);

        assertClose(2.0 * 15 / 16 * 4 * adapters / (8 * 1e6) - t.computeSeconds() * 2 / 3, t.dataParallelSeconds(), "LoRA reduce");
    }

    @Test
    void should_gather_nf4_blocks_under_zero_3_and_reduce_across_nodes_for_hybrid_shards() {
        // GIVEN QLoRA under ZeRO-3 on 8 GPUs, 64-token micro-batches: NF4 blocks are gathered (4.5 bits per parameter)
        TrainingSetup s = TrainingSetup.defaults().withMethod(Method.QLORA).withSharding(Sharding.ZERO_3).withParallel(8, 1, 1, 1, 1)
                .withBatch(1, 64, 1);
        TrainingTime t = time(s);
        double adapters = ModelShapes.of(LLAMA_8B).adapterParams(16, LoraTargets.ALL_LINEAR);
        double gathers = 2.0 * 7 / 8 * (dev.headroom.core.precision.Precision.NF4.bitsPerValue() / 8) * PARAMS / NVLINK;
        double scatter = 7.0 / 8 * Math.ceil(adapters) * 2 / NVLINK;
        assertClose(Math.max(0, gathers + scatter - t.computeSeconds()), t.dataParallelSeconds(), "QLoRA ZeRO-3");

        // hybrid shards of 8 on 16 GPUs, the replicas reducing over a 1 GB/s network
        TrainingSetup hybrid = TrainingSetup.defaults().withSharding(Sharding.FSDP_HYBRID).withParallel(16, 1, 1, 1, 1).withBatch(1, 64, 1)
                .withInterNodeBandwidth(1e9);
        TrainingTime h = time(hybrid);
        double grads = 4.0 * PARAMS;
        double inNode = Math.max(0, 2.0 * 7 / 8 * 2.0 * PARAMS / NVLINK + 7.0 / 8 * grads / NVLINK - h.computeSeconds());
        double across = 2.0 * 1 / 2 * grads / 8 / (8 * 1e9) - h.computeSeconds() * 2 / 3;
        assertClose(inNode + across, h.dataParallelSeconds(), "hybrid");
    }

    @Test
    void should_page_spilled_optimizer_states_over_pcie_both_ways() {
        // GIVEN pure bf16 with paged AdamW: what does not fit on the GPU lives on the host and moves each step
        TrainingSetup s = TrainingSetup.defaults().withFramework(Framework.PURE_BF16).withOptimizer(Optimizer.PAGED_ADAMW);
        TrainingMemory m = TrainingModel.memory(LLAMA_8B, H100, s);
        TrainingTime t = TrainingModel.time(LLAMA_8B, H100, s, EFF, m);

        assertClose(2.0 * m.hostBytes() / 32e9, t.offloadSeconds(), "paged states");
        // with TP2 each rank offloads its half of the trainable parameters' optimizer traffic
        TrainingSetup tp2 = TrainingSetup.defaults().withSharding(Sharding.ZERO_2).withOffload(Offload.OPTIMIZER).withParallel(2, 2, 1, 1, 1);
        assertClose(PARAMS / 2 * 4.0 / 32e9, time(tp2).offloadSeconds(), "optimizer offload at TP2");
    }

    @Test
    void should_read_deepspeeds_master_weights_in_the_optimizer_step() {
        TrainingSetup s = TrainingSetup.defaults().withSharding(Sharding.ZERO_1).withParallel(8, 1, 1, 1, 1);
        TrainingMemory m = TrainingModel.memory(LLAMA_8B, H100, s);
        TrainingTime t = TrainingModel.time(LLAMA_8B, H100, s, EFF, m);

        assertTrue(m.master().bytes() > 0);
        assertClose(2.0 * (m.weights().bytes() + m.master().bytes() + m.gradients().bytes() + m.optimizer().bytes()) / BW,
                t.optimizerSeconds(), "weights, master, gradients, states");
    }

    /** Used only to check that the spec the tests rely on is Llama-3.1-8B's. */
    @Test
    void should_use_llama_8b_shapes() {
        ModelSpec m = LLAMA_8B.spec();
        assertEquals(4096, m.hiddenSize());
        assertEquals(32, m.layerCount());
        assertEquals(128_256, m.vocabSize());
        Layer first = m.layers().get(0);
        assertEquals(0, first.mixer().window());
    }
}
