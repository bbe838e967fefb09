package dev.headroom.core.engine;

import static dev.headroom.core.base.Bytes.GIB;
import static dev.headroom.core.base.Bytes.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.headroom.core.Ranks;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.model.Tensor;
import dev.headroom.core.model.TensorRole;
import dev.headroom.core.precision.ComputeType;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Workload;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * llama.cpp's layer offload (llama-model.cpp load_tensors: i_gpu_start = n_layer - n_gpu_layers; the output layer goes
 * to the GPU only when n_gpu_layers exceeds n_layer), its sliding-window cells per stream (llama-kv-cache-iswa.cpp), the
 * matmul path ggml's CUDA backend takes, and its knobs.
 */
class LlamaCpp_offloadTest {
    private static final Workload ANY = Workload.of(1, 128, 128);
    private static final ModelProfile LLAMA = Catalog.profile("llama-3.1-8b");

    private static long onGpu(LlamaCpp e, Tensor t) {
        return e.gpuWeightBytes(t, Precision.BF16, t.params(), new Engine.WeightLoad(LLAMA.spec(), Catalog.gpu("rtx-4090"), 1, 1));
    }

    private static Tensor first(int layer, TensorRole role) {
        return LLAMA.tensors().stream().filter(t -> t.layer() == layer && t.role() == role).findFirst().orElseThrow();
    }

    @Test
    void should_keep_the_first_layers_on_the_cpu_below_n_gpu_layers() {
        // GIVEN 32 layers and n_gpu_layers 31: layer 0 stays on the CPU, layers 1 - 31 are offloaded
        LlamaCpp e = (LlamaCpp) LlamaCpp.defaults().with("n_gpu_layers", "31");
        Tensor layer0 = first(0, TensorRole.MLP);
        Tensor layer1 = first(1, TensorRole.MLP);

        assertEquals(0, onGpu(e, layer0));
        assertEquals(Precision.BF16.bytesFor(layer1.params()), onGpu(e, layer1));
    }

    @Test
    void should_offload_the_output_layer_only_beyond_the_layer_count() {
        Tensor lmHead = LLAMA.tensors().stream().filter(t -> t.role() == TensorRole.LM_HEAD).findFirst().orElseThrow();

        // n_gpu_layers 32 = n_layer: every decoder layer on the GPU, the output layer not; 33 (or "all") offloads it too
        assertEquals(0, onGpu((LlamaCpp) LlamaCpp.defaults().with("n_gpu_layers", "32"), lmHead));
        assertEquals(Precision.BF16.bytesFor(lmHead.params()), onGpu((LlamaCpp) LlamaCpp.defaults().with("n_gpu_layers", "33"), lmHead));
        assertEquals(Precision.BF16.bytesFor(lmHead.params()), onGpu(LlamaCpp.defaults(), lmHead));
        assertEquals(Precision.BF16.bytesFor(first(0, TensorRole.MLP).params()),
                onGpu((LlamaCpp) LlamaCpp.defaults().with("n_gpu_layers", "32"), first(0, TensorRole.MLP)));
    }

    @Test
    void should_accept_zero_gpu_layers_for_a_cpu_only_run() {
        LlamaCpp e = (LlamaCpp) LlamaCpp.defaults().with("n_gpu_layers", "0");

        assertEquals(0, e.nGpuLayers());
        assertEquals(0, onGpu(e, first(31, TensorRole.MLP)), "no decoder layer is offloaded");
    }

    @Test
    void should_cap_a_streams_sliding_cells_at_the_streams_own_cells() {
        // GIVEN build b7000 with a stream per slot: n_ctx 16,384 over 4 slots = 4,096 cells per stream
        LlamaCpp e = (LlamaCpp) LlamaCpp.at("b7000").withNCtx(16_384).withNParallel(4).with("kv_unified", "false");

        // THEN a 512-token window keeps pad(512 + n_ubatch 512, 256) = 1,024 cells per stream; an 8,192-token window is
        // held to the stream's 4,096
        assertEquals(16_384, e.cells());
        assertEquals(4 * 1024, e.swaCells(512));
        assertEquals(4 * 4096, e.swaCells(8192));
    }

    @Test
    void should_start_when_weights_compute_and_cache_fill_the_gpu_exactly() {
        // GIVEN 4,096 cells of 128 KiB (512 MiB), 4 GiB of weights, no compute buffer, the context: a GPU of exactly that
        long visible = 4 * GIB + 512 * MIB + DeviceMemory.CUDA_CONTEXT_BYTES;
        RankFacts fits = Ranks.rank(visible, 4 * GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1);
        RankFacts oneByteShort = Ranks.rank(visible - 1, 4 * GIB, 131_072, 0, new Ranks.FixedActivation(0), 0, 1);

        assertNull(LlamaCpp.defaults().reserve(fits, Ranks.llama8b(), ANY).refusal());
        assertEquals(1, LlamaCpp.defaults().reserve(oneByteShort, Ranks.llama8b(), ANY).shortfallBytes());
    }

    @Test
    void should_multiply_16_bit_and_quantized_weights_with_fp16_accumulation_on_nvidia() {
        // GeForce cards list an fp16-accumulate rate (RTX 4090: 330.3 TFLOP/s, twice its fp32-accumulate fp16)
        var rtx = Catalog.gpu("rtx-4090");
        LlamaCpp e = LlamaCpp.defaults();

        assertEquals(ComputeType.FP16_ACC, e.computePath(rtx, Precision.BF16));
        assertEquals(ComputeType.FP16_ACC, e.computePath(rtx, Precision.FP16));
        assertEquals(ComputeType.FP16_ACC, e.computePath(rtx, Precision.Q4_K), "MMQ kernels, modelled on the same path");
        // fp8 weights are not weight-only nor 16-bit: the format's own path
        assertEquals(Vllm.defaults().computePath(rtx, Precision.FP8), e.computePath(rtx, Precision.FP8));
        // other vendors take the format's own path
        var mi300 = Catalog.gpu("mi300x");
        assertEquals(Vllm.defaults().computePath(mi300, Precision.BF16), e.computePath(mi300, Precision.BF16));
    }

    @Test
    void should_show_its_knobs_as_set_or_default() {
        Map<String, String> v = LlamaCpp.defaults().withNCtx(8192).with("kv_unified", "false").settings().stream()
                .collect(Collectors.toMap(Engine.Setting::name, Engine.Setting::value));

        assertEquals("8192", v.get("n_ctx"));
        assertEquals("false", v.get("kv_unified"));
        assertEquals("all", v.get("n_gpu_layers"));
        assertEquals("default", LlamaCpp.defaults().settings().stream().filter(s -> s.name().equals("kv_unified")).findFirst()
                .orElseThrow().value());
        assertEquals(8192, LlamaCpp.defaults().withNCtx(8192).maxLength());
    }
}
