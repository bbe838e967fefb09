package dev.headroom.core.memory;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MODEL.md "Weights": bytes = Σ tensors params x bits / 8, with the quantizers' real mix of formats. */
class MemoryModel_weightsTest {
    private static final Workload SHORT = Workload.of(1, 128, 128);

    private static MemoryEstimate estimate(String model, Deployment d) {
        return MemoryModel.estimate(Catalog.profile(model), d, SHORT);
    }

    private static Deployment h100() {
        return Deployment.on(Catalog.gpu("h100-sxm"));
    }

    @ParameterizedTest(name = "{0}: {1} GiB")
    @CsvSource({
            // validation/memory.csv M20 (github:ggml-org/llama.cpp/pull/4766): llama-7B file sizes, 6.74B params.
            // Tolerance ±1% (validation/README.md, weight bytes). LLaMA-1 7B has the shapes of the catalog's llama-2-7b.
            "f16,  12.55",
            "q8_0,  6.67",
            "q4_0,  3.56",
    })
    void should_match_llama_cpp_file_sizes(String dtype, double gib) {
        MemoryEstimate e = estimate("llama-2-7b", h100().withEngine(LlamaCpp.defaults()).withWeights(Precision.parse(dtype, "weights")));

        double predicted = Bytes.of(e.weightsBytes()).gib();

        assertEquals(gib, predicted, 0.01 * gib, dtype);
    }

    @Test
    void should_count_the_6_74b_params_behind_the_llama_cpp_files() {
        // validation/memory.csv M20 note: "6.74B params"
        assertEquals(6.74e9, Catalog.profile("llama-2-7b").params(), 0.005e9);
    }

    @Test
    void should_weigh_a_16_bit_checkpoint_at_two_bytes_per_parameter() {
        // MODEL.md: Llama-3.1-8B 8,030,261,248 parameters x 2 bytes
        MemoryEstimate e = estimate("llama-3.1-8b", h100().withEngine(Transformers.defaults()));
        assertEquals(2L * 8_030_261_248L, e.weightsBytes());
        assertEquals(2L * 8_030_261_248L, e.weightsBytesPerGpu(), "one GPU holds all of it; the static engine adds nothing");
    }

    @Test
    void should_match_vllms_worked_split_for_llama_3_8b_weights() {
        // MODEL.md "What engines actually reserve" / validation M01: weights 14.96 GiB on one H100, ±1%.
        MemoryEstimate e = estimate("llama-3-8b", h100());
        assertEquals(14.96, Bytes.of(e.weightsBytesPerGpu()).gib(), 0.01 * 14.96);
    }

    @Test
    void should_keep_gpt_oss_attention_in_bf16_and_experts_in_mxfp4() {
        // GIVEN gpt-oss-20b, whose quantization_config is mxfp4 with modules_to_not_convert
        //       [model.layers.*.self_attn, model.layers.*.mlp.router, model.embed_tokens, lm_head]
        ModelSpec m = Catalog.model("gpt-oss-20b");
        assertEquals(Precision.MXFP4, m.defaultWeights());

        // WHEN it is loaded in its own format
        MemoryEstimate e = MemoryModel.estimate(Catalog.profile(m.id()), h100(), SHORT);

        // THEN only the expert weight matrices are MXFP4 (17 bytes per 32 values); everything else is 2 bytes
        long expected = 0;
        long expertParams = 0;
        for (Tensor t : Catalog.profile(m.id()).tensors()) {
            boolean expertMatrix = t.name().endsWith(".mlp.experts");
            expected += expertMatrix ? (t.params() + 31) / 32 * 17 : 2 * t.params();
            expertParams += expertMatrix ? t.params() : 0;
        }
        assertEquals(expected, e.weightsBytes());
        assertTrue(expertParams > 0.9 * Catalog.profile(m.id()).params(), "the experts are most of gpt-oss");
    }

    @Test
    void should_apply_modules_to_not_convert_only_in_the_checkpoints_own_format() {
        ModelSpec m = Catalog.model("gpt-oss-20b");
        Tensor q = named(m, "model.layers.0.self_attn.q_proj");
        Tensor router = named(m, "model.layers.0.mlp.router");
        Tensor experts = named(m, "model.layers.0.mlp.experts");
        Tensor norm = named(m, "model.layers.0.norms");

        WeightPolicy own = new WeightPolicy(m, Precision.MXFP4);
        assertEquals(Precision.BF16, own.precisionOf(q));
        assertEquals(Precision.BF16, own.precisionOf(router));
        assertEquals(Precision.MXFP4, own.precisionOf(experts));
        assertEquals(Precision.BF16, own.precisionOf(norm));

        // A different 4-bit format is the user's choice: attention goes 4-bit; norms and routers stay 16-bit.
        WeightPolicy int4 = new WeightPolicy(m, Precision.INT4);
        assertEquals(Precision.INT4, int4.precisionOf(q));
        assertEquals(Precision.INT4, int4.precisionOf(experts));
        assertEquals(Precision.BF16, int4.precisionOf(router));
        assertEquals(Precision.BF16, int4.precisionOf(norm));
    }

