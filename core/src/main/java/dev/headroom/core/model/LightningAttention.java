package dev.headroom.core.model;

import static dev.headroom.core.model.Tensor.ANY_SPLIT;
import static dev.headroom.core.model.TensorRole.ATTENTION;
import static dev.headroom.core.model.TensorRole.VECTOR;

import dev.headroom.core.precision.Precision;
import java.util.List;

/**
 * MiniMax's lightning attention (MiniMax-Text-01, MiniMax-M1: the layers attn_type_list marks 0), a linear
 * attention with a decaying recurrent state. Tensors as vLLM's MiniMaxText01LinearAttention builds them: one
 * qkv_proj to 3 x heads x head_dim, an output_gate and an out_proj of heads x head_dim, an RMSNorm of that width;
 * per sequence each head keeps a head_dim x head_dim state, whatever the length.
 */
public record LightningAttention(int heads, int headDim) implements TokenMixer {

    private long innerSize() {
        return (long) heads * headDim;
    }

    @Override
    public void tensors(String p, int layer, long hidden, List<Tensor> out) {
        String s = p + "self_attn.";
        out.add(Tensor.of(s + "qkv_proj", ATTENTION, hidden * 3 * innerSize(), layer, ANY_SPLIT));
        out.add(Tensor.of(s + "output_gate", ATTENTION, hidden * innerSize(), layer, ANY_SPLIT));
        out.add(Tensor.of(s + "out_proj", ATTENTION, innerSize() * hidden, layer, ANY_SPLIT));
        out.add(Tensor.of(s + "norm", VECTOR, innerSize(), layer, ANY_SPLIT));
    }

    @Override
    public long kvBytesPerToken(Precision kv, int tp) {
        return 0;
    }

    @Override
    public int window() {
        return 0;
    }

    /** heads x head_dim x head_dim per sequence, split by heads across tensor-parallel ranks. */
    @Override
    public long stateBytesPerSequence(Precision state, int tp) {
        long headsPerRank = Math.max(1, (heads + tp - 1) / tp);
        return state.bytesFor(headsPerRank * headDim * headDim);
    }

    @Override
    public double flopsPerAttendedToken() {
        return 0;
    }

    @Override
    public long activationWidth() {
        return 4 * innerSize();
    }

    @Override
    public int parallelHeads() {
        return heads;
    }

    @Override
    public String kind() {
        return "lightning attention";
    }
}
