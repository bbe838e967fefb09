package dev.headroom.core;

/**
 * What one GPU of a deployment holds before the engine sizes its KV pool: the facts an engine budget needs.
 *
 * @param visibleMemoryBytes the total the driver reports for the GPU
 * @param weightsBytes       weights on this rank
 * @param kvBytesPerToken    KV bytes one token occupies on this rank, all layers full length
 * @param sequenceKv         KV bytes one sequence of n tokens holds on this rank when sliding windows are honoured
 * @param overheadBytes      CUDA context, library workspaces and communication buffers on this rank
 * @param activation         peak activation memory of one forward pass on this rank
 * @param rotaryCacheBytes   the rotary-embedding cos/sin table PyTorch engines build at load time
 * @param tp                 tensor-parallel degree (some engine defaults depend on it)
 */
public record RankMemory(long visibleMemoryBytes, long weightsBytes, long kvBytesPerToken, SequenceKv sequenceKv,
                         long overheadBytes,
                         Activation activation, long rotaryCacheBytes, int tp) {

    /** Peak activation bytes of one forward pass over {@code tokens} tokens from {@code sequences} sequences. */
    @FunctionalInterface
    public interface Activation {
        long peakBytes(long tokens, long sequences);
    }

    @FunctionalInterface
    public interface SequenceKv {
        long bytes(long tokens);
    }
}
