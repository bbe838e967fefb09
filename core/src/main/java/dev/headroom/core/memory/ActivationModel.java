package dev.headroom.core;

/**
 * Peak activation memory of one forward pass on one tensor-parallel rank. Layers run one after another,
 * so the peak is the widest layer's live tensors for every token in the pass, plus the residual stream,
 * plus fp32 logits for the sequences being sampled:
 * <pre>
 *   tokens x b_a x (max(ffn width, attention width) / tp + 2 h) + sequences x vocab x 4
 *   ffn width  = 3 x intermediate (gate/up output and activated product alive together);
 *                for MoE, 3 x top-k x expert intermediate (+ shared experts), as fused MoE kernels stage them
 *   attention  = (2 heads + 2 kv_heads) x head_dim  (q, k, v and the attention output)
 * </pre>
 * The vLLM logs in validation/memory.csv (1.26 GiB at 8192 tokens, 2.07 GiB at 20000 tokens for Llama-3 8B)
 * check this term.
 */
final class ActivationModel implements RankMemory.Activation {
    private final long tokenBytes;
    private final long sequenceBytes;

    ActivationModel(ModelSpec m, int tp, long bytesPerValue) {
        long ffn = 0;
        if (!m.isMoe() || m.moe().denseLayers().size() > 0) {
            ffn = 3L * m.intermediateSize();
        }
        if (m.isMoe()) {
            ffn = Math.max(ffn, 3L * m.moe().expertsPerToken() * m.moe().expertIntermediate() + 3L * m.moe().sharedIntermediate());
        }
        Attention a = m.attention();
        long attention = a.isMla()
                ? (long) a.heads() * (a.mla().qkNopeHeadDim() + a.mla().qkRopeHeadDim() + 2L * a.mla().vHeadDim())
                : 2L * (a.heads() + a.kvHeads()) * a.headDim();
        this.tokenBytes = bytesPerValue * (Math.max(ffn, attention) / tp + 2L * m.hiddenSize());
        this.sequenceBytes = 4L * m.vocabSize();
    }

    @Override
    public long peakBytes(long tokens, long sequences) {
        return tokens * tokenBytes + sequences * sequenceBytes;
    }
}
