package dev.headroom.core.model;

import dev.headroom.core.base.Checked;
import dev.headroom.core.precision.Precision;
import java.util.ArrayList;
import java.util.List;

/**
 * What depends only on the model, computed once: its weight tensors with Hugging Face names, parameter
 * totals, and the per-token FLOPs every deployment of it shares. Deployments compile from this, so a sweep
 * over GPUs or batches never lists tensors again.
 */
public final class ModelProfile {
    private final ModelSpec spec;
    private final List<Tensor> tensors;
    private final long params;
    private final long activeParams;
    private final long routedParams;
    private final long matmulParamsPerToken;
    private final double[] attentionFlopsPerToken;
    private final double[] decodeAttentionFlopsPerToken;
    private final int[] attentionWindows;
    private final boolean cachesTokens;

    private ModelProfile(ModelSpec spec) {
        this.spec = spec;
        this.tensors = List.copyOf(listTensors(spec));
        long total = 0;
        long active = 0;
        long routed = 0;
        for (Tensor t : tensors) {
            total = Checked.add(total, t.params(), "parameters of " + spec.id());
            if (t.routed()) {
                routed += t.params();
                MoeFfn moe = (MoeFfn) spec.layers().get(t.layer()).ffn();
                active += t.params() / moe.experts() * moe.topK();
            } else {
                active += t.params();
            }
        }
        this.params = total;
        this.activeParams = active;
        this.routedParams = routed;
        // Matmul parameters one token multiplies: the active ones minus the embedding lookups (no matmul: the token
        // table unless the lm_head shares it, and any learned position table).
        long embedding = (long) spec.vocabSize() * spec.hiddenSize();
        this.matmulParamsPerToken = active - (spec.tiedEmbeddings() ? 0 : embedding) - spec.positionEmbeddingParams();
        int n = spec.layerCount();
        this.attentionFlopsPerToken = new double[n];
        this.decodeAttentionFlopsPerToken = new double[n];
        this.attentionWindows = new int[n];
        boolean caches = false;
        for (int i = 0; i < n; i++) {
            TokenMixer m = spec.layers().get(i).mixer();
            attentionFlopsPerToken[i] = m.flopsPerAttendedToken();
            decodeAttentionFlopsPerToken[i] = m.decodeFlopsPerAttendedToken();
            attentionWindows[i] = m.window();
            caches |= m.kvBytesPerToken(Precision.BF16, 1) > 0;
        }
        this.cachesTokens = caches;
    }

    public static ModelProfile of(ModelSpec spec) {
        return new ModelProfile(spec);
    }

    private static List<Tensor> listTensors(ModelSpec m) {
        long h = m.hiddenSize();
        List<Tensor> out = new ArrayList<>();
        long embedding = Checked.multiply(m.vocabSize(), h, "embedding parameters");
        out.add(Tensor.of("model.embed_tokens", TensorRole.EMBEDDING, embedding, -1, Tensor.ANY_SPLIT));
        if (m.positionEmbeddingParams() > 0) {
            out.add(Tensor.of("model.embed_positions", TensorRole.EMBEDDING, m.positionEmbeddingParams(), -1, 1));
        }
        for (int i = 0; i < m.layerCount(); i++) {
            Layer l = m.layers().get(i);
            String p = "model.layers." + i + ".";
            l.mixer().tensors(p, i, h, out);
            l.ffn().tensors(p, i, h, out);
            if (l.normValues() > 0) {
                out.add(Tensor.of(p + "norms", TensorRole.VECTOR, l.normValues(), i, 1));
            }
        }
        out.add(Tensor.of("model.norm", TensorRole.VECTOR, m.finalNormValues(), -1, 1));
        if (!m.tiedEmbeddings()) {
            out.add(Tensor.of("lm_head", TensorRole.LM_HEAD, embedding, -1, Tensor.ANY_SPLIT));
        }
        if (m.lmHeadBias()) {
            out.add(Tensor.of("lm_head.bias", TensorRole.VECTOR, m.vocabSize(), -1, Tensor.ANY_SPLIT));
        }
        for (Tensor t : out) {
            if (t.params() < 0) {
                throw new dev.headroom.core.base.InvalidInputException(m.id() + ": tensor " + t.name() + " would have "
                        + t.params() + " parameters; check the config's sizes");
            }
        }
        return out;
    }

