package dev.headroom.core.memory;

import dev.headroom.core.engine.RankFacts;
import dev.headroom.core.model.Layer;
import dev.headroom.core.model.ModelSpec;

/**
 * Peak activation memory of one forward pass on one tensor-parallel rank. Layers run one after another,
 * so the peak is the widest layer's live tensors for every token in the pass, plus the residual stream,
 * plus fp32 logits for the sequences being sampled:
 * <pre>
 *   tokens x b_a x (max over layers (ffn width, mixer width) / tp + 2 h) + sequences x vocab x 4
 *   ffn width    = 3 x intermediate (gate/up output and activated product alive together);
 *                  for MoE, 3 x top-k x expert intermediate (+ shared experts), as fused MoE kernels stage them
 *   mixer width  = (2 heads + 2 kv_heads) x head_dim (q, k, v and the attention output), or a state layer's inputs
 * </pre>
 * The vLLM logs in validation/memory.csv (1.26 GiB at 8192 tokens, 2.07 GiB at 20000 tokens for Llama-3 8B)
 * check this term.
 */
final class ActivationModel implements RankFacts.Activation {
    private final long tokenBytes;
    private final long sequenceBytes;

    ActivationModel(ModelSpec m, int tp, long bytesPerValue) {
        long widest = 0;
        for (Layer l : m.layers()) {
            widest = Math.max(widest, Math.max(l.ffn().activationWidth(), l.mixer().activationWidth()));
        }
        this.tokenBytes = bytesPerValue * (widest / tp + 2L * m.hiddenSize());
        this.sequenceBytes = 4L * m.vocabSize();
    }

    @Override
    public long peakBytes(long tokens, long sequences) {
        return dev.headroom.core.base.Checked.add(
                dev.headroom.core.base.Checked.multiply(tokens, tokenBytes, "activation bytes"),
                dev.headroom.core.base.Checked.multiply(sequences, sequenceBytes, "logit bytes"), "activation bytes");
    }
}
