package dev.headroom.core.training;

import dev.headroom.core.model.Attention;
import dev.headroom.core.model.DenseFfn;
import dev.headroom.core.model.Ffn;
import dev.headroom.core.model.GatedDeltaNet;
import dev.headroom.core.model.LatentAttention;
import dev.headroom.core.model.Layer;
import dev.headroom.core.model.Mamba;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.model.MoeFfn;
import dev.headroom.core.model.NoMixer;
import dev.headroom.core.model.ParallelMixers;
import dev.headroom.core.model.Tensor;
import dev.headroom.core.model.TensorRole;
import dev.headroom.core.model.TokenMixer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Collections;
import java.util.WeakHashMap;

/**
 * What training needs from a model's architecture, computed once per model: every weight matrix with its shape
 * (for LoRA and Adafactor), and the largest module (DeepSpeed's largest_layer_params: the most parameters one
 * nn.Module holds directly — the embedding for most LLMs; one expert projection for MoE blocks).
 */
public final class ModelShapes {
    /** Per profile, held weakly: profiles of users' own config.json files come and go. */
    private static final Map<ModelProfile, ModelShapes> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    private final ModelProfile profile;
    private final List<Linear> linears;
    private final long largestModule;

    private ModelShapes(ModelProfile profile) {
        this.profile = profile;
        ModelSpec m = profile.spec();
        long h = m.hiddenSize();
        List<Linear> out = new ArrayList<>();
        for (int i = 0; i < m.layerCount(); i++) {
            Layer l = m.layers().get(i);
            mixer(l.mixer(), i, h, out);
            ffn(l.ffn(), i, h, out);
        }
        out.add(new Linear("lm_head", -1, h, m.vocabSize(), 1));
        this.linears = List.copyOf(out);
        long largest = 0;
        for (Tensor t : profile.tensors()) {
            long p = t.routed() && t.role() == TensorRole.ROUTED_EXPERTS
                    ? t.params() / (3L * ((MoeFfn) m.layers().get(t.layer()).ffn()).experts()) : t.params();
            largest = Math.max(largest, p);
        }
        this.largestModule = largest;
    }

    public static ModelShapes of(ModelProfile p) {
        ModelShapes cached = CACHE.get(p);
        if (cached == null) {
            cached = new ModelShapes(p);
            CACHE.put(p, cached);
        }
        return cached;
    }

    public ModelProfile profile() {
        return profile;
    }

    /** Every weight matrix of the decoder layers and the output projection. */
    public List<Linear> linears() {
        return linears;
    }

    /** DeepSpeed's largest_layer_params: the largest number of parameters one module holds directly. */
    public long largestModule() {
        return largestModule;
    }

    /** LoRA's trainable parameters: rank x (d_in + d_out) over every adapted matrix, experts included. */
    public long adapterParams(int rank, LoraTargets targets) {
        long n = 0;
        for (Linear l : linears) {
            if (targets.adapts(l.role())) {
                n += l.adapterParams(rank);
            }
        }
        return n;
    }

    private static void mixer(TokenMixer mixer, int layer, long h, List<Linear> out) {
        if (mixer instanceof Attention a) {
            long q = (long) a.heads() * a.headDim();
            long kv = (long) a.kvHeads() * a.headDim();
            out.add(new Linear("q", layer, h, q * (a.queryGate() ? 2 : 1), 1));
            out.add(new Linear("k", layer, h, kv, 1));
            out.add(new Linear("v", layer, h, kv, 1));
            out.add(new Linear("o", layer, q, h, 1));
        } else if (mixer instanceof LatentAttention la) {
            long qHead = (long) la.qkNopeHeadDim() + la.qkRopeHeadDim();
            if (la.qLoraRank() > 0) {
                out.add(new Linear("q", layer, h, la.qLoraRank(), 1));
                out.add(new Linear("q", layer, la.qLoraRank(), la.heads() * qHead, 1));
            } else {
                out.add(new Linear("q", layer, h, la.heads() * qHead, 1));
            }
            out.add(new Linear("kv", layer, h, (long) la.kvLoraRank() + la.qkRopeHeadDim(), 1));
            out.add(new Linear("kv", layer, la.kvLoraRank(), (long) la.heads() * (la.qkNopeHeadDim() + la.vHeadDim()), 1));
            out.add(new Linear("o", layer, (long) la.heads() * la.vHeadDim(), h, 1));
        } else if (mixer instanceof Mamba mb) {
            long inner = mb.innerSize();
            if (mb.version() == 1) {
                out.add(new Linear("other", layer, h, 2 * inner, 1));
                out.add(new Linear("other", layer, inner, mb.dtRank() + 2L * mb.stateSize(), 1));
                out.add(new Linear("other", layer, mb.dtRank(), inner, 1));
            } else {
                out.add(new Linear("other", layer, h, 2 * inner + 2L * mb.groups() * mb.stateSize() + mb.heads(), 1));
            }
            out.add(new Linear("other", layer, inner, h, 1));
        } else if (mixer instanceof GatedDeltaNet g) {
            long key = (long) g.keyHeads() * g.keyHeadDim();
            long value = (long) g.valueHeads() * g.valueHeadDim();
            out.add(new Linear("other", layer, h, 2 * key + 2 * value, 1));
            out.add(new Linear("other", layer, h, 2L * g.valueHeads(), 1));
            out.add(new Linear("other", layer, value, h, 1));
        } else if (mixer instanceof ParallelMixers p) {
            mixer(p.first(), layer, h, out);
            mixer(p.second(), layer, h, out);
        } else if (!(mixer instanceof NoMixer)) {
            throw new IllegalStateException("no training shapes for mixer " + mixer);
        }
    }

    private static void ffn(Ffn ffn, int layer, long h, List<Linear> out) {
        if (ffn instanceof DenseFfn d) {
            dense(d.intermediate(), d.gated(), layer, h, 1, out);
        } else if (ffn instanceof MoeFfn m) {
            out.add(new Linear("router", layer, h, m.experts(), 1));
            dense(m.expertIntermediate(), true, layer, h, m.experts(), out);
            if (m.sharedIntermediate() > 0) {
                dense(m.sharedIntermediate(), true, layer, h, 1, out);
            }
        }
    }

    private static void dense(long intermediate, boolean gated, int layer, long h, long copies, List<Linear> out) {
        if (gated) {
            out.add(new Linear("gate", layer, h, intermediate, copies));
        }
        out.add(new Linear("up", layer, h, intermediate, copies));
        out.add(new Linear("down", layer, intermediate, h, copies));
    }
}
