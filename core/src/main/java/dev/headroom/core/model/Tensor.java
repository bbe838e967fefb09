package dev.headroom.core.model;

/**
 * One weight tensor (or, for routed experts, all experts of one layer) under its Hugging Face module name,
 * so a checkpoint's {@code modules_to_not_convert} list can be matched against it.
 *
 * @param layer    decoder layer index, or -1 for embeddings, final norm and lm_head
 * @param tpSplit  how many ways tensor parallelism can split it: 1 for replicated tensors, the KV-head
 *                 count for k/v projections (beyond it heads are replicated), otherwise unlimited
 * @param routed   part of the routed experts (weights or their biases): a token touches only top-k of them
 */
public record Tensor(String name, TensorRole role, long params, int layer, int tpSplit, boolean routed) {
    public static final int ANY_SPLIT = Integer.MAX_VALUE;

    static Tensor of(String name, TensorRole role, long params, int layer, int tpSplit) {
        return new Tensor(name, role, params, layer, tpSplit, role == TensorRole.ROUTED_EXPERTS);
    }

    /** Elements one tensor-parallel rank holds: a 1/tp share, but never less than one replicated KV head. */
    public long paramsPerRank(int tp) {
        int ways = Math.min(tp, tpSplit);
        return Math.floorDiv(params + ways - 1, ways);
    }
}
