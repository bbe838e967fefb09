package dev.headroom.core.memory;

import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.KvPool;
import dev.headroom.core.engine.RankFacts;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.precision.Precision;
import java.util.List;

/**
 * Memory facts of one deployment that no workload changes, computed once: weights per stage, what a
 * sequence caches per stage, and the engine's KV pool on each stage (unless the engine sizes its pool per
 * batch). An estimate for a workload is arithmetic over this.
 *
 * @param weights      the weight format in effect (the checkpoint's when none was chosen)
 * @param kv           the KV cache format in effect (the engine's default when none was chosen)
 * @param weightsBytes weights of one whole copy of the model
 * @param kvBytesPerToken KV bytes of one token over all layers of one copy (no split, no windows)
 * @param stages       one per pipeline stage
 */
public record MemoryProfile(ModelProfile model, Deployment deployment, Precision weights, Precision kv, long weightsBytes,
                            long kvBytesPerToken, long rotaryBytes, List<Stage> stages) {
    public MemoryProfile {
        stages = List.copyOf(stages);
    }

    /**
     * One pipeline stage's rank.
     *
     * @param pool               the engine's pool, or null when the engine sizes it per workload
     * @param cudaGraphBytes     what the engine's CUDA graphs take on this rank (0 for engines that capture none)
     * @param largestMaxModelLen the longest request the pool holds ({@link #largestMaxModelLen(KvPool, int)}); 0 when
     *                           the pool is sized per workload
     */
    public record Stage(int firstLayer, int lastLayer, RankFacts rank, KvPool pool, long cudaGraphBytes, int largestMaxModelLen) {}

    /**
     * The largest max length whose one request fits {@code pool}, up to {@code cap} (the model's own limit); 0 when the
     * engine does not start at all.
     */
    static int largestMaxModelLen(KvPool pool, int cap) {
        if (!pool.starts() && pool.kvBytes() == 0) {
            return 0;
        }
        return pool.longestRequest(cap);
    }

    /**
     * The stage that sets the capacity (engines take the minimum over ranks): one that refuses to start, else the one
     * whose pool holds the fewest blocks; fixed pools only.
     */
    Stage bindingStage() {
        Stage binding = stages.get(0);
        for (Stage s : stages) {
            if (binds(s.pool(), binding.pool())) {
                binding = s;
            }
        }
        return binding;
    }

    /** Whether {@code candidate} binds harder than {@code current}. */
    static boolean binds(KvPool candidate, KvPool current) {
        if (candidate.starts() != current.starts()) {
            return !candidate.starts();
        }
        return candidate.blocks() < current.blocks();
    }
}
