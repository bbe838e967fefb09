package dev.headroom.core.model;

import dev.headroom.core.precision.Precision;
import java.util.List;

/** A layer that mixes no tokens: Nemotron-H's MLP-only layers, which interleave with its Mamba and attention layers. */
public record NoMixer() implements TokenMixer {
    @Override
    public void tensors(String p, int layer, long hidden, List<Tensor> out) {}

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
        return 1 << 30; // any tensor-parallel degree divides "no heads"
    }

    @Override
    public String kind() {
        return "none";
    }
}