    @Test
    void should_match_module_patterns_by_path_segment() {
        assertTrue(CheckpointQuantization.matches("model.layers.*.self_attn", "model.layers.17.self_attn.o_proj"));
        assertTrue(CheckpointQuantization.matches("lm_head", "lm_head"));
        assertTrue(!CheckpointQuantization.matches("model.layers.*.self_attn", "model.layers.17.mlp.experts"));
        assertTrue(!CheckpointQuantization.matches("model.layers.1.mlp", "model.layers.12.mlp.up_proj"), "1 is not 12");
        assertTrue(!CheckpointQuantization.matches("model.layers.*.self_attn.q_proj", "model.layers.1.self_attn"));
    }

    @Test
    void should_keep_fp8_llama_405b_attention_and_outer_mlps_in_bf16() {
        // Meta's FP8 Llama-3.1-405B (MODEL.md "Weights"): attention and embeddings stay BF16; MLPs of layers 1-124 are FP8.
        ModelSpec m = Catalog.model("llama-3.1-405b-instruct-fp8");
        WeightPolicy own = new WeightPolicy(m, m.defaultWeights());
        assertEquals(Precision.FP8, m.defaultWeights());
        assertEquals(Precision.BF16, own.precisionOf(named(m, "model.layers.60.self_attn.q_proj")));
        assertEquals(Precision.BF16, own.precisionOf(named(m, "model.layers.0.mlp.up_proj")));
        assertEquals(Precision.BF16, own.precisionOf(named(m, "model.layers.125.mlp.down_proj")));
        assertEquals(Precision.FP8, own.precisionOf(named(m, "model.layers.60.mlp.up_proj")));
        assertEquals(Precision.BF16, own.precisionOf(named(m, "model.embed_tokens")));
        assertEquals(Precision.BF16, own.precisionOf(named(m, "lm_head")));
    }

    @Test
    void should_load_fp8_llama_405b_above_one_byte_per_param() {
        // MODEL.md "Weights": at TP8 it loads at 57.75 GiB per GPU, "not the 47.2 GiB that 1 byte/param gives".
        MemoryEstimate e = estimate("llama-3.1-405b-instruct-fp8", h100().withGpus(8).withTp(8));
        double perGpu = Bytes.of(e.weightsBytesPerGpu()).gib();
        assertEquals(47.2, 405_853_388_800.0 / 8 / Bytes.GIB, 0.05, "the naive figure MODEL.md quotes");
        assertTrue(perGpu > 47.2 * 1.15, "BF16 attention and outer MLPs add > 15%: " + perGpu);
    }

    @Test
    void should_load_fp8_llama_405b_at_tp8_as_its_tensors_add_up() {
        // Golden derived by hand from catalog/models/llama-3.1-405b-instruct-fp8.json (126 layers, hidden 16,384, 8 KV heads
        // x 128, FFN 53,248, vocab 128,256, 131,072 positions) and MODEL.md's rules, per GPU at TP8, in bytes:
        //   attention, BF16 in every layer:     126 x (2 x 16384^2 + 2 x 16384 x 1024) / 8 x 2 = 17,968,398,336
        //   MLP, FP8 in layers 1-124:           124 x 3 x 16384 x 53248 / 8                    = 40,567,308,288
        //   MLP, BF16 in layers 0 and 125:        2 x 3 x 16384 x 53248 / 8 x 2                =  1,308,622,848
        //   embeddings and lm_head, BF16:         2 x 128256 x 16384 / 8 x 2                   =  1,050,673,152
        //   norms, BF16, on every GPU:          (126 x 2 + 1) x 16384 x 2                      =      8,290,304
        //   vLLM's rotary cos/sin table:        131072 x 128 x 2                               =     33,554,432
        MemoryEstimate e = estimate("llama-3.1-405b-instruct-fp8", h100().withGpus(8).withTp(8));
        assertEquals(60_936_847_360L, e.weightsBytesPerGpu());
    }

    @Test
    void should_stay_within_2_percent_of_the_57_75_gib_vllm_logs_for_fp8_llama_405b_at_tp8() {
        // vLLM 0.5.3 logs "Loading model weights took 57.7520 GB" (GiB) per GPU at TP8 (validation memory.csv M10, source
        // github:vllm-project/vllm/issues/6746; MODEL.md "Weights"). The tensors above add up to 56.75 GiB: 1.00 GiB (-1.7%)
        // less, which no tensor, FP8 scale (a few MiB) or table accounts for. That is outside the ±1% weights tolerance,
        // so the gap is stated here rather than fitted away; ±2% still fails on any change to how these weights are counted.
        MemoryEstimate e = estimate("llama-3.1-405b-instruct-fp8", h100().withGpus(8).withTp(8));
        assertEquals(57.752, Bytes.of(e.weightsBytesPerGpu()).gib(), 0.02 * 57.752);
    }

