package dev.headroom.core.model;

import static dev.headroom.core.model.Tensor.ANY_SPLIT;
import static dev.headroom.core.model.TensorRole.ATTENTION;
import static dev.headroom.core.model.TensorRole.VECTOR;

import dev.headroom.core.precision.Precision;
import java.util.List;

/**
 * Linear attention with a gated delta rule (Qwen3-Next's linear layers, modeling_qwen3_next.py): per sequence a
 * state of value_heads x key_head_dim x value_head_dim plus a short convolution window, independent of length.
 *
 * @param splitProjections the checkpoint stores the input projection as in_proj_qkv, in_proj_z, in_proj_b and
 *                         in_proj_a (Qwen3.5) rather than the fused in_proj_qkvz and in_proj_ba (Qwen3-Next); the
 *                         same weights, named so a checkpoint's per-module formats find them
 */
public record GatedDeltaNet(int keyHeads, int valueHeads, int keyHeadDim, int valueHeadDim, int convKernel,
                            boolean splitProjections) implements TokenMixer {

    private long keyDim() {
        return (long) keyHeads * keyHeadDim;
    }

    private long valueDim() {
        return (long) valueHeads * valueHeadDim;
    }

    private long convChannels() {
        return 2 * keyDim() + valueDim();
    }

    @Override
    public void tensors(String p, int layer, long hidden, List<Tensor> out) {
        String s = p + "linear_attn.";
        if (splitProjections) {
            out.add(Tensor.of(s + "in_proj_qkv", ATTENTION, hidden * (2 * keyDim() + valueDim()), layer, ANY_SPLIT));
            out.add(Tensor.of(s + "in_proj_z", ATTENTION, hidden * valueDim(), layer, ANY_SPLIT));
            out.add(Tensor.of(s + "in_proj_b", ATTENTION, hidden * valueHeads, layer, ANY_SPLIT));
            out.add(Tensor.of(s + "in_proj_a", ATTENTION, hidden * valueHeads, layer, ANY_SPLIT));
        } else {
            out.add(Tensor.of(s + "in_proj_qkvz", ATTENTION, hidden * (2 * keyDim() + 2 * valueDim()), layer, ANY_SPLIT));
            out.add(Tensor.of(s + "in_proj_ba", ATTENTION, hidden * 2L * valueHeads, layer, ANY_SPLIT));
        }
        out.add(Tensor.of(s + "conv1d", VECTOR, convChannels() * convKernel, layer, ANY_SPLIT));
        out.add(Tensor.of(s + "dt_bias", VECTOR, valueHeads, layer, ANY_SPLIT));
        out.add(Tensor.of(s + "A_log", VECTOR, valueHeads, layer, ANY_SPLIT));
        out.add(Tensor.of(s + "norm", VECTOR, valueHeadDim, layer, 1));
        out.add(Tensor.of(s + "out_proj", ATTENTION, valueDim() * hidden, layer, ANY_SPLIT));
    }

    @Override
    public long kvBytesPerToken(Precision kv, int tp) {
        return 0;
    }

    @Override
    public int window() {
        return 0;
    }

    @Override
    public long stateBytesPerSequence(Precision state, int tp) {
        long conv = (convKernel - 1L) * convChannels();
        long recurrent = (long) valueHeads * keyHeadDim * valueHeadDim;
        return state.bytesFor((conv + recurrent + tp - 1) / tp);
    }

    @Override
    public double flopsPerAttendedToken() {
        return 0;
    }

    @Override
    public long activationWidth() {
        return 2 * keyDim() + 2 * valueDim();
    }

    @Override
    public int parallelHeads() {
        return valueHeads;
    }

    @Override
    public String kind() {
        return "gated delta net";
    }
}
