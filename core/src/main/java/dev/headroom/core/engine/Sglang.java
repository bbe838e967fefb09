package dev.headroom.core.engine;

import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.workload.Workload;
import java.util.List;

/**
 * SGLang: the static pool (weights + KV) is total x mem_fraction_static, so
 * KV = total x mem_fraction_static - weights - runtime overhead; activations live in the rest.
 * The default fraction follows SGLang's own choice by tensor-parallel size. Token-granular pages.
 */
public record Sglang(Release release, Double memFractionStatic, Integer contextLength, int chunkedPrefillSize,
                     int maxRunningRequests) implements Engine {
    public static final List<Release> RELEASES = List.of(
            // python/sglang/srt/server_args.py (v0.4.x): mem_fraction_static by tp_size.
            new Release("0.4", "github:sgl-project/sglang python/sglang/srt/server_args.py@v0.4.0 __post_init__"));

    public Sglang {
        if (memFractionStatic != null) {
            Engine.requireFraction("mem_fraction_static", memFractionStatic);
        }
        Engine.requirePositive("context_length", contextLength);
        Engine.requirePositive("chunked_prefill_size", chunkedPrefillSize);
        Engine.requirePositive("max_running_requests", maxRunningRequests);
    }

    public static Sglang defaults() {
        return at(null);
    }

    public static Sglang at(String version) {
        return new Sglang(Release.resolve("sglang", version, RELEASES), null, null, 8192, 4096);
    }

    @Override
    public String id() {
        return "sglang";
    }

    public Sglang withMemFractionStatic(Double f) {
        return new Sglang(release, f, contextLength, chunkedPrefillSize, maxRunningRequests);
    }

    public Sglang withContextLength(Integer n) {
        return new Sglang(release, memFractionStatic, n, chunkedPrefillSize, maxRunningRequests);
    }

    public Sglang withChunkedPrefillSize(int n) {
        return new Sglang(release, memFractionStatic, contextLength, n, maxRunningRequests);
    }

    public Sglang withMaxRunningRequests(int n) {
        return new Sglang(release, memFractionStatic, contextLength, chunkedPrefillSize, n);
    }

    /** SGLang's server_args default: more GPUs leave more room for communication buffers. */
    static double defaultFraction(int tp) {
        return tp >= 16 ? 0.79 : tp >= 8 ? 0.81 : tp >= 4 ? 0.85 : tp >= 2 ? 0.87 : 0.88;
    }

    @Override
    public Integer maxLength() {
        return contextLength;
    }

    @Override
    public Engine withMaxLength(int tokens) {
        return withContextLength(tokens);
    }

    @Override
    public Engine with(String knob, String value) {
        return switch (knob) {
            case "mem_fraction_static" -> withMemFractionStatic(Engine.doubleValue(id(), knob, value));
            case "context_length" -> withContextLength(Engine.intValue(id(), knob, value));
            case "chunked_prefill_size" -> withChunkedPrefillSize(Engine.intValue(id(), knob, value));
            case "max_running_requests" -> withMaxRunningRequests(Engine.intValue(id(), knob, value));
            default -> throw Engine.unknownKnob(this, knob);
        };
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                new Setting("mem_fraction_static", memFractionStatic == null ? "default by tp" : memFractionStatic.toString(),
                        "share of GPU memory for weights and the KV pool"),
                new Setting("context_length", contextLength == null ? "model default" : contextLength.toString(), "longest sequence admitted"),
                new Setting("chunked_prefill_size", String.valueOf(chunkedPrefillSize), "prompt tokens per forward pass"),
                new Setting("max_running_requests", String.valueOf(maxRunningRequests), "requests running at once"));
    }

    @Override
    public boolean buildsRotaryTable() {
        return true;
    }

    @Override
    public String describe(RankFacts rank) {
        double fraction = memFractionStatic != null ? memFractionStatic : defaultFraction(rank.tp());
        return describe().replace("mem_fraction_static=default by tp", "mem_fraction_static=" + fraction
                + (memFractionStatic == null ? " (default for tp=" + rank.tp() + ")" : ""));
    }

    /**
     * SGLang admits a request when the pool holds its tokens plus new_token_ratio x its remaining output for every
     * running request; the ratio decays from 0.7 to 0.7 x 0.14 over 600 steps and stays there while nothing is
     * retracted (python/sglang/global_config.py and managers/scheduler.py, v0.4.9). Averaged over a request's life:
     * prompt + half the output used + the floor ratio x half the output reserved.
     */
    static final double STEADY_NEW_TOKEN_RATIO = 0.7 * 0.14;

    @Override
    public double heldTokensPerRequest(int input, int output) {
        return input + output / 2.0 * (1 + STEADY_NEW_TOKEN_RATIO);
    }

    @Override
    public int tokensPerStep(ModelSpec model) {
        return chunkedPrefillSize;
    }

    @Override
    public KvPool reserve(RankFacts rank, ModelSpec model, Workload workload) {
        int len = Engine.maxModelLen(contextLength, model, "context_length");
        double fraction = memFractionStatic != null ? memFractionStatic : defaultFraction(rank.tp());
        long budget = (long) Math.floor(rank.visibleMemoryBytes() * fraction);
        long weights = rank.weightsBytes() + rank.rotaryCacheBytes();
        long activation = rank.activation().peakBytes(chunkedPrefillSize, Math.min(maxRunningRequests, chunkedPrefillSize));
        long free = budget - weights - rank.overheadBytes();
        return KvPool.ofFree(weights, activation, rank.overheadBytes(), budget, free, 1, rank.kvBytesPerToken(), len, maxRunningRequests);
    }
}
