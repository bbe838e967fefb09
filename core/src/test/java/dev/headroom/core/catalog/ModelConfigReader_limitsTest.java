package dev.headroom.core.catalog;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.base.Provenance;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.memory.MemoryEstimate;
import dev.headroom.core.memory.MemoryModel;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Workload;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A config.json with any sizes, up to 2^31 - 1 in every field: the reader refuses it with the documented input error,
 * or the model it describes has positive parameters and non-negative bytes everywhere. Never a wrapped count.
 */
class ModelConfigReader_limitsTest {
    @Provide
    Arbitrary<Integer> sizes() {
        // small, near each plausibility limit, and up to the int limit
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 64), Arbitraries.integers().between(1, 1 << 25),
                Arbitraries.integers().between(1, Integer.MAX_VALUE), Arbitraries.of(1 << 16, 1 << 20, 1 << 22, 1 << 24, Integer.MAX_VALUE));
    }

    @Property(tries = 200)
    void should_read_a_countable_model_or_refuse_cleanly(@ForAll("sizes") int hidden, @ForAll("sizes") int layers,
                                                         @ForAll("sizes") int heads, @ForAll("sizes") int kvHeads,
                                                         @ForAll("sizes") int intermediate, @ForAll("sizes") int vocab,
                                                         @ForAll("sizes") int positions, @ForAll("sizes") int experts) {
        String text = String.format(Locale.ROOT, """
                {"model_type": "mixtral", "hidden_size": %d, "num_hidden_layers": %d, "num_attention_heads": %d,
                 "num_key_value_heads": %d, "intermediate_size": %d, "vocab_size": %d, "max_position_embeddings": %d,
                 "num_local_experts": %d, "num_experts_per_tok": 1}
                """, hidden, Math.min(layers, 70_000), heads, kvHeads, intermediate, vocab, positions, experts);
        ModelProfile p;
        try {
            p = ModelProfile.of(ModelConfigReader.parse(Json.parse(text, "config.json"), "m", "m", Provenance.userFile("config.json")));
        } catch (InvalidInputException refused) {
            assertTrue(!refused.getMessage().isBlank());
            return;
        }
        assertTrue(p.params() > 0 && p.activeParams() > 0 && p.activeParams() <= p.params(), p.params() + " / " + p.activeParams());
        assertTrue(p.kvBytesPerToken(Precision.BF16) > 0);
        try {
            MemoryEstimate m = MemoryModel.estimate(p, Deployment.on(Catalog.gpu("h100-sxm")), Workload.of(1, 1, 0));
            assertTrue(m.weightsBytes() > 0 && m.totalBytesPerGpu() > 0 && m.workloadKvBytesPerGpu() >= 0, m.toString());
        } catch (InvalidInputException refused) {
            assertTrue(!refused.getMessage().isBlank());
        }
    }
}
