package dev.headroom.core.model;

import dev.headroom.core.precision.Precision;
import java.util.List;

/**
 * How a layer mixes information across tokens: attention that caches keys and values per token (full or
 * windowed, MHA/GQA/MQA or latent), or a recurrent state of fixed size per sequence (Mamba, gated delta
 * nets). Each kind knows its weight tensors, what it caches and what it computes; memory and speed both
 * read these, so there is one KV formula.
 */
public sealed interface TokenMixer permits Attention, LatentAttention, Mamba, GatedDeltaNet, LightningAttention, NoMixer,
        ParallelMixers, LinearReplacement {
    /** Adds this mixer's weight tensors for decoder layer {@code layer}; {@code p} is the layer's name prefix. */
    void tensors(String p, int layer, long hidden, List<Tensor> out);

    /** Bytes of keys and values one token caches on one tensor-parallel rank; 0 for recurrent layers. */
    long kvBytesPerToken(Precision kv, int tp);

    /** Tokens the cache keeps per sequence: the window of a sliding layer, 0 when every token is kept. */
    int window();

    /** Bytes of recurrent state one sequence keeps on one tensor-parallel rank, whatever its length; 0 for attention. */
    long stateBytesPerSequence(Precision state, int tp);

    /** Attention-core FLOPs one query token spends per cached token it attends to (QK^T and the value sum), whole layer. */
    double flopsPerAttendedToken();

    /**
     * The same for a decoding token, where engines may compute attention another way (MLA absorbs its up-projections
     * into the query and attends in the compressed latent space). Prompts use {@link #flopsPerAttendedToken()}.
     */
    default double decodeFlopsPerAttendedToken() {
        return flopsPerAttendedToken();
    }

    /** Width of this mixer's live activations per token (q, k, v and output, or the projected state inputs). */
    long activationWidth();

    /** What the layer does, in a word or two, for listings: "attention", "sliding attention (4096)", "mamba-2". */
    String kind();

    /** Heads the mixer splits across tensor-parallel ranks (the divisibility check). */
    int parallelHeads();

    /** KV heads whose divisibility constrains tensor parallelism; 0 when the cache is not split by heads. */
    default int kvHeadsForSplit() {
        return 0;
    }
}
