package dev.headroom.core.model;

import dev.headroom.core.precision.Precision;
import java.util.List;

/**
 * Two mixers side by side in one layer, their outputs summed (Falcon-H1: attention heads and Mamba-2 heads in
 * parallel). The layer caches what both cache.
 */
public record ParallelMixers(TokenMixer first, TokenMixer second) implements TokenMixer {
    @Override
    public void tensors(String p, int layer, long hidden, List<Tensor> out) {
        first.tensors(p, layer, hidden, out);
        second.tensors(p, layer, hidden, out);
    }

    @Override
    public long kvBytesPerToken(Precision kv, int tp) {
        return first.kvBytesPerToken(kv, tp) + second.kvBytesPerToken(kv, tp);
    }

    /** Only attention caches per token here; its window is the layer's. */
    @Override
    public int window() {
        return first.kvBytesPerToken(Precision.BF16, 1) > 0 ? first.window() : second.window();
    }

    @Override
    public long stateBytesPerSequence(Precision state, int tp) {
        return first.stateBytesPerSequence(state, tp) + second.stateBytesPerSequence(state, tp);
    }

    @Override
    public double flopsPerAttendedToken() {
        return first.flopsPerAttendedToken() + second.flopsPerAttendedToken();
    }

    @Override
    public double decodeFlopsPerAttendedToken() {
        return first.decodeFlopsPerAttendedToken() + second.decodeFlopsPerAttendedToken();
    }

    @Override
    public long activationWidth() {
        return first.activationWidth() + second.activationWidth();
    }

    @Override
    public int parallelHeads() {
        return gcd(first.parallelHeads(), second.parallelHeads());
    }

    @Override
    public int kvHeadsForSplit() {
        return Math.max(first.kvHeadsForSplit(), second.kvHeadsForSplit());
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    @Override
    public String kind() {
        return first.kind() + " | " + second.kind();
    }
}
