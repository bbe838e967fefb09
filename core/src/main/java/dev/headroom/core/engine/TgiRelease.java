package dev.headroom.core.engine;

import java.util.List;

/**
 * Hugging Face text-generation-inference's KV rule by tag (server/text_generation_server/models/flash_causal_lm.py
 * FlashCausalLM.warmup and models/globals.py; launcher/src/main.rs; full git history read).
 *
 * @param wiggleRoom      share of the free memory kept for KV: 1.0 to v1.4.0, 0.95 from v1.4.1 (and TGI_WIGGLE_ROOM 0.95
 *                        in v2.3.x), 0.90 in v2.4.x, 0.95 in v3.0.x, 0.93 in v3.1.0 - v3.2.3, 0.90 from v3.3.0
 * @param ofTotal         from v3.0 the wiggle room is a fraction of the total: free - (1 - W) x total, not W x free
 * @param blockSize       BLOCK_SIZE: 16 with paged attention; 1 with flashinfer, the launcher's default from v2.3.0
 */
record TgiRelease(Release release, double wiggleRoom, boolean ofTotal, int blockSize) {
    static final List<TgiRelease> ALL = List.of(
            new TgiRelease(new Release("0.9", "github:huggingface/text-generation-inference flash_causal_lm.py warmup@v0.9.0 (free // cache block size)"),
                    1.0, false, 16),
            new TgiRelease(new Release("1.4.1", "github:huggingface/text-generation-inference flash_causal_lm.py warmup@v1.4.1 (free x 0.95)"),
                    0.95, false, 16),
            new TgiRelease(new Release("2.0.0", "github:huggingface/text-generation-inference launcher/src/main.rs@v2.0.0 (prefill = inputs + 50)"),
                    0.95, false, 16),
            new TgiRelease(new Release("2.3.0", "github:huggingface/text-generation-inference models/globals.py@v2.3.0 (flashinfer, BLOCK_SIZE 1; "
                    + "TGI_WIGGLE_ROOM 0.95)"), 0.95, false, 1),
            new TgiRelease(new Release("2.4.0", "github:huggingface/text-generation-inference flash_causal_lm.py@v2.4.0 (TGI_WIGGLE_ROOM 0.90)"),
                    0.90, false, 1),
            new TgiRelease(new Release("3.0.0", "github:huggingface/text-generation-inference flash_causal_lm.py@v3.0.0 (get_free_memory(device, "
                    + "MEMORY_FRACTION x TGI_WIGGLE_ROOM) = free - (1 - 0.95) x total)"), 0.95, true, 1),
            new TgiRelease(new Release("3.1.0", "github:huggingface/text-generation-inference@v3.1.0 (TGI_WIGGLE_ROOM 0.93)"), 0.93, true, 1),
            new TgiRelease(new Release("3.3.0", "github:huggingface/text-generation-inference@v3.3.0 (TGI_WIGGLE_ROOM 0.90)"), 0.90, true, 1));

    static List<Release> releases() {
        return ALL.stream().map(TgiRelease::release).toList();
    }

    static TgiRelease of(Release r) {
        return ALL.stream().filter(t -> t.release.equals(r)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no TGI rules for " + r.version()));
    }
}
