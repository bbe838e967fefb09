package dev.headroom.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.Provenance;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.Attention;
import dev.headroom.core.model.DenseFfn;
import dev.headroom.core.model.Layer;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.model.Tensor;
import dev.headroom.core.model.TensorRole;
import dev.headroom.core.precision.Precision;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Published formulas and figures, each with its source beside the assertion. */
class TrainingModel_goldenTest {
    private static final ModelProfile LLAMA_8B = Catalog.profile("llama-3.1-8b");
    private static final Gpu H100 = Catalog.gpu("h100-sxm");

    /** GPT 22B of Korthikanti et al. (arXiv 2205.05198, Table 3): h 6144, 48 layers, 64 heads, vocabulary 51200. */
    private static ModelSpec gpt22b() {
        Attention mha = new Attention(64, 64, 96, 96, true, true, dev.headroom.core.model.QkNorm.NONE, false, false, 0);
        Layer layer = new Layer(mha, new DenseFfn(4 * 6144, false, true), 4L * 6144);
        return new ModelSpec("gpt-22b", "megatron/gpt-22b", List.of(), "gpt", "gpt", 6144, 51200, true, 2048,
                Collections.nCopies(48, layer), 2L * 6144, false, 0, Precision.FP16, null, null, new Provenance("arXiv 2205.05198", "test"));
    }

    @Test
    void should_save_sbh_times_34_plus_5as_over_h_per_gpt_layer_without_recompute() {
        // Korthikanti et al. section 4.1, eq. (1): sbh(34 + 5as/h) bytes per layer; 10 outside TP regions, 24 inside, 5a per
        // attended token (softmax output, its dropout mask and output). Eager attention with dropout, as the paper's GPT.
        Layer layer = gpt22b().layers().get(0);
        LayerActivations a = LayerActivations.of(layer, 6144, false, true, false);
        long h = 6144;
        int heads = 64;
        double s = 2048;

        assertEquals(10 * h, a.outside());
        assertEquals(24 * h, a.inside());
        assertEquals(5 * heads, a.perAttended());
        assertEquals(h * (34 + 5 * heads * s / h), a.none(1, false, s), 1e-6);
        // Table 2: tensor + sequence parallel sbh(34/t + 5as/ht); selective sbh(10 + 24/t) without SP, 34sbh/t with it; full 2sbh
        int t = 8;
        assertEquals(h * (34.0 / t + 5 * heads * s / (h * t)), a.none(t, true, s), 1e-6);
        assertEquals(h * (10 + 24.0 / t), a.selective(t, false), 1e-6);
        assertEquals(34.0 * h / t, a.selective(t, true), 1e-6);
        assertEquals(2.0 * h, a.full(1, false), 1e-6);
    }

    @Test
    void should_multiply_the_first_stage_by_one_plus_p_minus_one_over_pm_when_interleaved() {
        // Korthikanti et al. section 4.2.3: the first pipeline stage holds L layers' worth, times (1 + (p-1)/(pm)) interleaved.
        ModelSpec m = gpt22b();
        TrainingSetup plain = TrainingSetup.defaults().withKernels(false, false, true, false).withRecompute(Recompute.SELECTIVE)
                .withParallel(32, 8, 4, 1, 1).withBatch(1, 2048, 8);
        TrainingSetup interleaved = plain.withParallel(32, 8, 4, 1, 3);
        ModelShapes shapes = ModelShapes.of(ModelProfile.of(m));

        long a = TrainingModel.activationBytes(shapes, plain, TrainingModel.stage(shapes, plain, 0));
        long b = TrainingModel.activationBytes(shapes, interleaved, TrainingModel.stage(shapes, interleaved, 0));

        // 48/4 = 12 layers x 4 micro-batches in flight = 48 layers of 34sbh/t
        assertEquals(48 * 34.0 * 2048 * 6144 / 8, a, 1);
        assertEquals(a * (1 + 3.0 / (4 * 3)), b, 2);
    }

    @Test
    void should_count_megatrons_model_flops_for_gpt() {
        // Korthikanti et al. (and the validation rows X16): 72 B s L h^2 (1 + s/6h + V/12hL) FLOPs per step of B sequences,
        // i.e. 6 N + 12 L h s per token with N the matrix parameters (tied output projection included). Biases add 6 per bias.
        ModelProfile gpt = ModelProfile.of(gpt22b());
        double h = 6144;
        double L = 48;
        double s = 2048;
        double v = 51200;
        double megatron = 72 * s * L * h * h * (1 + s / (6 * h) + v / (12 * h * L)) / s;

        // Megatron's formula counts the matrices; the 6 FLOPs per bias and norm weight are the difference.
        double vectors = gpt.params() - (L * 12 * h * h + v * h);

        double ours = TrainingModel.modelFlopsPerToken(gpt, ModelShapes.of(gpt), TrainingSetup.defaults().withBatch(1, 2048, 1));

        assertEquals(megatron + 6 * vectors, ours, 1);
        assertEquals(megatron, ours, 2e-4 * megatron);
    }

