package dev.headroom.core.memory;

import dev.headroom.core.engine.RankFacts;
import dev.headroom.core.model.Layer;
import dev.headroom.core.model.ModelSpec;

/**
 * Activation memory of one forward pass on one tensor-parallel rank. Layers run one after another, so the peak is
 * the widest layer's live tensors for every token in the pass, plus the residual stream:
 * <pre>
 *   tokens x b_a x (max over layers (ffn width, mixer width) / tp + 2 h)
 *   ffn width    = 3 x intermediate (gate/up output and activated product alive together);
 *                  for MoE, 3 x top-k x expert intermediate (+ shared experts), as fused MoE kernels stage them
 *   mixer width  = (2 heads + 2 kv_heads) x head_dim (q, k, v and the attention output), or a state layer's inputs
 * </pre>
 * Logits and sampling buffers are the engines' own (rows x vocab, {@link RankFacts#logitsBytes}). The vLLM logs in
 * validation/memory.csv (2.07 GiB at 20,000 tokens and 2.99 GiB at 29,000 for Llama-3.1-8B, M04/M05) check this term.
 */
final class ActivationModel implements RankFacts.Activation {
    private final long tokenBytes;

    ActivationModel(ModelSpec m, int tp, long bytesPerValue) {
        long widest = 0;
        for (Layer l : m.layers()) {
            widest = Math.max(widest, Math.max(l.ffn().activationWidth(), l.mixer().activationWidth()));
        }
        this.tokenBytes = bytesPerValue * (widest / tp + 2L * m.hiddenSize());
    }

    @Override
    public long forwardBytes(long tokens) {
        return dev.headroom.core.base.Checked.multiply(tokens, tokenBytes, "activation bytes");
    }
}
