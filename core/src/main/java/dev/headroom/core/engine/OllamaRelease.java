package dev.headroom.core.engine;

import dev.headroom.core.base.Bytes;
import java.util.List;

/**
 * Ollama's defaults for its llama.cpp runner by release (full git history read: envconfig/config.go, server/sched.go,
 * api/types.go, llm/server.go, fs/ggml/ggml.go).
 *
 * @param numCtx           default num_ctx: 2048 up to v0.6.6, 4096 from v0.6.7; 0 from v0.15.5: chosen by VRAM tier
 * @param autoParallel     OLLAMA_NUM_PARALLEL unset tries this many slots and falls back to 1 when they do not fit
 *                         (4 in v0.2.0 - v0.6.6, 2 in v0.6.7 - v0.9.x, 1 before v0.2.0 and from v0.10.0)
 * @param flashAttnDefault flash attention is on by default for models that declare it (gpt-oss, qwen3) from v0.12.4
 */
record OllamaRelease(Release release, int numCtx, int autoParallel, boolean flashAttnDefault) {
    static final List<OllamaRelease> ALL = List.of(
            new OllamaRelease(new Release("0.1.0", "github:ollama/ollama api/types.go DefaultOptions (num_ctx 2048)"), 2048, 1, false),
            new OllamaRelease(new Release("0.2.0", "github:ollama/ollama server/sched.go@v0.2.0 (defaultParallel 4)"), 2048, 4, false),
            new OllamaRelease(new Release("0.6.7", "github:ollama/ollama envconfig/config.go@v0.6.7 (num_ctx 4096); server/sched.go "
                    + "(defaultParallel 2)"), 4096, 2, false),
            new OllamaRelease(new Release("0.10.0", "github:ollama/ollama server/sched.go@v0.10.0 (OLLAMA_NUM_PARALLEL default 1)"),
                    4096, 1, false),
            new OllamaRelease(new Release("0.12.4", "github:ollama/ollama fs/ggml/ggml.go FlashAttention() (model default: gpt-oss, "
                    + "qwen3)"), 4096, 1, true),
            new OllamaRelease(new Release("0.15.5", "github:ollama/ollama server/routes.go@v0.15.5 (vram-based default context: "
                    + "262144 from 47 GiB, 32768 from 23 GiB, else 4096)"), 0, 1, true));

    static List<Release> releases() {
        return ALL.stream().map(OllamaRelease::release).toList();
    }

    static OllamaRelease of(Release r) {
        return ALL.stream().filter(o -> o.release.equals(r)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Ollama rules for " + r.version()));
    }

    /** num_ctx when not set: the release's figure, or the VRAM tier of the GPUs' total memory. */
    int defaultContext(long totalGpuBytes, int modelContext) {
        if (numCtx > 0) {
            return numCtx;
        }
        int tier = totalGpuBytes >= 47 * Bytes.GIB ? 262_144 : totalGpuBytes >= 23 * Bytes.GIB ? 32_768 : 4096;
        return Math.min(tier, modelContext);
    }
}
