package dev.headroom.core.engine;

/**
 * What an engine reserves on one GPU: its KV pool and the terms it subtracted to get there.
 *
 * @param weightsBytes    weights as the engine accounts them (PyTorch engines add the rotary table)
 * @param budgetBytes     memory the engine allows itself (e.g. total x gpu_memory_utilization)
 * @param kvBytes         the KV pool actually allocated (whole blocks); 0 when the engine would not start
 * @param shortfallBytes  how far weights, activations and overhead exceed the budget; 0 when the engine starts
 * @param tokens          tokens the pool holds
 * @param blocks          paged blocks (equal to tokens for engines without blocks)
 * @param maxModelLen     longest sequence the engine admits
 * @param maxSequences    sequences the engine runs at once, by its own limit (not by KV)
 */
public record KvPool(long weightsBytes, long activationBytes, long overheadBytes, long budgetBytes, long kvBytes,
                     long shortfallBytes, long tokens, long blocks, int blockSize, int maxModelLen, int maxSequences) {

    /** A pool cut from {@code free} bytes (negative when the fixed terms exceed the budget) in blocks of {@code blockBytes}. */
    public static KvPool ofFree(long weightsBytes, long activationBytes, long overheadBytes, long budgetBytes, long free,
                                int blockSize, long blockBytes, int maxModelLen, int maxSequences) {
        long blocks = free <= 0 ? 0 : free / blockBytes;
        return new KvPool(weightsBytes, activationBytes, overheadBytes, budgetBytes, blocks * blockBytes,
                Math.max(0, -free), blocks * blockSize, blocks, blockSize, maxModelLen, maxSequences);
    }

    /**
     * A cache reserved up front (a static cache, llama.cpp's n_ctx): its full size is reported whether or not it
     * fits, and the shortfall is what the GPU lacks for all of it.
     */
    public static KvPool reserved(long weightsBytes, long activationBytes, long overheadBytes, long visibleBytes, long kvBytes,
                                  long tokens, long blocks, int blockSize, int maxModelLen, int maxSequences) {
        long total = weightsBytes + activationBytes + overheadBytes + kvBytes;
        return new KvPool(weightsBytes, activationBytes, overheadBytes, visibleBytes, kvBytes, Math.max(0, total - visibleBytes),
                tokens, blocks, blockSize, maxModelLen, maxSequences);
    }

    /** The engine starts: its fixed terms fit the budget. */
    public boolean starts() {
        return shortfallBytes == 0;
    }

    public long totalBytes() {
        return weightsBytes + activationBytes + overheadBytes + kvBytes;
    }

    /** Concurrent sequences of {@code sequenceTokens} each that the pool holds, counting whole blocks per sequence. */
    public long sequencesOf(long sequenceTokens) {
        if (kvBytes <= 0 || sequenceTokens <= 0) {
            return 0;
        }
        long blocksPerSequence = Math.floorDiv(sequenceTokens + blockSize - 1, blockSize);
        return blocks / blocksPerSequence;
    }
}
