package dev.headroom.core.model;

import static dev.headroom.core.model.Tensor.ANY_SPLIT;
import static dev.headroom.core.model.TensorRole.ATTENTION;
import static dev.headroom.core.model.TensorRole.VECTOR;

import dev.headroom.core.precision.Precision;
import java.util.List;

/**
 * Multi-head attention with {@code kvHeads} key/value heads (MHA when equal to heads, GQA below, MQA at one),
 * caching kv_heads x (head_dim + value head_dim) values per token. Under tensor parallelism each rank holds
 * max(1, kv_heads / tp) heads: heads are replicated once tp exceeds them.
 *
 * @param headDim     as published in config.json; only when absent is it hidden/heads
 * @param valueHeadDim width of each value head: head_dim, except where a family states its own (MiMo-V2-Flash's
 *                    v_head_dim 128 beside head_dim 192)
 * @param qkvBias     q/k/v projections carry biases (Qwen2, gpt-oss, GPT-NeoX)
 * @param outputBias  the output projection carries a bias (gpt-oss, GPT-NeoX, phi-2)
 * @param queryKeyNorm RMSNorm on queries and keys: per head (Qwen3, Gemma 3) or over the whole projection (OLMo 2)
 * @param sinks       one learned attention-sink logit per head (gpt-oss)
 * @param queryGate   the query projection also produces an output gate (Qwen3-Next: q_proj is twice as wide)
 * @param window      tokens a sliding-window (or chunked) layer keeps; 0 for full attention
 */
public record Attention(int heads, int kvHeads, int headDim, int valueHeadDim, boolean qkvBias, boolean outputBias, QkNorm queryKeyNorm,
                        boolean sinks, boolean queryGate, int window) implements TokenMixer {

    /** Plain full attention without biases or norms (Llama). */
    public static Attention of(int heads, int kvHeads, int headDim) {
        return new Attention(heads, kvHeads, headDim, headDim, false, false, QkNorm.NONE, false, false, 0);
    }

    public Attention withWindow(int tokens) {
        return new Attention(heads, kvHeads, headDim, valueHeadDim, qkvBias, outputBias, queryKeyNorm, sinks, queryGate, tokens);
    }

    /** Whether queries and keys are normalised at all. */
    public boolean qkNorm() {
        return queryKeyNorm != QkNorm.NONE;
    }

    public int kvHeadsPerRank(int tp) {
        return Math.max(1, kvHeads / tp);
    }

    @Override
    public void tensors(String p, int layer, long hidden, List<Tensor> out) {
        long q = (long) heads * headDim;
        long k = (long) kvHeads * headDim;
        long v = (long) kvHeads * valueHeadDim;
        long o = (long) heads * valueHeadDim;
        String s = p + "self_attn.";
        out.add(Tensor.of(s + "q_proj", ATTENTION, hidden * q * (queryGate ? 2 : 1), layer, ANY_SPLIT));
        out.add(Tensor.of(s + "k_proj", ATTENTION, hidden * k, layer, kvHeads));
        out.add(Tensor.of(s + "v_proj", ATTENTION, hidden * v, layer, kvHeads));
        out.add(Tensor.of(s + "o_proj", ATTENTION, o * hidden, layer, ANY_SPLIT));
        if (qkvBias) {
            out.add(Tensor.of(s + "q_proj.bias", VECTOR, q, layer, ANY_SPLIT));
            out.add(Tensor.of(s + "k_proj.bias", VECTOR, k, layer, kvHeads));
            out.add(Tensor.of(s + "v_proj.bias", VECTOR, v, layer, kvHeads));
        }
        if (outputBias) {
            out.add(Tensor.of(s + "o_proj.bias", VECTOR, hidden, layer, 1));
        }
        if (qkNorm()) {
            out.add(Tensor.of(s + "q_norm", VECTOR, queryKeyNorm.values(heads, headDim), layer, 1));
            out.add(Tensor.of(s + "k_norm", VECTOR, queryKeyNorm.values(kvHeads, headDim), layer, 1));
        }
        if (sinks) {
            out.add(Tensor.of(s + "sinks", VECTOR, heads, layer, ANY_SPLIT));
        }
    }

    @Override
    public long kvBytesPerToken(Precision kv, int tp) {
        return kvHeadsPerRank(tp) * (kv.bytesFor(headDim) + kv.bytesFor(valueHeadDim));
    }

    @Override
    public long stateBytesPerSequence(Precision state, int tp) {
        return 0;
    }

    @Override
    public double flopsPerAttendedToken() {
        return 2.0 * heads * (headDim + valueHeadDim);
    }

    @Override
    public long activationWidth() {
        return (long) (heads + kvHeads) * (headDim + valueHeadDim);
    }

    @Override
    public int parallelHeads() {
        return heads;
    }

    @Override
    public int kvHeadsForSplit() {
        return kvHeads;
    }

    @Override
    public String kind() {
        return window > 0 ? "sliding attention (" + window + ")" : "attention";
    }
}
