package dev.headroom.core.model;

import static dev.headroom.core.model.Tensor.ANY_SPLIT;
import static dev.headroom.core.model.TensorRole.ATTENTION;
import static dev.headroom.core.model.TensorRole.VECTOR;

import dev.headroom.core.precision.Precision;
import java.util.List;

/**
 * Multi-head attention with {@code kvHeads} key/value heads (MHA when equal to heads, GQA below, MQA at one),
 * caching 2 x kv_heads x head_dim values per token. Under tensor parallelism each rank holds
 * max(1, kv_heads / tp) heads: heads are replicated once tp exceeds them.
 *
 * @param headDim     as published in config.json; only when absent is it hidden/heads
 * @param qkvBias     q/k/v projections carry biases (Qwen2, gpt-oss, GPT-NeoX)
 * @param outputBias  the output projection carries a bias (gpt-oss, GPT-NeoX, phi-2)
 * @param qkNorm      per-head RMSNorm on queries and keys (Qwen3, Gemma 3, OLMo 2)
 * @param sinks       one learned attention-sink logit per head (gpt-oss)
 * @param queryGate   the query projection also produces an output gate (Qwen3-Next: q_proj is twice as wide)
 * @param window      tokens a sliding-window (or chunked) layer keeps; 0 for full attention
 */
public record Attention(int heads, int kvHeads, int headDim, boolean qkvBias, boolean outputBias, boolean qkNorm,
                        boolean sinks, boolean queryGate, int window) implements TokenMixer {

    /** Plain full attention without biases or norms (Llama). */
    public static Attention of(int heads, int kvHeads, int headDim) {
        return new Attention(heads, kvHeads, headDim, false, false, false, false, false, 0);
    }

    public Attention withWindow(int tokens) {
        return new Attention(heads, kvHeads, headDim, qkvBias, outputBias, qkNorm, sinks, queryGate, tokens);
    }

    public int kvHeadsPerRank(int tp) {
        return Math.max(1, kvHeads / tp);
    }

    @Override
    public void tensors(String p, int layer, long hidden, List<Tensor> out) {
        long q = (long) heads * headDim;
        long kv = (long) kvHeads * headDim;
        String s = p + "self_attn.";
        out.add(Tensor.of(s + "q_proj", ATTENTION, hidden * q * (queryGate ? 2 : 1), layer, ANY_SPLIT));
        out.add(Tensor.of(s + "k_proj", ATTENTION, hidden * kv, layer, kvHeads));
        out.add(Tensor.of(s + "v_proj", ATTENTION, hidden * kv, layer, kvHeads));
        out.add(Tensor.of(s + "o_proj", ATTENTION, q * hidden, layer, ANY_SPLIT));
        if (qkvBias) {
            out.add(Tensor.of(s + "q_proj.bias", VECTOR, q, layer, ANY_SPLIT));
            out.add(Tensor.of(s + "k_proj.bias", VECTOR, kv, layer, kvHeads));
            out.add(Tensor.of(s + "v_proj.bias", VECTOR, kv, layer, kvHeads));
        }
        if (outputBias) {
            out.add(Tensor.of(s + "o_proj.bias", VECTOR, hidden, layer, 1));
        }
        if (qkNorm) {
            out.add(Tensor.of(s + "q_norm", VECTOR, headDim, layer, 1));
            out.add(Tensor.of(s + "k_norm", VECTOR, headDim, layer, 1));
        }
        if (sinks) {
            out.add(Tensor.of(s + "sinks", VECTOR, heads, layer, ANY_SPLIT));
        }
    }

    @Override
    public long kvBytesPerToken(Precision kv, int tp) {
        return 2L * kvHeadsPerRank(tp) * kv.bytesFor(headDim);
    }

    @Override
    public long stateBytesPerSequence(Precision state, int tp) {
        return 0;
    }

    @Override
    public double flopsPerAttendedToken() {
        return 4.0 * heads * headDim;
    }

    @Override
    public long activationWidth() {
        return 2L * (heads + kvHeads) * headDim;
    }

    @Override
    public int parallelHeads() {
        return heads;
    }

    @Override
    public int kvHeadsForSplit() {
        return kvHeads;
    }
}
