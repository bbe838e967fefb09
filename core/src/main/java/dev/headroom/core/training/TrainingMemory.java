package dev.headroom.core.training;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.base.Checked;
import java.util.List;
import java.util.Locale;

/**
 * Memory of the busiest GPU (the pipeline stage with the most), by named term, and the host memory offloading
 * needs. {@link #allocatedBytes} is what torch.cuda.max_memory_allocated reports; {@link #reservedBytes} adds the
 * caching allocator's fragmentation (torch.cuda.max_memory_reserved); {@link #totalBytes} adds the CUDA context
 * (what nvidia-smi shows), and is what must fit.
 *
 * @param params          parameters of the model
 * @param trainableParams parameters that receive gradients (all, or LoRA's adapters)
 * @param hostBytes       host memory per node for offloaded model states (DeepSpeed's own estimate under ZeRO-2/3)
 * @param stage           the pipeline stage these terms belong to
 */
public record TrainingMemory(long params, long trainableParams, MemoryTerm weights, MemoryTerm master, MemoryTerm gradients,
                             MemoryTerm optimizer, MemoryTerm gathered, MemoryTerm activations, MemoryTerm logits,
                             MemoryTerm buffers, MemoryTerm fragmentation, MemoryTerm context, long hostBytes,
                             long gpuMemoryBytes, int stage) {

    /** The terms in the order a stacked chart shows them. */
    public List<MemoryTerm> terms() {
        return List.of(weights, master, gradients, optimizer, gathered, activations, logits, buffers, fragmentation, context);
    }

    /** Weights, master copies, gradients, optimizer states and ZeRO-3's gathered layer: DeepSpeed's "model states". */
    public long modelStatesBytes() {
        return sum(weights, master, gradients, optimizer, gathered);
    }

    /** Peak bytes allocated by tensors (torch.cuda.max_memory_allocated). */
    public long allocatedBytes() {
        return Checked.add(modelStatesBytes(), sum(activations, logits, buffers), "allocated bytes per GPU");
    }

    /** Allocated plus what the caching allocator holds unused (torch.cuda.max_memory_reserved). */
    public long reservedBytes() {
        return Checked.add(allocatedBytes(), fragmentation.bytes(), "reserved bytes per GPU");
    }

    /** Everything on the GPU: reserved memory plus the CUDA context. */
    public long totalBytes() {
        return Checked.add(reservedBytes(), context.bytes(), "bytes per GPU");
    }

    private static long sum(MemoryTerm... terms) {
        long n = 0;
        for (MemoryTerm t : terms) {
            n = Checked.add(n, t.bytes(), "bytes of " + t.label() + " per GPU");
        }
        return n;
    }

    public boolean fits() {
        return totalBytes() <= gpuMemoryBytes;
    }

    public long headroomBytes() {
        return gpuMemoryBytes - totalBytes();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-26s %12s  %s%n", "memory per GPU (GiB)", "", stage > 0 ? "(pipeline stage " + stage + ")" : ""));
        for (MemoryTerm t : terms()) {
            b.append(String.format(Locale.ROOT, "  %-24s %12s  %s%n", t.label(), Bytes.of(t.bytes()), t.how()));
        }
        b.append(String.format(Locale.ROOT, "  %-24s %12s  of %s: %s%n", "total", Bytes.of(totalBytes()), Bytes.of(gpuMemoryBytes),
                fits() ? "fits" : "does NOT fit (" + Bytes.of(-headroomBytes()) + " short)"));
        if (hostBytes > 0) {
            b.append(String.format(Locale.ROOT, "  %-24s %12s%n", "host memory per node", Bytes.of(hostBytes)));
        }
        return b.toString();
    }
}
