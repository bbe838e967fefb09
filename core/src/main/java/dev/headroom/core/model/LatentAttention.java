package dev.headroom.core.model;

import static dev.headroom.core.model.Tensor.ANY_SPLIT;
import static dev.headroom.core.model.TensorRole.ATTENTION;
import static dev.headroom.core.model.TensorRole.ROUTER;
import static dev.headroom.core.model.TensorRole.VECTOR;

import dev.headroom.core.precision.Precision;
import java.util.List;

/**
 * Multi-head latent attention (DeepSeek-V2/V3, Kimi K2): keys and values are cached as one compressed latent
 * of {@code kvLoraRank} plus a shared rope key of {@code qkRopeHeadDim} per token and layer — no factor 2,
 * and every tensor-parallel rank holds all of it.
 *
 * <p>DeepSeek sparse attention (DeepSeek-V3.2, GLM-5) adds a lightning indexer that scores the cached tokens and
 * keeps the top ones for each query: its own query and key projections (modeling_glm_moe_dsa.py:
 * wq_b, wk, a LayerNorm k_norm, weights_proj) and its own key cache of {@code indexHeadDim} values per token,
 * stored as fp8 with one fp32 scale per 128 values whatever the KV dtype (vLLM deepseek_v2.py,
 * DeepseekV32IndexerCache: head_dim + head_dim // 128 * 4 bytes).
 *
 * @param qLoraRank    0 when queries are projected directly (no low-rank query path)
 * @param indexHeads   lightning-indexer heads; 0 for plain MLA, or a layer that reuses an earlier layer's
 *                     selection (GLM-5.2's "shared" indexer layers carry no indexer weights or cache)
 * @param indexHeadDim width of the indexer's query heads and of its cached key
 */
public record LatentAttention(int heads, int qLoraRank, int kvLoraRank, int qkNopeHeadDim, int qkRopeHeadDim,
                              int vHeadDim, int window, int indexHeads, int indexHeadDim) implements TokenMixer {

    /** Values per fp32 scale in the indexer's fp8 key cache. */
    private static final int INDEX_QUANT_BLOCK = 128;

    /** Plain MLA without an indexer. */
    public static LatentAttention of(int heads, int qLoraRank, int kvLoraRank, int qkNopeHeadDim, int qkRopeHeadDim,
                                     int vHeadDim) {
        return new LatentAttention(heads, qLoraRank, kvLoraRank, qkNopeHeadDim, qkRopeHeadDim, vHeadDim, 0, 0, 0);
    }

    public boolean hasIndexer() {
        return indexHeads > 0;
    }

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
        if (hasIndexer()) {
            // Replicated on every rank (ReplicatedLinear in vLLM and SGLang).
            String ix = s + "indexer.";
            out.add(Tensor.of(ix + "wq_b", ATTENTION, (long) qLoraRank * indexHeads * indexHeadDim, layer, 1));
            out.add(Tensor.of(ix + "wk", ATTENTION, hidden * indexHeadDim, layer, 1));
            out.add(Tensor.of(ix + "k_norm", VECTOR, 2L * indexHeadDim, layer, 1));
            // Per-head weights of the index score: left unquantized by every checkpoint and engine, like a router.
            out.add(Tensor.of(ix + "weights_proj", ROUTER, hidden * indexHeads, layer, 1));
        }
    }

    @Override
    public long kvBytesPerToken(Precision kv, int tp) {
        return kv.bytesFor(kvLoraRank + qkRopeHeadDim) + indexerCacheBytesPerToken();
    }

    /** The indexer's fp8 key plus its fp32 scales; fixed by the kernels, not by the KV dtype. */
    private long indexerCacheBytesPerToken() {
        if (!hasIndexer()) {
            return 0;
        }
        long blocks = (indexHeadDim + INDEX_QUANT_BLOCK - 1) / INDEX_QUANT_BLOCK;
        return indexHeadDim + 4L * blocks;
    }

    @Override
    public long stateBytesPerSequence(Precision state, int tp) {
        return 0;
    }

    /**
     * Whole attention over every cached token, plus the indexer's scores when there is one. Sparse attention reads
     * only the selected tokens once the context exceeds index_topk; the per-token figure here does not cap that,
     * so long-context attention FLOPs of DSA models are an upper bound.
     */
    @Override
    public double flopsPerAttendedToken() {
        return 2.0 * heads * (qkNopeHeadDim + qkRopeHeadDim + vHeadDim) + 2.0 * indexHeads * indexHeadDim;
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

    @Override
    public String kind() {
        return hasIndexer() ? "latent attention + indexer" : "latent attention";
    }
}