    public ModelSpec spec() {
        return spec;
    }

    /**
     * Refuses a model whose layers cache no tokens at all (a pure state-space model: Falcon-Mamba, Codestral Mamba).
     * The engines' memory budgets cut their pool into blocks of per-token KV bytes and keep recurrent state beside
     * it, so they cannot size a model with only state yet; its parameters and state size are read and shown, its
     * deployments are refused here rather than failing inside an engine.
     */
    public ModelProfile requireTokenCache() {
        if (!cachesTokens) {
            throw new dev.headroom.core.base.InvalidInputException(spec.id() + " caches no tokens (every layer is "
                    + spec.layers().get(0).mixer().kind() + "): the engines' KV budgets, sized per token, cannot size it yet;"
                    + " 'catalog show " + spec.id() + "' gives its parameters and per-sequence state");
        }
        return this;
    }

    public String id() {
        return spec.id();
    }

    public List<Tensor> tensors() {
        return tensors;
    }

    /** Total parameters, counted tensor by tensor. */
    public long params() {
        return params;
    }

    /** Parameters one token touches: shared weights plus top-k of the routed experts. */
    public long activeParams() {
        return activeParams;
    }

    /** Parameters of the routed experts (a token reads only top-k of them). */
    public long routedParams() {
        return routedParams;
    }

    /** Parameters one token multiplies in matrix products (2 FLOPs each). */
    public long matmulParamsPerToken() {
        return matmulParamsPerToken;
    }

    /**
     * Attention-core FLOPs of one query token over layers {@code [first, last)}, as a function of the context
     * it attends to: sliding layers see at most their window.
     */
    public AttentionCost attentionCost(int first, int last) {
        return attentionCost(first, last, attentionFlopsPerToken);
    }

    /** The same for decoding tokens (see {@link TokenMixer#decodeFlopsPerAttendedToken()}). */
    public AttentionCost decodeAttentionCost(int first, int last) {
        return attentionCost(first, last, decodeAttentionFlopsPerToken);
    }

    private AttentionCost attentionCost(int first, int last, double[] flopsPerToken) {
        java.util.TreeMap<Integer, Double> byWindow = new java.util.TreeMap<>();
        double full = 0;
        for (int i = first; i < last; i++) {
            if (attentionWindows[i] > 0) {
                byWindow.merge(attentionWindows[i], flopsPerToken[i], Double::sum);
            } else {
                full += flopsPerToken[i];
            }
        }
        return new AttentionCost(full, byWindow.keySet().stream().mapToInt(Integer::intValue).toArray(),
                byWindow.values().stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** FLOPs per attended token of full layers, and of windowed layers by window size. */
    public record AttentionCost(double fullFlopsPerToken, int[] windows, double[] windowFlopsPerToken) {
        public double flops(double tokens) {
            double sum = fullFlopsPerToken * tokens;
            for (int i = 0; i < windows.length; i++) {
                sum += windowFlopsPerToken[i] * Math.min(tokens, windows[i]);
            }
            return sum;
        }
    }

    /** KV bytes one token occupies across all layers, on one copy of the model (no TP split, no windows). */
    public long kvBytesPerToken(Precision kv) {
        return KvLayout.of(spec.layers(), 0, spec.layerCount(), kv, kv, 1).allBytesPerToken();
    }

    @Override
    public String toString() {
        return spec + String.format(java.util.Locale.ROOT, ", %,d params", params);
    }
}