    @Test
    void should_count_torchtitans_flops_per_token_for_llama() {
        // torchtitan: 6 (N - N_embedding) + 12 L h q t, with h heads of q dims and t the sequence (MODEL.md, "MFU accounting")
        long embedding = 128_256L * 4096;
        double expected = 6.0 * (8_030_261_248L - embedding) + 12.0 * 32 * 32 * 128 * 8192;

        double ours = TrainingModel.modelFlopsPerToken(LLAMA_8B, ModelShapes.of(LLAMA_8B), TrainingSetup.defaults().withBatch(1, 8192, 1));

        assertEquals(expected, ours, 1);
    }

    @Test
    void should_count_lora_adapters_as_rank_times_in_plus_out_per_adapted_matrix() {
        // lit-gpt finetune/lora.py on Llama-2-7B, r = 8 on query and value: 4,194,304 trainable = 32 x 2 x 8 x 8192
        // (validation/found/training.csv PX142); Hu et al. 2021: r (d_in + d_out) per matrix.
        ModelShapes llama2 = ModelShapes.of(Catalog.profile("llama-2-7b"));

        assertEquals(4_194_304L, llama2.adapterParams(8, LoraTargets.parse("q,v", "targets")));
        // Llama-3.1-8B all-linear, r = 16: per layer q (4096+4096), k and v (4096+1024), o (4096+4096), gate and up
        // (4096+14336), down (14336+4096), times 16, times 32 layers
        long perLayer = 16L * ((4096 + 4096) + 2 * (4096 + 1024) + (4096 + 4096) + 3 * (4096 + 14336));
        assertEquals(32 * perLayer, ModelShapes.of(LLAMA_8B).adapterParams(16, LoraTargets.ALL_LINEAR));
    }

    @Test
    void should_count_the_experts_of_a_moe_block_when_their_projections_are_targeted() {
        // Mixtral-8x7B: 8 experts of gate/up/down (4096 x 14336) per layer, 32 layers; LoRA on gate, up, down only
        ModelShapes mixtral = ModelShapes.of(Catalog.profile("mixtral-8x7b"));
        long expected = 32L * 8 * 8 * (3L * (4096 + 14336));

        assertEquals(expected, mixtral.adapterParams(8, LoraTargets.parse("gate,up,down", "targets")));
    }

    @Test
    void should_keep_the_dropped_out_input_and_mask_of_each_adapter_when_lora_dropout_is_on() {
        // PEFT / lit-gpt: lora_B(lora_A(dropout(x))) saves dropout(x) (16-bit) and its mask (1 byte) for each adapted matrix.
        // Llama-2-7B, r 8 on q and v (d_in 4096 each), 32 layers, 2 x 1304 tokens, nothing recomputed.
        ModelProfile llama2 = Catalog.profile("llama-2-7b");
        TrainingSetup lora = TrainingSetup.defaults().withMethod(Method.LORA).withLora(8, 16, LoraTargets.parse("q,v", "t"))
                .withBatch(2, 1304, 1);

        long without = TrainingModel.memory(llama2, H100, lora).activations().bytes();
        long with = TrainingModel.memory(llama2, H100, lora.withLoraDropout(0.05)).activations().bytes();

        assertEquals(2L * 1304 * 32 * 3 * (4096 + 4096), with - without, 2);
    }

    @Test
    void should_keep_sixteen_bytes_per_parameter_for_mixed_precision_adam() {
        // MODEL.md "Training": mixed-precision Adam is 16 B/param; PyTorch AMP keeps fp32 weights (4), fp32 gradients (4),
        // and two fp32 moments (8).
        TrainingMemory m = TrainingModel.memory(LLAMA_8B, H100, TrainingSetup.defaults().withFramework(Framework.TORCH_AMP));
        long p = LLAMA_8B.params();

        assertEquals(4 * p, m.weights().bytes());
        assertEquals(4 * p, m.gradients().bytes());
        assertEquals(8 * p, m.optimizer().bytes(), 8, "one fp32 pair of moments per tensor");
        assertEquals(16 * p, m.modelStatesBytes(), 8);
    }

    @Test
    void should_give_megatrons_six_plus_twelve_over_d_bytes_with_the_distributed_optimizer() {
        // Megatron-LM docs/source/api-guide/dist_optimizer.md: "float16 param, fp32 grads: 18; distributed optim 6 + 12/d"
        int d = 8;
        TrainingMemory m = TrainingModel.memory(LLAMA_8B, H100, TrainingSetup.defaults().withFramework(Framework.MEGATRON)
                .withSharding(Sharding.ZERO_1).withParallel(d, 1, 1, 1, 1));
        double p = LLAMA_8B.params();

        assertEquals(p * (6 + 12.0 / d), m.modelStatesBytes(), 64);
    }

