package dev.headroom.core.engine;

import dev.headroom.core.model.KvLayout;

/**
 * What one GPU of a deployment holds before the engine sizes its KV pool: the facts an engine budget needs.
 *
 * @param visibleMemoryBytes the total the driver reports for the GPU
 * @param weightsBytes       weights on this rank
 * @param kv                 what one sequence caches on this rank (full, windowed and recurrent layers)
 * @param overheadBytes      CUDA context, library workspaces and communication buffers on this rank
 * @param activation         peak activation memory of one forward pass on this rank
 * @param rotaryCacheBytes   the rotary-embedding cos/sin table PyTorch engines build at load time
 * @param tp                 tensor-parallel degree (some engine defaults depend on it)
 * @param pp                 pipeline-parallel degree
 */
public record RankFacts(long visibleMemoryBytes, long weightsBytes, KvLayout kv, long overheadBytes,
                        Activation activation, long rotaryCacheBytes, int tp, int pp) {

    /** Peak activation bytes of one forward pass over {@code tokens} tokens from {@code sequences} sequences. */
    @FunctionalInterface
    public interface Activation {
        long peakBytes(long tokens, long sequences);
    }

    /** KV bytes of one token on this rank with every layer at full length: what block-based pools divide by. */
    public long kvBytesPerToken() {
        return kv.allBytesPerToken();
    }
}
