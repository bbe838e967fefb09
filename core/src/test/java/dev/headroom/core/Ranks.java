package dev.headroom.core;

import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.engine.RankFacts;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.KvLayout;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.precision.Precision;
import java.util.ArrayList;
import java.util.List;

/** Test helper: hand-made ranks, so engine arithmetic is checked against numbers written in the test. */
public final class Ranks {
    private Ranks() {}

    /** An activation that costs a fixed number of bytes and records the tokens it was asked for. */
    public static final class FixedActivation implements RankFacts.Activation {
        final long bytes;
        public final List<Long> calls = new ArrayList<>();

        public FixedActivation(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public long forwardBytes(long tokens) {
            calls.add(tokens);
            return bytes;
        }
    }

    /** An H100 reporting {@code visible} bytes. */
    public static Gpu gpu(long visible) {
        return Catalog.gpu("h100-sxm").withVisibleMemory(visible);
    }

    /**
     * A rank whose sequences hold kvPerToken bytes for every token (no sliding window, no recurrent state), with no
     * vocabulary (no logits or sampler memory) unless {@link #withVocab} adds one.
     */
    public static RankFacts rank(long visible, long weights, long kvPerToken, long communication, RankFacts.Activation activation,
                                 long rotary, int tp) {
        return rank(gpu(visible), weights, kvPerToken, communication, activation, rotary, tp);
    }

    public static RankFacts rank(Gpu gpu, long weights, long kvPerToken, long communication, RankFacts.Activation activation,
                                 long rotary, int tp) {
        KvLayout layout = new KvLayout(kvPerToken, new int[0], new long[0], 0, kvPerToken);
        return new RankFacts(gpu, weights, layout, communication, activation, rotary, 0, tp, 1, true, Precision.BF16);
    }

    public static RankFacts withVocab(RankFacts r, int vocab) {
        return new RankFacts(r.gpu(), r.weightsBytes(), r.kv(), r.communicationBytes(), r.activation(), r.rotaryCacheBytes(), vocab,
                r.tp(), r.pp(), r.lastStage(), r.weightsFormat());
    }

    public static ModelSpec llama8b() {
        return Catalog.model("llama-3.1-8b");
    }
}