    @Test
    void should_reproduce_deepspeeds_zero2_and_zero3_gpu_figures_term_by_term() {
        // deepspeed/runtime/zero/stage_1_and_2.py and stage3.py (github:deepspeedai/DeepSpeed@edaa72212): since v0.14.3
        // ZeRO-2 is 2P + 18P/N (offload: 2P); ZeRO-3 4 x largest layer + 18P/N (optimizer offload: + 2P/N; both: 4 x largest)
        long p = LLAMA_8B.params();
        long largest = ModelShapes.of(LLAMA_8B).largestModule();
        TrainingSetup base = TrainingSetup.defaults().withFramework(Framework.DEEPSPEED).withParallel(8, 1, 1, 1, 1);
        for (boolean offload : new boolean[] {false, true}) {
            TrainingSetup z2 = base.withSharding(Sharding.ZERO_2).withOffload(offload ? Offload.OPTIMIZER : Offload.NONE);
            long expected = DeepSpeedEstimator.zero2(p, 8, 1, offload, 1.5, DeepSpeedEstimator.Zero2Formula.SINCE_V0_14_3).gpuBytes();
            assertEquals(expected, TrainingModel.memory(LLAMA_8B, H100, z2).modelStatesBytes(), 4, "zero2 offload=" + offload);
        }
        for (Offload o : Offload.values()) {
            TrainingSetup z3 = base.withSharding(Sharding.ZERO_3).withOffload(o);
            long expected = DeepSpeedEstimator.zero3(p, largest, 8, 1, o.optimizer(), o.params(), true, 1.5).gpuBytes();
            assertEquals(expected, TrainingModel.memory(LLAMA_8B, H100, z3).modelStatesBytes(), 4, "zero3 offload=" + o);
        }
    }

    @Test
    void should_print_the_figures_of_deepspeeds_documented_examples() {
        // docs/code-docs/source/memory.rst, t5-3b "cold": total_params=2851e6, largest_layer_params=32e6, 8 GPUs; printed GiB
        double gib = 1L << 30;
        var z2 = DeepSpeedEstimator.zero2(2851e6, 8, 1, false, 1.5, DeepSpeedEstimator.Zero2Formula.BEFORE_V0_14_3);
        var z2offload = DeepSpeedEstimator.zero2(2851e6, 8, 1, true, 1.5, DeepSpeedEstimator.Zero2Formula.BEFORE_V0_14_3);
        var z3 = DeepSpeedEstimator.zero3(2851e6, 32e6, 8, 1, true, false, true, 1.5);

        assertEquals(15.93, z2.gpuBytes() / gib, 0.005);
        assertEquals(127.45, z2.cpuBytes() / gib, 0.005);
        assertEquals(5.31, z2offload.gpuBytes() / gib, 0.005);
        assertEquals(0.78, z3.gpuBytes() / gib, 0.005);
        assertEquals(63.72, z3.cpuBytes() / gib, 0.005);
    }

    @Test
    void should_keep_eight_bit_adam_at_two_bytes_plus_an_fp32_scale_per_block_of_2048() {
        // bitsandbytes/optim/optimizer.py Optimizer2State.init_state: uint8 state1/state2, absmax1/absmax2 fp32 per 2048;
        // tensors under 4096 values keep fp32 states
        assertEquals(2L * (4096 * 4096) + 2L * 4 * (4096 * 4096 / 2048), Optimizer.ADAMW_8BIT.stateBytes(4096, 4096, 4));
        assertEquals(2L * 4 * 4095, Optimizer.ADAMW_8BIT.stateBytes(4095, 1, 4));
        assertEquals(2L * 4 * 10, Optimizer.PAGED_ADAMW.stateBytes(10, 1, 2), "bitsandbytes' 32-bit states are fp32");
        // Adafactor (Shazeer and Stern 2018): a factored second moment, one value per row and per column
        assertEquals(4L * (4096 + 14336), Optimizer.ADAFACTOR.stateBytes(4096, 14336, 4));
        assertEquals(4L * 4096, Optimizer.SGD.stateBytes(4096, 1, 4));
    }

    @Test
    void should_keep_qloras_base_in_nf4_with_embeddings_norms_and_lm_head_in_sixteen_bits() {
        // QLoRA (Dettmers et al. 2023): NF4 with double quantization for the linear layers; bitsandbytes leaves the embedding,
        // the norms and lm_head unquantized
        long nf4 = 0;
        long rest = 0;
        for (Tensor t : LLAMA_8B.tensors()) {
            boolean linear = t.role() == TensorRole.ATTENTION || t.role() == TensorRole.MLP;
            nf4 += linear ? Precision.NF4.bytesFor(t.params()) : 0;
            rest += linear ? 0 : 2 * t.params();
        }
        TrainingMemory m = TrainingModel.memory(LLAMA_8B, H100, TrainingSetup.defaults().withMethod(Method.QLORA));

        long adapters = ModelShapes.of(LLAMA_8B).adapterParams(16, LoraTargets.ALL_LINEAR);
        assertEquals(nf4 + rest + 4 * adapters, m.weights().bytes(), 64, "NF4 base + 16-bit rest + fp32 adapters (torch AMP)");
        assertTrue(Precision.NF4.bitsPerValue() > 4.12 && Precision.NF4.bitsPerValue() < 4.13, "MODEL.md: NF4 ~ 4.13 bits");
    }
}
