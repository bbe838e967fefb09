package dev.headroom.core.model;

import static dev.headroom.core.model.Tensor.ANY_SPLIT;

import dev.headroom.core.precision.Precision;
import java.util.List;

/**
 * An attention or feed-forward block that architecture search replaced by one hidden x hidden linear map without
 * bias (Nemotron-NAS's {@code replace_with_linear}; HF checkpoint keys {@code self_attn.linear_attn} and
 * {@code mlp.linear_mlp}). It mixes no tokens and caches nothing.
 *
 * @param module the module's name under the layer ("self_attn.linear_attn" or "mlp.linear_mlp")
 * @param role   ATTENTION or MLP: the block it replaced, which the weight policy and sharding read
 */
public record LinearReplacement(String module, TensorRole role) implements TokenMixer, Ffn {

    public static LinearReplacement ofAttention() {
        return new LinearReplacement("self_attn.linear_attn", TensorRole.ATTENTION);
    }

    public static LinearReplacement ofMlp() {
        return new LinearReplacement("mlp.linear_mlp", TensorRole.MLP);
    }

    @Override
    public void tensors(String p, int layer, long hidden, List<Tensor> out) {
        out.add(Tensor.of(p + module, role, hidden * hidden, layer, ANY_SPLIT));
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
        return 0;
    }

    @Override
    public double flopsPerAttendedToken() {
        return 0;
    }

    @Override
    public long activationWidth() {
        return 0;
    }

    @Override
    public int parallelHeads() {
        return 1 << 30; // a plain matrix splits any way tensor parallelism asks
    }

    @Override
    public String kind() {
        return "linear";
    }
}
