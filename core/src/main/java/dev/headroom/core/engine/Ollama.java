package dev.headroom.core.engine;

import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.model.Tensor;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Workload;
import java.util.List;

/**
 * Ollama: llama.cpp with Ollama's defaults ({@link OllamaRelease}). Its runner gets --ctx-size num_ctx x num_parallel
 * and --parallel num_parallel, so every slot holds num_ctx tokens (server/sched.go, llm/server.go); the KV cache is f16
 * unless OLLAMA_KV_CACHE_TYPE is set and flash attention is on (llm/server.go). The llama.cpp build it runs is
 * modelled as the llama.cpp release of the same time.
 */
public record Ollama(Release release, Integer numCtx, Integer numParallel, Boolean flashAttention, Integer numGpu) implements Engine {
    public static final List<Release> RELEASES = OllamaRelease.releases();

    public Ollama {
        Engine.requirePositive("num_ctx", numCtx);
        Engine.requirePositive("num_parallel", numParallel);
        if (numGpu != null && numGpu < 0) {
            throw dev.headroom.core.base.InvalidInputException.field("num_gpu", numGpu, "must be zero or more");
        }
    }

    public static Ollama defaults() {
        return at(null);
    }

    public static Ollama at(String version) {
        return new Ollama(Release.resolve("ollama", version, RELEASES), null, null, null, null);
    }

    @Override
    public String id() {
        return "ollama";
    }

    OllamaRelease rules() {
        return OllamaRelease.of(release);
    }

    @Override
    public Integer maxLength() {
        return numCtx;
    }

    @Override
    public Engine withMaxLength(int tokens) {
        return new Ollama(release, tokens, numParallel, flashAttention, numGpu);
    }

    @Override
    public Engine with(String knob, String value) {
        String id = id();
        return switch (knob) {
            case "num_ctx", "n_ctx", "OLLAMA_CONTEXT_LENGTH" -> withMaxLength(Engine.intValue(id, knob, value));
            case "num_parallel", "OLLAMA_NUM_PARALLEL", "n_parallel" -> new Ollama(release, numCtx, Engine.intValue(id, knob, value), flashAttention, numGpu);
            case "flash_attention", "OLLAMA_FLASH_ATTENTION", "flash_attn" -> new Ollama(release, numCtx, numParallel,
                    Engine.boolValue(id, knob, value.replaceAll("\\(.*\\)", "")), numGpu);
            case "num_gpu", "n_gpu_layers" -> new Ollama(release, numCtx, numParallel, flashAttention,
                    Engine.intValue(id, knob, value.replaceAll("[/ ].*$", "")));
            default -> throw Engine.unknownKnob(this, knob);
        };
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                new Setting("num_ctx", numCtx == null ? "default" : numCtx.toString(), "tokens per slot"),
                new Setting("num_parallel", numParallel == null ? "default" : numParallel.toString(), "slots (OLLAMA_NUM_PARALLEL)"),
                new Setting("flash_attention", flashAttention == null ? "default" : flashAttention.toString(), "OLLAMA_FLASH_ATTENTION"),
                new Setting("num_gpu", numGpu == null ? "all that fit" : numGpu.toString(), "layers offloaded to the GPUs"));
    }

    /** The llama.cpp runner this Ollama configures for the rank. */
    LlamaCpp runner(RankFacts rank, ModelSpec model) {
        int ctx = numCtx != null ? numCtx : rules().defaultContext((long) rank.visibleMemoryBytes() * Math.max(1, rank.pp()),
                model.maxPositions());
        int parallel = numParallel != null ? numParallel : 1;
        boolean flash = flashAttention != null ? flashAttention : rules().flashAttnDefault() && declaresFlashAttention(model);
        LlamaCpp runner = LlamaCpp.at(llamaCppBuild()).withNCtx(Math.multiplyExact(ctx, parallel)).withNParallel(parallel);
        runner = (LlamaCpp) runner.with("flash_attn", String.valueOf(flash));
        return numGpu == null ? runner : (LlamaCpp) runner.with("n_gpu_layers", numGpu.toString());
    }

    /** Model families whose Ollama metadata turn flash attention on by default (fs/ggml/ggml.go). */
    private static boolean declaresFlashAttention(ModelSpec model) {
        String type = model.modelType() == null ? "" : model.modelType();
        return type.startsWith("gpt_oss") || type.equals("qwen3") || type.equals("qwen3_moe");
    }

    @Override
    public Precision defaultKv(ModelSpec model) {
        return Precision.FP16;
    }

    /** GGUF has no plain MXFP4 file type: an "mxfp4" model is llama.cpp's MXFP4_MOE (experts MXFP4, the rest Q8_0). */
    @Override
    public Precision loadsAs(Precision requested) {
        return requested.equals(Precision.MXFP4) ? Precision.MXFP4_MOE : requested;
    }

    @Override
    public boolean servesOverHttp() {
        return true;
    }

    /**
     * The llama.cpp build of the same time: before v0.6 (spring 2025) Ollama's runner predates llama.cpp's MLA cache
     * (pull/12801); from v0.12 its llama.cpp pads n_ctx into per-sequence streams.
     */
    String llamaCppBuild() {
        return Release.compareVersions(release.version(), "0.6.0") < 0 ? "b1000"
                : Release.compareVersions(release.version(), "0.12.0") < 0 ? "b5100" : "b7000";
    }

    @Override
    public dev.headroom.core.model.CacheRule cacheRule() {
        return LlamaCpp.at(llamaCppBuild()).cacheRule();
    }

    @Override
    public long gpuWeightBytes(Tensor tensor, Precision format, long rankParams, WeightLoad load) {
        LlamaCpp r = LlamaCpp.defaults();
        r = numGpu == null ? r : (LlamaCpp) r.with("n_gpu_layers", numGpu.toString());
        return r.gpuWeightBytes(tensor, format, rankParams, load);
    }

    /** Ollama's auto parallelism tries its default slots and falls back to one when they do not fit. */
    @Override
    public KvPool reserve(RankFacts rank, ModelSpec model, Workload workload) {
        if (numParallel == null && rules().autoParallel() > 1) {
            KvPool wide = new Ollama(release, numCtx, rules().autoParallel(), flashAttention, numGpu).runner(rank, model).reserve(rank, model, workload);
            if (wide.starts()) {
                return wide;
            }
        }
        return runner(rank, model).reserve(rank, model, workload);
    }

    @Override
    public String describe(RankFacts rank) {
        return describe() + "; runs llama.cpp " + llamaCppBuild() + " with n_ctx = num_ctx x num_parallel";
    }
}
