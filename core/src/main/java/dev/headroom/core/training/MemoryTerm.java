package dev.headroom.core.training;

/**
 * One named part of a GPU's memory during training.
 *
 * @param name  the column name the term has in every output ("gradients_bytes_per_gpu" without the suffix)
 * @param bytes exact bytes on the busiest GPU
 * @param how   how it was counted, in words
 */
public record MemoryTerm(String name, String label, long bytes, String how) {
    public MemoryTerm {
        if (bytes < 0) {
            throw new IllegalStateException("negative memory term " + name + ": " + bytes);
        }
    }
}
