package dev.headroom.core.model;

import static dev.headroom.core.model.Tensor.ANY_SPLIT;
import static dev.headroom.core.model.TensorRole.ATTENTION;
import static dev.headroom.core.model.TensorRole.VECTOR;

import dev.headroom.core.precision.Precision;
import java.util.List;

/**
 * Multi-head latent attention (DeepSeek-V2/V3, Kimi K2): keys and values are cached as one compressed latent
 * of {@code kvLoraRank} plus a shared rope key of {@code qkRopeHeadDim} per token and layer — no factor 2,
 * and every tensor-parallel rank holds all of it.
 *
 * @param qLoraRank 0 when queries are projected directly (no low-rank query path)
 */
public record LatentAttention(int heads, int qLoraRank, int kvLoraRank, int qkNopeHeadDim, int qkRopeHeadDim,
                              int vHeadDim, int window) implements TokenMixer {

    @Override
    public void tensors(String p, int layer, long hidden, List<Tensor> out) {
        long qHead = qkNopeHeadDim + qkRopeHeadDim;
        String s = p + "self_attn.";
        if (qLoraRank > 0) {
            out.add(Tensor.of(s + "q_a_proj", ATTENTION, hidden * qLoraRank, layer, 1));
            out.add(Tensor.of(s + "q_a_layernorm", VECTOR, qLoraRank, layer, 1));
            out.add(Tensor.of(s + "q_b_proj", ATTENTION, (long) qLoraRank * heads * qHead, layer, ANY_SPLIT));
        } else {
            out.add(Tensor.of(s + "q_proj", ATTENTION, hidden * heads * qHead, layer, ANY_SPLIT));
        }
        out.add(Tensor.of(s + "kv_a_proj_with_mqa", ATTENTION, hidden * (kvLoraRank + qkRopeHeadDim), layer, 1));
        out.add(Tensor.of(s + "kv_a_layernorm", VECTOR, kvLoraRank, layer, 1));
        out.add(Tensor.of(s + "kv_b_proj", ATTENTION, (long) kvLoraRank * heads * (qkNopeHeadDim + vHeadDim), layer, ANY_SPLIT));
        out.add(Tensor.of(s + "o_proj", ATTENTION, (long) heads * vHeadDim * hidden, layer, ANY_SPLIT));
    }

    @Override
    public long kvBytesPerToken(Precision kv, int tp) {
        return kv.bytesFor(kvLoraRank + qkRopeHeadDim);
    }

    @Override
    public long stateBytesPerSequence(Precision state, int tp) {
        return 0;
    }

    @Override
    public double flopsPerAttendedToken() {
        return 2.0 * heads * (qkNopeHeadDim + qkRopeHeadDim + vHeadDim);
    }

    /**
     * Decoding with the up-projections absorbed (DeepSeek-V2 paper, section 2.1.2; vLLM and SGLang MLA backends):
     * each head scores the query against the latent and rope key (kv_lora_rank + rope dims) and sums the latent
     * values (kv_lora_rank), 2 FLOPs per multiply-add.
     */
    @Override
    public double decodeFlopsPerAttendedToken() {
        return 2.0 * heads * (2.0 * kvLoraRank + qkRopeHeadDim);
    }

    @Override
    public long activationWidth() {
        return (long) heads * (qkNopeHeadDim + qkRopeHeadDim + 2L * vHeadDim);
    }

    @Override
    public int parallelHeads() {
        return heads;
    }
}
