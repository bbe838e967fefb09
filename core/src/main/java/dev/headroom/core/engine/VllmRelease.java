package dev.headroom.core.engine;

import java.util.List;

/**
 * What one vLLM release charges before its KV cache and how it reports the pool. Each field is a rule read in the
 * engine's source (or the PR that changed it) at that version; the list below is every release whose rules differ.
 *
 * @param accounting          which memory the profile run charges against total x gpu_memory_utilization
 * @param v1Default           the V1 engine runs unless VLLM_USE_V1=0 (V1 default since v0.8.0)
 * @param v0Available         the V0 engine still exists (removed in v0.11)
 * @param v1BatchDefaults     V1's max_num_batched_tokens / max_num_seqs by GPU size; A100s excluded from the large
 *                            defaults since PR #17885
 * @param hybridAllocator     V1 pages sliding-window, full and Mamba layers in separate groups of one pool (the hybrid
 *                            KV cache manager) instead of treating every layer as full attention
 * @param tokensLine          how "GPU KV cache size: N tokens" is computed
 * @param warmsUpAfterKv      V1 captures CUDA graphs and re-runs the sampler after the KV cache is allocated, in the
 *                            memory total x (1 - gpu_memory_utilization) leaves
 * @param deductsCudaGraphs   CUDA-graph memory is estimated and subtracted from the KV budget
 */
record VllmRelease(Release release, Accounting accounting, boolean v1Default, boolean v0Available, boolean v1BatchDefaults,
                   boolean excludesA100, boolean hybridAllocator, TokensLine tokensLine, boolean warmsUpAfterKv,
                   boolean deductsCudaGraphs) {

    /** Which memory the profile charges, besides weights and the activation peak. */
    enum Accounting {
        /** peak = total - free after the profile run: the CUDA context, cached blocks and NCCL all count (PR #2031). */
        DEVICE_USED,
        /** torch peak allocated + (device used - torch reserved): context and NCCL count (PR #9352). */
        TORCH_PEAK_PLUS_NON_TORCH,
        /** Increase since a baseline taken before the CUDA context: context and NCCL count (PR #10511). */
        INCREASE_INCLUDING_CONTEXT,
        /** Increase since a baseline taken after the CUDA context, before NCCL: NCCL counts (PR #12126; V1 PR #19312). */
        INCREASE_SINCE_START,
        /** V1 before PR #19312: torch peak + (device used - torch allocated): context and NCCL count. */
        V1_DEVICE_MINUS_ALLOCATED,
        /** Baseline taken after the distributed setup (PR #25359): NCCL sits in the baseline and is not charged. */
        INCREASE_AFTER_DISTRIBUTED
    }

    /** "GPU KV cache size: N tokens" over the versions. */
    enum TokensLine {
        /** num_blocks x block_size (PR #13596). */
        BLOCKS,
        /** num_blocks // groups x block_size (the hybrid allocator). */
        BLOCKS_PER_GROUP,
        /** int(max_concurrency x max_model_len) (vllm#51041 per MODEL.md; release not verified). */
        CONCURRENCY_TIMES_LENGTH
    }

    static final List<VllmRelease> ALL = List.of(
            new VllmRelease(new Release("0.2.5", "github:vllm-project/vllm pull/2031 (vllm/worker/worker.py profile_num_available_blocks: "
                    + "peak = total - free after the profile run)"), Accounting.DEVICE_USED, false, true, false, false, false,
                    TokensLine.BLOCKS, false, false),
            new VllmRelease(new Release("0.6.4", "github:vllm-project/vllm pull/9352 (vllm/worker/worker.py determine_num_available_blocks: "
                    + "torch.cuda.memory_stats peak + non-torch memory); chunked prefill by default above max_model_len 32768 "
                    + "(vllm/engine/arg_utils.py)"), Accounting.TORCH_PEAK_PLUS_NON_TORCH, false, true, false, false, false,
                    TokensLine.BLOCKS, false, false),
            new VllmRelease(new Release("0.6.5", "github:vllm-project/vllm pull/10511 (vllm/utils.py memory_profiling: weights + "
                    + "torch peak increase + non-torch increase)"), Accounting.INCREASE_INCLUDING_CONTEXT, false, true, false, false,
                    false, TokensLine.BLOCKS, false, false),
            new VllmRelease(new Release("0.7.0", "github:vllm-project/vllm pull/12126 (memory_profiling baseline after the CUDA "
                    + "context)"), Accounting.INCREASE_SINCE_START, false, true, false, false, false, TokensLine.BLOCKS, false, false),
            new VllmRelease(new Release("0.8.0", "github:vllm-project/vllm vllm/v1/worker/gpu_worker.py@0012cf691b7e69423244d2b1405f4b6832156e19 "
                    + "determine_available_memory (V1 by default; peak = torch peak + device used - torch allocated); "
                    + "vllm/engine/arg_utils.py _set_default_args_v1"), Accounting.V1_DEVICE_MINUS_ALLOCATED, true, true, true,
                    false, false, TokensLine.BLOCKS, false, false),
            new VllmRelease(new Release("0.9.0", "github:vllm-project/vllm pull/17885 (large batch defaults not for A100)"),
                    Accounting.V1_DEVICE_MINUS_ALLOCATED, true, true, true, true, false, TokensLine.BLOCKS, false, false),
            new VllmRelease(new Release("0.9.2", "github:vllm-project/vllm pull/19312 (V1 reuses memory_profiling; baseline before "
                    + "NCCL)"), Accounting.INCREASE_SINCE_START, true, true, true, true, false, TokensLine.BLOCKS, false, false),
            new VllmRelease(new Release("0.10.0", "github:vllm-project/vllm vllm/v1/core/kv_cache_utils.py (hybrid KV cache manager: "
                    + "groups of equal layer count, num_blocks // groups tokens line); vllm/v1/worker/gpu_worker.py "
                    + "compile_or_warm_up_model (graphs and sampler warm-up after the KV cache)"), Accounting.INCREASE_SINCE_START,
                    true, true, true, true, true, TokensLine.BLOCKS_PER_GROUP, true, false),
            new VllmRelease(new Release("0.11.0", "github:vllm-project/vllm vllm/v1/worker/gpu_worker.py@35d5cda123ec28581759b6d34cde8052314fb1e6 "
                    + "init_device (pull/25359: snapshot after the distributed setup; V0 removed)"),
                    Accounting.INCREASE_AFTER_DISTRIBUTED, true, false, true, true, true, TokensLine.BLOCKS_PER_GROUP, true, false),
            new VllmRelease(new Release("0.21.0", "github:vllm-project/vllm vllm/v1/worker/gpu_worker.py determine_available_memory "
                    + "(CUDA graph memory profiling enabled by default since v0.21.0); GPU KV cache size = max concurrency x "
                    + "max_model_len (vllm#51041 per MODEL.md, release not verified)"), Accounting.INCREASE_AFTER_DISTRIBUTED, true,
                    false, true, true, true, TokensLine.CONCURRENCY_TIMES_LENGTH, true, true));

    static List<Release> releases() {
        return ALL.stream().map(VllmRelease::release).toList();
    }

    static VllmRelease of(Release r) {
        for (VllmRelease v : ALL) {
            if (v.release.equals(r)) {
                return v;
            }
        }
        throw new IllegalArgumentException("no vLLM rules for release " + r.version());
    }
}
