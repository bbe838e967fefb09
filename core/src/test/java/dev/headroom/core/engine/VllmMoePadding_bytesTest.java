package dev.headroom.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.model.Tensor;
import dev.headroom.core.model.TensorRole;
import dev.headroom.core.precision.Precision;
import org.junit.jupiter.api.Test;

/**
 * vLLM's MXFP4 MoE weights as its kernels allocate them (mxfp4.py Mxfp4MoEMethod.create_weights): before Blackwell
 * (Marlin) each rank's expert intermediate size is rounded up to 128 and the hidden size to 256; on Blackwell
 * (FlashInfer) both to 256. gpt-oss-120b: 128 experts, hidden 2,880, expert intermediate 2,880, gated (w13 = 2 x
 * intermediate x hidden, w2 = hidden x intermediate), so its padded hidden size is 3,072 everywhere.
 */
class VllmMoePadding_bytesTest {
    private static final ModelProfile GPT_OSS = Catalog.profile("gpt-oss-120b");
    private static final ModelSpec MODEL = GPT_OSS.spec();
    private static final Gpu HOPPER = Catalog.gpu("h100-sxm");
    private static final Gpu BLACKWELL = Catalog.gpu("b200");

    private static Tensor layer0(String suffix) {
        return GPT_OSS.tensors().stream().filter(t -> t.layer() == 0 && t.name().endsWith(suffix)).findFirst().orElseThrow();
    }

    private static long experts(Gpu gpu, int tp, int ep) {
        Tensor t = layer0("experts");
        return VllmMoePadding.bytes(t, Precision.MXFP4, t.paramsPerRank(tp), new Engine.WeightLoad(MODEL, gpu, tp, ep));
    }

    @Test
    void should_round_the_experts_intermediate_size_to_128_before_blackwell_and_to_256_on_it() {
        // TP1: 2,880 -> 2,944 (Marlin, 23 x 128) or 3,072 (FlashInfer, 12 x 256); 128 experts x 3 x I x 3,072 values
        assertEquals(Precision.MXFP4.bytesFor(128L * 3 * 2944 * 3072), experts(HOPPER, 1, 1));
        assertEquals(Precision.MXFP4.bytesFor(128L * 3 * 3072 * 3072), experts(BLACKWELL, 1, 1));
    }

    @Test
    void should_pad_each_ranks_share_of_the_intermediate_size_under_tensor_parallelism() {
        // TP8: ceil(2,880 / 8) = 360 -> 384 (3 x 128) on Hopper, 512 (2 x 256) on Blackwell; every rank holds all 128 experts
        assertEquals(Precision.MXFP4.bytesFor(128L * 3 * 384 * 3072), experts(HOPPER, 8, 1));
        assertEquals(Precision.MXFP4.bytesFor(128L * 3 * 512 * 3072), experts(BLACKWELL, 8, 1));
        // TP3: ceil(2,880 / 3) = 960 = 7.5 x 128 -> 1,024
        assertEquals(Precision.MXFP4.bytesFor(128L * 3 * 1024 * 3072), experts(HOPPER, 3, 1));
    }

    @Test
    void should_give_each_expert_parallel_rank_whole_experts_at_full_width() {
        // EP4: 128 / 4 = 32 experts at the full 2,944; EP3: the ranks hold ceil(128 / 3) = 43
        assertEquals(Precision.MXFP4.bytesFor(32L * 3 * 2944 * 3072), experts(HOPPER, 4, 4));
        assertEquals(Precision.MXFP4.bytesFor(43L * 3 * 2944 * 3072), experts(HOPPER, 3, 3));
    }

    @Test
    void should_pad_the_expert_biases_of_an_mxfp4_checkpoint_in_bf16() {
        // w13_bias (2 x 2,944) and w2_bias (3,072) per expert: 128 x 8,960 bf16 values
        Tensor bias = layer0("experts.bias");

        long bytes = VllmMoePadding.bytes(bias, Precision.BF16, bias.paramsPerRank(1), new Engine.WeightLoad(MODEL, HOPPER, 1, 1));

        assertEquals(Precision.BF16.bytesFor(128L * (2 * 2944 + 3072)), bytes);
    }

    @Test
    void should_leave_other_tensors_and_other_formats_as_they_are() {
        Engine.WeightLoad load = new Engine.WeightLoad(MODEL, HOPPER, 1, 1);
        Tensor experts = layer0("experts");
        Tensor router = GPT_OSS.tensors().stream().filter(t -> t.layer() == 0 && t.role() == TensorRole.ROUTER).findFirst().orElseThrow();

        // experts served in bf16 use unpadded kernels; the router is not an expert
        assertEquals(Precision.BF16.bytesFor(experts.params()), VllmMoePadding.bytes(experts, Precision.BF16, experts.params(), load));
        assertEquals(Precision.BF16.bytesFor(router.params()), VllmMoePadding.bytes(router, Precision.BF16, router.params(), load));
    }
}
