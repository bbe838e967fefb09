package dev.headroom.core.engine;

import dev.headroom.core.model.CacheRule;
import dev.headroom.core.model.LatentAttention;
import java.util.List;

/**
 * llama.cpp's cache rules by build.
 *
 * @param padToStreams   n_ctx is padded to 256 and split into one stream per sequence unless the cache is unified
 *                       (src/llama-context.cpp, PR ggml-org/llama.cpp#17046 discussion, late 2025); before, one unified
 *                       cache of n_ctx cells padded to 256 with flash attention, else 32 (llama_kv_cache::get_padding)
 * @param mla            how latent-attention layers are cached: full per-head K/V before PR #12801, the latent as K plus
 *                       a 512-wide V after it, the latent alone after PR #19067 ("V-less cache")
 */
record LlamaCppRelease(Release release, boolean padToStreams, Mla mla) {
    enum Mla {
        /** Legacy: K = heads x (nope + rope), V = heads x v_head per layer, like multi-head attention. */
        PER_HEAD,
        /** K = kv_lora_rank + rope, V = kv_lora_rank (an MQA form of the latent). */
        LATENT_K_AND_V,
        /** K = kv_lora_rank + rope only. */
        LATENT_ONLY
    }

    static final List<LlamaCppRelease> ALL = List.of(
            new LlamaCppRelease(new Release("b1000", "github:ggml-org/llama.cpp src/llama-kv-cache.cpp get_padding (flash attention 256, "
                    + "else 32); llama.cpp before pull/12801 caches DeepSeek-V2/V3 per head"), false, Mla.PER_HEAD),
            new LlamaCppRelease(new Release("b5100", "github:ggml-org/llama.cpp pull/12801 (MLA cache, merged April 2025; first build "
                    + "number approximate)"), false, Mla.LATENT_K_AND_V),
            new LlamaCppRelease(new Release("b7000", "github:ggml-org/llama.cpp src/llama-context.cpp (n_ctx padded to 256, a stream "
                    + "per sequence unless kv_unified; pull/17046 discussion, build number approximate); src/llama-kv-cache-iswa.cpp@"
                    + "02c28f533ebba3e4ea944fc4a0719a012b3e7097"), true, Mla.LATENT_K_AND_V),
            new LlamaCppRelease(new Release("b7800", "github:ggml-org/llama.cpp pull/19067 (V-less MLA cache, merged 2026-01-24; build "
                    + "number approximate)"), true, Mla.LATENT_ONLY));

    static List<Release> releases() {
        return ALL.stream().map(LlamaCppRelease::release).toList();
    }

    static LlamaCppRelease of(Release r) {
        return ALL.stream().filter(l -> l.release.equals(r)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no llama.cpp rules for " + r.version()));
    }

    /** The cache rule for this build: latent attention as the build stores it, every other layer as defined. */
    CacheRule cacheRule() {
        return (mixer, kv, tp) -> {
            if (mixer instanceof LatentAttention la) {
                long values = switch (mla) {
                    case PER_HEAD -> (long) la.heads() * (la.qkNopeHeadDim() + la.qkRopeHeadDim() + la.vHeadDim());
                    case LATENT_K_AND_V -> (long) la.kvLoraRank() + la.qkRopeHeadDim() + la.kvLoraRank();
                    case LATENT_ONLY -> (long) la.kvLoraRank() + la.qkRopeHeadDim();
                };
                return kv.bytesFor(values);
            }
            return mixer.kvBytesPerToken(kv, tp);
        };
    }
}
