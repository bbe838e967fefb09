package dev.headroom.core;

import java.util.List;

/**
 * What an engine reserves on one GPU: its KV pool and the terms it subtracted to get there.
 *
 * @param weightsBytes    weights as the engine accounts them (PyTorch engines add the rotary table)
 * @param kvBytes         the KV pool actually allocated (whole blocks)
 * @param tokens          tokens the pool holds
 * @param blocks          paged blocks (equal to tokens for engines without blocks)
 * @param maxModelLen     longest sequence the engine admits
 * @param budgetBytes     memory the engine allows itself (e.g. total x gpu_memory_utilization)
 * @param maxSequences    sequences the engine runs at once, by its own limit (not by KV)
 * @param notes           the knobs and defaults used, in the engine's own words
 */
public record KvPool(long weightsBytes, long activationBytes, long overheadBytes, long kvBytes, long tokens, long blocks,
                     int blockSize, int maxModelLen, long budgetBytes, int maxSequences, List<String> notes) {
    public KvPool {
        notes = List.copyOf(notes);
    }

    public long totalBytes() {
        return weightsBytes + activationBytes + overheadBytes + Math.max(0, kvBytes);
    }

    /** Concurrent sequences of {@code tokens} each that the pool holds, counting whole blocks per sequence. */
    public long sequencesOf(long sequenceTokens) {
        if (kvBytes <= 0 || sequenceTokens <= 0) {
            return 0;
        }
        long blocksPerSequence = Math.floorDiv(sequenceTokens + blockSize - 1, blockSize);
        return blocks / blocksPerSequence;
    }
}
