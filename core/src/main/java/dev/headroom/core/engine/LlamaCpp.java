package dev.headroom.core;

import java.util.ArrayList;
import java.util.List;

/**
 * llama.cpp: the KV cache is n_ctx tokens (f16 unless the cache type is set), shared by n_parallel
 * slots of n_ctx / n_parallel tokens each; compute buffers are sized for one micro-batch of n_ubatch
 * tokens in f32. Sliding-window layers keep only their window.
 */
public record LlamaCpp(int nCtx, int nParallel, int nUbatch) implements Engine {
    public LlamaCpp {
        Engine.requirePositive("n_ctx", nCtx);
        Engine.requirePositive("n_parallel", nParallel);
        Engine.requirePositive("n_ubatch", nUbatch);
        if (nCtx % nParallel != 0) {
            throw InvalidInputException.field("n_parallel", nParallel, "must divide n_ctx = " + nCtx);
        }
    }

    public static LlamaCpp defaults() {
        return new LlamaCpp(4096, 1, 512);
    }

    @Override
    public String name() {
        return "llamacpp";
    }

    public LlamaCpp withNCtx(int n) {
        return new LlamaCpp(n, nParallel, nUbatch);
    }

    public LlamaCpp withNParallel(int n) {
        return new LlamaCpp(nCtx, n, nUbatch);
    }

    @Override
    public Engine withMaxLength(int tokens) {
        return withNCtx(tokens);
    }

    @Override
    public KvPool reserve(RankMemory rank, ModelSpec model, Workload workload) {
        int len = Engine.maxModelLen(nCtx, model, "n_ctx");
        int perSlot = len / nParallel;
        List<String> notes = new ArrayList<>();
        notes.add("llamacpp: n_ctx=" + len + ", n_parallel=" + nParallel + " (" + perSlot + " tokens per slot), n_ubatch=" + nUbatch);
        long kv = nParallel * rank.sequenceKv().bytes(perSlot);
        // ggml computes activations in f32: twice the bytes of a 16-bit engine's forward.
        long compute = 2 * rank.activation().peakBytes(Math.min(nUbatch, len), 1);
        return new KvPool(rank.weightsBytes(), compute, rank.overheadBytes(), kv, len, len, 1, perSlot,
                rank.visibleMemoryBytes(), nParallel, notes);
    }
}
