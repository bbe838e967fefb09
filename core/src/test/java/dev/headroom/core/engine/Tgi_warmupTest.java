package dev.headroom.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.memory.MemoryModel;
import dev.headroom.core.model.ModelProfile;
import org.junit.jupiter.api.Test;

/**
 * TGI's warm-up (flash_causal_lm.py by release, as TgiRelease cites): free memory after weights, the warm-up prefill's
 * activations and logits and the context, times TGI_WIGGLE_ROOM (of the free memory before v3.0, of the total from
 * v3.0), in blocks; max_total_tokens by release when not given.
 */
class Tgi_warmupTest {
    private static final ModelProfile LLAMA_8B = Catalog.profile("llama-3.1-8b");

    private static RankFacts rank(Engine e) {
        return MemoryModel.compile(LLAMA_8B, new Deployment(Catalog.gpu("h100-sxm"), 1, 1, 1, 1, null, null, e)).stages().get(0).rank();
    }

    @Test
    void should_keep_the_wiggle_room_share_of_what_is_free_before_3_0() {
        Tgi t = Tgi.at("2.4.0");
        RankFacts r = rank(t);

        KvPool p = t.reserve(r, LLAMA_8B.spec(), null);

        // prefill max_input_tokens + 50 = 4,095 + 50 tokens (launcher/src/main.rs@v2.4.0): activations plus 4 B logits of
        // 128,256 entries each; flashinfer blocks of one token
        assertEquals(r.activation().forwardBytes(4145) + 4145L * 4 * 128_256, p.activationBytes());
        assertEquals(r.weightsBytes() + r.rotaryCacheBytes(), p.weightsBytes());
        long free = r.visibleMemoryBytes() - p.charges().total();
        assertEquals((long) Math.floor(free * 0.90), p.availableBytes());
        assertEquals(p.availableBytes() / 131_072, p.tokens());
        assertEquals(1, p.blockSize());
        // from 2.3 the server picks max_total_tokens: the pool, up to the model's positions
        assertEquals(Math.min(p.tokens(), 131_072), p.maxModelLen());
        assertTrue(p.starts());
    }

    @Test
    void should_take_the_wiggle_room_out_of_the_total_from_3_0() {
        Tgi t = Tgi.at("3.0.0");
        RankFacts r = rank(t);

        KvPool p = t.reserve(r, LLAMA_8B.spec(), null);

        long total = r.visibleMemoryBytes();
        long free = total - p.charges().total();
        assertEquals(free - (long) Math.ceil((1 - 0.95) * total), p.availableBytes());
        // cuda_memory_fraction 0.5 leaves half the GPU to others
        KvPool half = ((Tgi) t.with("cuda_memory_fraction", "0.5")).reserve(r, LLAMA_8B.spec(), null);
        assertEquals(free - (long) Math.ceil((1 - 0.5 * 0.95) * total), half.availableBytes());
    }

    @Test
    void should_default_the_warm_up_prefill_by_release() {
        // launcher/src/main.rs: clap's 4096 in v1.4.1; max_input_tokens + 50 in v2.0.0 - v2.4.0, the inputs being
        // min(max_position_embeddings, 4096) - 1; min(4096, max_position_embeddings) from v3.0.0 (its fallback)
        var shortContext = Catalog.profile("phi-2").spec(); // 2,048 positions
        var longContext = LLAMA_8B.spec(); // 131,072 positions
        assertEquals(2048, shortContext.maxPositions());
        for (String v : new String[] {"0.9", "1.4.1"}) {
            assertEquals(4096, Tgi.defaultPrefillTokens(Tgi.at(v).rules(), shortContext), v);
            assertEquals(4096, Tgi.defaultPrefillTokens(Tgi.at(v).rules(), longContext), v);
        }
        for (String v : new String[] {"2.0.0", "2.3.0", "2.4.0"}) {
            assertEquals(2047 + 50, Tgi.defaultPrefillTokens(Tgi.at(v).rules(), shortContext), v);
            assertEquals(4095 + 50, Tgi.defaultPrefillTokens(Tgi.at(v).rules(), longContext), v);
        }
        for (String v : new String[] {"3.0.0", "3.3.0"}) {
            assertEquals(2048, Tgi.defaultPrefillTokens(Tgi.at(v).rules(), shortContext), v);
            assertEquals(4096, Tgi.defaultPrefillTokens(Tgi.at(v).rules(), longContext), v);
        }
    }

    @Test
    void should_default_max_total_tokens_by_release() {
        var m = LLAMA_8B.spec();
        assertEquals(2048, Tgi.defaultMaxTotalTokens(TgiRelease.of(Tgi.at("1.4.1").release()), m, 100_000));
        assertEquals(4096, Tgi.defaultMaxTotalTokens(TgiRelease.of(Tgi.at("2.0.0").release()), m, 100_000));
        assertEquals(4096, Tgi.defaultMaxTotalTokens(TgiRelease.of(Tgi.at("2.2.0").release()), m, 100_000));
        assertEquals(100_000, Tgi.defaultMaxTotalTokens(TgiRelease.of(Tgi.at("2.3.0").release()), m, 100_000));
        assertEquals(131_072, Tgi.defaultMaxTotalTokens(TgiRelease.of(Tgi.at("2.3.0").release()), m, 1_000_000));
        assertEquals(1, Tgi.defaultMaxTotalTokens(TgiRelease.of(Tgi.at("2.3.0").release()), m, 0));
    }

    @Test
    void should_refuse_a_prefill_or_a_request_length_the_memory_cannot_hold() {
        // a 130,000-token max_total_tokens on 0.3 of the GPU: the pool is shorter than one request
        Tgi t = ((Tgi) Tgi.at("2.4.0").with("max_total_tokens", "130000").with("cuda_memory_fraction", "0.3"));
        KvPool p = t.reserve(rank(t), LLAMA_8B.spec(), null);
        assertFalse(p.starts());
        assertEquals("max_total_tokens", p.refusal().knob());
        assertEquals((130_000 - p.tokens()) * 131_072, p.shortfallBytes());
        // a prefill batch whose activations exceed the GPU
        Tgi huge = (Tgi) Tgi.at("2.4.0").with("max_batch_prefill_tokens", "2000000");
        KvPool q = huge.reserve(rank(huge), LLAMA_8B.spec(), null);
        assertFalse(q.starts());
        assertEquals("max_batch_prefill_tokens", q.refusal().knob());
        assertEquals(q.charges().total() - rank(huge).visibleMemoryBytes() + 1, q.shortfallBytes());
    }
}
