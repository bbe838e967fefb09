package dev.headroom.core;

import java.util.ArrayList;
import java.util.List;

/** Test helper: hand-made ranks, so engine arithmetic is checked against numbers written in the test. */
final class Ranks {
    private Ranks() {}

    /** An activation that costs a fixed number of bytes and records what it was asked for. */
    static final class FixedActivation implements RankMemory.Activation {
        final long bytes;
        final List<long[]> calls = new ArrayList<>();

        FixedActivation(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public long peakBytes(long tokens, long sequences) {
            calls.add(new long[] {tokens, sequences});
            return bytes;
        }
    }

    /** A rank whose sequences hold kvPerToken bytes for every token (no sliding window). */
    static RankMemory rank(long visible, long weights, long kvPerToken, long overhead, RankMemory.Activation activation,
                           long rotary, int tp) {
        return new RankMemory(visible, weights, kvPerToken, tokens -> tokens * kvPerToken, overhead, activation, rotary, tp);
    }

    static ModelSpec llama8b() {
        return Catalog.model("llama-3.1-8b");
    }
}
