package dev.headroom.core.model;

import static dev.headroom.core.model.Tensor.ANY_SPLIT;
import static dev.headroom.core.model.TensorRole.VECTOR;

import java.util.List;

/**
 * A dense MLP: gated (SwiGLU/GeGLU: gate, up and down projections) or plain (up and down: GPT-NeoX, phi-2,
 * Falcon, StarCoder2), with or without biases.
 */
public record DenseFfn(int intermediate, boolean gated, boolean bias) implements Ffn {

    public static DenseFfn gated(int intermediate) {
        return new DenseFfn(intermediate, true, false);
    }

    @Override
    public void tensors(String p, int layer, long hidden, List<Tensor> out) {
        add(p + "mlp.", TensorRole.MLP, layer, hidden, out);
    }

    /** The projections under {@code prefix}, with the given role (shared experts reuse this shape). */
    void add(String prefix, TensorRole role, int layer, long hidden, List<Tensor> out) {
        long i = intermediate;
        if (gated) {
            out.add(Tensor.of(prefix + "gate_proj", role, hidden * i, layer, ANY_SPLIT));
        }
        out.add(Tensor.of(prefix + "up_proj", role, hidden * i, layer, ANY_SPLIT));
        out.add(Tensor.of(prefix + "down_proj", role, i * hidden, layer, ANY_SPLIT));
        if (bias) {
            out.add(Tensor.of(prefix + "up_proj.bias", VECTOR, gated ? 2 * i : i, layer, ANY_SPLIT));
            out.add(Tensor.of(prefix + "down_proj.bias", VECTOR, hidden, layer, 1));
        }
    }

    /** Gate and up outputs and their product are alive together in a gated block. */
    @Override
    public long activationWidth() {
        return (gated ? 3L : 2L) * intermediate;
    }

    @Override
    public String kind() {
        return "dense";
    }
}
