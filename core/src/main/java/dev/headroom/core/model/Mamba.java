package dev.headroom.core.model;

import static dev.headroom.core.model.Tensor.ANY_SPLIT;
import static dev.headroom.core.model.TensorRole.ATTENTION;
import static dev.headroom.core.model.TensorRole.VECTOR;

import dev.headroom.core.precision.Precision;
import java.util.List;

/**
 * A selective state-space layer (Mamba-1 in Jamba; Mamba-2 in Nemotron-H, Falcon-H1, Bamba). It caches no
 * tokens: each sequence keeps a convolution window of {@code convKernel - 1} steps and an SSM state of
 * fixed size, whatever its length. Tensor shapes follow the Hugging Face modules (modeling_jamba.py,
 * modeling_mamba2.py).
 *
 * @param version     1 (Mamba: per-channel state, x_proj/dt_proj) or 2 (Mamba-2: per-head scalar decay, grouped B/C)
 * @param innerSize   d_inner = expand x hidden (Mamba-2: heads x head_dim)
 * @param heads       Mamba-2 heads (0 for Mamba-1)
 * @param groups      Mamba-2 B/C groups (n_groups; 1 for Mamba-1)
 * @param dtRank      Mamba-1 rank of the dt projection (0 for Mamba-2)
 * @param bias        in/out projections carry biases
 * @param innerNorms  Jamba's dt/B/C layer norms
 */
public record Mamba(int version, int innerSize, int heads, int stateSize, int groups, int convKernel, int dtRank,
                    boolean bias, boolean innerNorms) implements TokenMixer {

    private long convChannels() {
        return version == 1 ? innerSize : innerSize + 2L * groups * stateSize;
    }

    @Override
    public void tensors(String p, int layer, long hidden, List<Tensor> out) {
        String s = p + "mamba.";
        long inner = innerSize;
        long conv = convChannels();
        if (version == 1) {
            out.add(Tensor.of(s + "in_proj", ATTENTION, hidden * 2 * inner, layer, ANY_SPLIT));
            out.add(Tensor.of(s + "x_proj", ATTENTION, inner * (dtRank + 2L * stateSize), layer, ANY_SPLIT));
            out.add(Tensor.of(s + "dt_proj", ATTENTION, (long) dtRank * inner, layer, ANY_SPLIT));
            out.add(Tensor.of(s + "dt_proj.bias", VECTOR, inner, layer, ANY_SPLIT));
            out.add(Tensor.of(s + "A_log", VECTOR, inner * stateSize, layer, ANY_SPLIT));
            out.add(Tensor.of(s + "D", VECTOR, inner, layer, ANY_SPLIT));
            if (innerNorms) {
                out.add(Tensor.of(s + "dt_layernorm", VECTOR, dtRank, layer, 1));
                out.add(Tensor.of(s + "b_layernorm", VECTOR, stateSize, layer, 1));
                out.add(Tensor.of(s + "c_layernorm", VECTOR, stateSize, layer, 1));
            }
        } else {
            out.add(Tensor.of(s + "in_proj", ATTENTION, hidden * (2 * inner + 2L * groups * stateSize + heads), layer, ANY_SPLIT));
            out.add(Tensor.of(s + "dt_bias", VECTOR, heads, layer, ANY_SPLIT));
            out.add(Tensor.of(s + "A_log", VECTOR, heads, layer, ANY_SPLIT));
            out.add(Tensor.of(s + "D", VECTOR, heads, layer, ANY_SPLIT));
            out.add(Tensor.of(s + "norm", VECTOR, inner, layer, ANY_SPLIT));
        }
        out.add(Tensor.of(s + "conv1d", VECTOR, conv * convKernel, layer, ANY_SPLIT));
        out.add(Tensor.of(s + "conv1d.bias", VECTOR, conv, layer, ANY_SPLIT));
        out.add(Tensor.of(s + "out_proj", ATTENTION, inner * hidden, layer, ANY_SPLIT));
        if (bias) {
            out.add(Tensor.of(s + "in_proj.bias", VECTOR, version == 1 ? 2 * inner : 2 * inner + 2L * groups * stateSize + heads, layer, ANY_SPLIT));
            out.add(Tensor.of(s + "out_proj.bias", VECTOR, hidden, layer, 1));
        }
    }

    @Override
    public long kvBytesPerToken(Precision kv, int tp) {
        return 0;
    }

    @Override
    public int window() {
        return 0;
    }

    /** Convolution window plus SSM state, split across tensor-parallel ranks by channel. */
    @Override
    public long stateBytesPerSequence(Precision state, int tp) {
        long conv = (convKernel - 1L) * convChannels();
        long ssm = (long) innerSize * stateSize;
        return state.bytesFor((conv + ssm + tp - 1) / tp);
    }

    /** The scan touches each state value a few times per token; tiny beside the projections. */
    @Override
    public double flopsPerAttendedToken() {
        return 0;
    }

    @Override
    public long activationWidth() {
        return 2L * innerSize + 2L * groups * stateSize;
    }

    @Override
    public int parallelHeads() {
        return version == 2 ? heads : innerSize;
    }

    @Override
    public String kind() {
        return version == 1 ? "mamba" : "mamba-2";
    }
}
