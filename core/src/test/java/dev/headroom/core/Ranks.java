package dev.headroom.core;

import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.engine.RankFacts;
import dev.headroom.core.model.KvLayout;
import dev.headroom.core.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/** Test helper: hand-made ranks, so engine arithmetic is checked against numbers written in the test. */
public final class Ranks {
    private Ranks() {}

    /** An activation that costs a fixed number of bytes and records what it was asked for. */
    public static final class FixedActivation implements RankFacts.Activation {
        final long bytes;
        public final List<long[]> calls = new ArrayList<>();

        public FixedActivation(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public long peakBytes(long tokens, long sequences) {
            calls.add(new long[] {tokens, sequences});
            return bytes;
        }
    }

    /** A rank whose sequences hold kvPerToken bytes for every token (no sliding window, no recurrent state). */
    public static RankFacts rank(long visible, long weights, long kvPerToken, long overhead, RankFacts.Activation activation,
                                 long rotary, int tp) {
        KvLayout layout = new KvLayout(kvPerToken, new int[0], new long[0], 0, kvPerToken);
        return new RankFacts(visible, weights, layout, overhead, activation, rotary, tp, 1);
    }

    public static ModelSpec llama8b() {
        return Catalog.model("llama-3.1-8b");
    }
}
