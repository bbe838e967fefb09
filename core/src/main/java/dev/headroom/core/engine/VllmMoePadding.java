package dev.headroom.core.engine;

import dev.headroom.core.model.MoeFfn;
import dev.headroom.core.model.Tensor;
import dev.headroom.core.model.TensorRole;
import dev.headroom.core.precision.Precision;

/**
 * vLLM's MXFP4 MoE kernels need aligned expert shapes, so it allocates the routed experts padded
 * (vllm/model_executor/layers/quantization/mxfp4.py Mxfp4MoEMethod.create_weights@007d50058a06dec0f82472d63c819244d460c40d):
 * Marlin (every GPU before Blackwell) rounds each rank's expert intermediate size up to 128 and the hidden size up to
 * 256; FlashInfer's Blackwell kernels round both up to 256. gpt-oss-120b at TP1 thus loads 65.97 GiB, not 60.8
 * (found/memory.csv PM009).
 */
final class VllmMoePadding {
    private VllmMoePadding() {}

    /** The routed experts' bytes on this rank, padded as the kernel allocates them; other tensors unchanged. */
    static long bytes(Tensor t, Precision format, long rankParams, Engine.WeightLoad load) {
        boolean mxfp4Experts = t.role() == TensorRole.ROUTED_EXPERTS && format.equals(Precision.MXFP4);
        boolean expertBias = t.routed() && t.role() == TensorRole.VECTOR && t.name().endsWith("experts.bias")
                && load.model().checkpointQuantization().map(q -> q.weights().equals(Precision.MXFP4)).orElse(false);
        if ((!mxfp4Experts && !expertBias) || t.layer() < 0 || !(load.model().layers().get(t.layer()).ffn() instanceof MoeFfn moe)) {
            return format.bytesFor(rankParams);
        }
        boolean blackwell = "blackwell".equalsIgnoreCase(load.gpu().architecture());
        int ways = load.ep() > 1 ? 1 : load.tp();
        long experts = load.ep() > 1 ? Math.floorDiv(moe.experts() + load.ep() - 1, load.ep()) : moe.experts();
        long intermediate = roundUp(Math.floorDiv(moe.expertIntermediate() + ways - 1, ways), blackwell ? 256 : 128);
        long hidden = roundUp(load.model().hiddenSize(), 256);
        if (expertBias) {
            // w13_bias (2 x intermediate) and w2_bias (hidden) per expert, in bf16
            return format.bytesFor(experts * (2 * intermediate + hidden));
        }
        // w13 (2 x intermediate x hidden) and w2 (hidden x intermediate) per expert; scales in the MXFP4 block
        return format.bytesFor(experts * 3 * intermediate * hidden);
    }

    private static long roundUp(long v, long to) {
        return Math.floorDiv(v + to - 1, to) * to;
    }
}
