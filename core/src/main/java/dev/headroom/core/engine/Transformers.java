package dev.headroom.core;

import java.util.List;

/**
 * A pre-allocated cache, as plain Hugging Face transformers uses: every one of the batch's sequences
 * reserves max_length tokens up front (the workload's input + output when no length is set).
 */
public record StaticCache(Integer maxLength) implements Engine {
    public StaticCache {
        Engine.requirePositive("max_length", maxLength);
    }

    public static StaticCache defaults() {
        return new StaticCache(null);
    }

    @Override
    public String name() {
        return "static";
    }

    public StaticCache withMaxLength(Integer n) {
        return new StaticCache(n);
    }

    @Override
    public Engine withMaxLength(int tokens) {
        return new StaticCache(tokens);
    }

    @Override
    public KvPool reserve(RankMemory rank, ModelSpec model, Workload workload) {
        int len = Engine.maxModelLen(maxLength != null ? maxLength : workload.contextTokens(), model, "max_length");
        long kv = workload.batch() * rank.sequenceKv().bytes(len);
        // The prefill of the whole batch is the peak: batch x prompt tokens in one forward.
        long activation = rank.activation().peakBytes((long) workload.batch() * workload.inputTokens(), workload.batch());
        return new KvPool(rank.weightsBytes(), activation, rank.overheadBytes(), kv, (long) workload.batch() * len,
                workload.batch(), len, len, rank.visibleMemoryBytes(), workload.batch(),
                List.of("static: max_length=" + len + (maxLength == null ? " (input + output)" : "") + " reserved for each of "
                        + workload.batch() + " sequences"));
    }
}
