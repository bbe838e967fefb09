package dev.headroom.core.engine;

import dev.headroom.core.base.Checked;
import dev.headroom.core.model.KvLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * How vLLM pages one rank's KV cache (vllm/v1/core/kv_cache_utils.py get_kv_cache_groups, vllm/v1/kv_cache_interface.py).
 * Without the hybrid allocator every attention layer is paged as full attention and one block spans all of them.
 * With it, layers are grouped by kind (full, each sliding window, Mamba/linear state) into groups of equal size; all
 * groups draw blocks of one unified page from one pool, so a sliding-window layer holds only its window and a
 * recurrent layer one state per request. Mamba hybrids enlarge the attention block until its page covers a state
 * ("Setting attention block size to N tokens to ensure that attention page size is >= mamba page size").
 *
 * @param blockSize        tokens per attention block
 * @param pageBytes        bytes of one block of one layer (non-hybrid: of every attention layer together)
 * @param groupSize        layers one block index spans in each group (1 without the hybrid allocator)
 * @param groups           the groups, each a kind: 0 for full attention, a window for sliding layers, -1 for state
 * @param maxBatchedTokens max_num_batched_tokens: a sliding layer keeps its window plus one step's new tokens
 */
record VllmKvGroups(int blockSize, long pageBytes, int groupSize, List<Integer> groups, long maxBatchedTokens) {
    static final int FULL = 0;
    static final int STATE = -1;
    /** vLLM aligns an enlarged attention block to the kernels' block alignment (16 tokens). */
    static final int KERNEL_BLOCK_ALIGNMENT = 16;

    VllmKvGroups {
        groups = List.copyOf(groups);
    }

    /** Every attention layer as full attention, one block spanning all layers (V0, V1 before the hybrid allocator). */
    static VllmKvGroups uniform(KvLayout kv, int blockSize, long maxBatchedTokens) {
        long page = Checked.multiply(blockSize, kv.allBytesPerToken(), "KV block bytes");
        return new VllmKvGroups(blockSize, Math.max(page, 1), 1, List.of(FULL), maxBatchedTokens);
    }

    /**
     * The hybrid allocator's grouping. {@code requestedBlockSize} null: vLLM's default (16, enlarged for state layers).
     */
    static VllmKvGroups hybrid(KvLayout kv, Integer requestedBlockSize, long maxBatchedTokens) {
        TreeMap<Integer, Integer> layersByKind = new TreeMap<>();
        long attentionBytesPerToken = 0;
        long stateBytes = 0;
        for (KvLayout.LayerCache l : kv.layers()) {
            int kind = l.isRecurrent() ? STATE : l.isSliding() ? l.window() : l.isFull() ? FULL : Integer.MIN_VALUE;
            if (kind == Integer.MIN_VALUE) {
                continue; // a layer that caches nothing (no mixer)
            }
            layersByKind.merge(kind, 1, Integer::sum);
            attentionBytesPerToken = Math.max(attentionBytesPerToken, l.bytesPerToken());
            stateBytes = Math.max(stateBytes, l.stateBytes());
        }
        if (layersByKind.size() <= 1 && !layersByKind.containsKey(STATE)) {
            int bs = requestedBlockSize != null ? requestedBlockSize : Vllm.DEFAULT_BLOCK_SIZE;
            VllmKvGroups one = uniform(kv, bs, maxBatchedTokens);
            return new VllmKvGroups(one.blockSize, one.pageBytes, 1, List.copyOf(layersByKind.isEmpty()
                    ? List.of(FULL) : layersByKind.keySet()), maxBatchedTokens);
        }
        int bs = requestedBlockSize != null ? requestedBlockSize : Vllm.DEFAULT_BLOCK_SIZE;
        if (requestedBlockSize == null && stateBytes > 0 && attentionBytesPerToken > 0) {
            long perAlignedBlock = KERNEL_BLOCK_ALIGNMENT * attentionBytesPerToken;
            bs = Checked.toInt(KERNEL_BLOCK_ALIGNMENT * Math.max(1, Math.floorDiv(stateBytes + perAlignedBlock - 1, perAlignedBlock)),
                    "attention block size");
        }
        long page = Math.max(Checked.multiply(bs, attentionBytesPerToken, "KV page bytes"), stateBytes);
        int min = layersByKind.values().stream().min(Integer::compare).orElse(1);
        int max = layersByKind.values().stream().max(Integer::compare).orElse(1);
        int groupSize = max < 1.5 * min ? max : min;
        List<Integer> groups = new ArrayList<>();
        layersByKind.forEach((kind, count) -> {
            for (int g = 0; g < Math.floorDiv(count + groupSize - 1, groupSize); g++) {
                groups.add(kind);
            }
        });
        return new VllmKvGroups(bs, Math.max(page, 1), groupSize, groups, maxBatchedTokens);
    }

    /** Bytes of one block index across the layers it spans. */
    long blockBytes() {
        return Checked.multiply(pageBytes, groupSize, "KV block bytes");
    }

    /** Blocks the available memory holds (0 when none). */
    long blocks(long available) {
        return available <= 0 ? 0 : available / blockBytes();
    }

    /** Blocks one request of {@code tokens} tokens takes: the sum over groups of each group's need. */
    long blocksFor(long tokens) {
        long sum = 0;
        for (int kind : groups) {
            long need;
            if (kind == STATE) {
                need = 1;
            } else if (kind == FULL) {
                need = ceil(tokens, blockSize);
            } else {
                // kv_cache_interface.py SlidingWindowSpec.max_memory_usage_bytes: the window plus one step, and one spare block.
                need = ceil(Math.min(kind - 1 + maxBatchedTokens, tokens), blockSize) + 1;
            }
            sum += need;
        }
        return sum;
    }

    /** "GPU KV cache size: N tokens", by the release's formula. */
    long tokensLine(long blocks, VllmRelease.TokensLine line, int maxModelLen) {
        return switch (line) {
            case BLOCKS -> blocks * blockSize;
            case BLOCKS_PER_GROUP -> blocks / groups.size() * blockSize;
            case CONCURRENCY_TIMES_LENGTH -> (long) ((double) blocks / blocksFor(maxModelLen) * maxModelLen);
        };
    }

    private static long ceil(long a, long b) {
        return Math.floorDiv(a + b - 1, b);
    }
}