    @Test
    void should_keep_gguf_output_tensor_at_q6_k_except_for_q8_0_files() {
        ModelSpec m = Catalog.model("llama-2-7b");
        Tensor lmHead = named(m, "lm_head");
        Tensor embed = named(m, "model.embed_tokens");
        assertEquals(Precision.Q6_K, new WeightPolicy(m, Precision.Q4_0).precisionOf(lmHead));
        assertEquals(Precision.Q4_0, new WeightPolicy(m, Precision.Q4_0).precisionOf(embed));
        assertEquals(Precision.Q8_0, new WeightPolicy(m, Precision.Q8_0).precisionOf(lmHead));
    }

    @Test
    void should_keep_embeddings_and_lm_head_in_16_bits_for_fp8_and_int4() {
        ModelSpec m = Catalog.model("llama-3.1-8b");
        for (Precision p : new Precision[] {Precision.FP8, Precision.INT4, Precision.INT8, Precision.NF4}) {
            WeightPolicy policy = new WeightPolicy(m, p);
            assertEquals(Precision.BF16, policy.precisionOf(named(m, "model.embed_tokens")), p.name());
            assertEquals(Precision.BF16, policy.precisionOf(named(m, "lm_head")), p.name());
            assertEquals(p, policy.precisionOf(named(m, "model.layers.3.mlp.up_proj")), p.name());
        }
    }

    @Test
    void should_change_weight_bytes_by_the_int4_group_overhead() {
        // int4 with group g: 4 + 20/g bits (fp16 scale, 4-bit zero). From g128 (4.15625) to g32 (4.625) the quantized
        // tensors grow by 0.46875 bits each.
        ModelSpec m = Catalog.model("llama-3.1-8b");
        long quantized = 0;
        for (Tensor t : Catalog.profile(m.id()).tensors()) {
            if (t.role() == TensorRole.ATTENTION || t.role() == TensorRole.MLP) {
                quantized += t.params();
            }
        }
        long g128 = estimate("llama-3.1-8b", h100().withWeights(Precision.int4(128)).withEngine(Transformers.defaults())).weightsBytes();
        long g32 = estimate("llama-3.1-8b", h100().withWeights(Precision.int4(32)).withEngine(Transformers.defaults())).weightsBytes();

        assertEquals(quantized * 15 / 256, g32 - g128); // 0.46875 bits = 15/256 bytes per weight; all dims divide 256
    }

    @Test
    void should_add_gptq_group_indices_per_input_channel() {
        // auto_gptq qlinear_cuda_old.py@v0.7.1: g_idx int32 [in_features] per quantized matrix, on top of int4's packing
        ModelSpec m = Catalog.model("llama-3.1-8b");
        long channels = 0;
        for (Tensor t : Catalog.profile(m.id()).tensors()) {
            if (t.role() == TensorRole.ATTENTION || t.role() == TensorRole.MLP) {
                channels += t.name().endsWith("down_proj") ? 14_336 : 4096; // llama-3.1-8b: hidden 4096, intermediate 14336
            }
        }
        long awq = estimate("llama-3.1-8b", h100().withWeights(Precision.INT4).withEngine(Transformers.defaults())).weightsBytes();
        long gptq = estimate("llama-3.1-8b", h100().withWeights(Precision.GPTQ).withEngine(Transformers.defaults())).weightsBytes();

        assertEquals(4 * channels, gptq - awq);
    }

    @Test
    void should_add_a_row_scale_per_output_row_for_llm_int8() {
        // bitsandbytes LLM.int8(): int8 weights plus SCB, one fp32 per output row, of every quantized linear layer
        ModelSpec m = Catalog.model("llama-3.1-8b");
        long rows = 0;
        long quantized = 0;
        for (Tensor t : Catalog.profile(m.id()).tensors()) {
            if (t.role() == TensorRole.ATTENTION || t.role() == TensorRole.MLP) {
                quantized += t.params();
                rows += t.params() / (t.name().endsWith("down_proj") ? 14_336 : 4096);
            }
        }
        MemoryEstimate e = estimate("llama-3.1-8b", h100().withWeights(Precision.BNB_INT8).withEngine(Transformers.defaults()));
        long sixteenBit = e.weightsBytes() - quantized - 4 * rows;
        assertEquals(2L * (2 * 128_256L * 4096 + 32 * 2 * 4096 + 4096), sixteenBit, "embeddings, lm_head and norms stay 16-bit");
    }

    private static Tensor named(ModelSpec m, String name) {
        return Catalog.profile(m.id()).tensors().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(m.id() + " has no tensor " + name));
    }
}
