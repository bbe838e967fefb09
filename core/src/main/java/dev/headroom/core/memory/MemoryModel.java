package dev.headroom.core.memory;

import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.Engine;
import dev.headroom.core.engine.KvPool;
import dev.headroom.core.engine.RankFacts;
import dev.headroom.core.model.KvLayout;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.model.Tensor;
import dev.headroom.core.model.TensorRole;
import dev.headroom.core.model.WeightPolicy;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Workload;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory of a deployment: weights tensor by tensor under the weight policy, what a sequence caches per rank,
 * the engine's own KV budget, activations and runtime overhead, on every pipeline stage; the fullest stage
 * sets the capacity. {@link #compile} does the per-deployment work once; {@link #estimate} is arithmetic.
 */
public final class MemoryModel {
    private MemoryModel() {}

    /** Everything about the deployment's memory that no workload changes. */
    public static MemoryProfile compile(ModelProfile profile, Deployment d) {
        ModelSpec model = profile.spec();
        d.requireValidFor(model);
        Engine engine = d.engine();
        Precision weights = engine.loadsAs(d.weights() != null ? d.weights() : model.defaultWeights());
        Precision kv = d.kv() != null ? d.kv() : engine.defaultKv(model);
        WeightPolicy policy = new WeightPolicy(model, weights);
        List<Tensor> tensors = profile.tensors();
        Engine.WeightLoad load = new Engine.WeightLoad(model, d.gpu(), d.tp(), d.ep());
        long[] rankBytes = new long[tensors.size()];
        long weightsTotal = 0;
        for (int i = 0; i < rankBytes.length; i++) {
            Tensor t = tensors.get(i);
            Precision p = policy.precisionOf(t);
            weightsTotal = dev.headroom.core.base.Checked.add(weightsTotal, p.bytesFor(t.params()) + policy.extraBytes(t, 1),
                    "weight bytes of " + model.id());
            long rankExtra = t.routed() && d.ep() > 1 ? Math.floorDiv(policy.extraBytes(t, 1) + d.ep() - 1, d.ep()) : policy.extraBytes(t, d.tp());
            long loaded = engine.gpuWeightBytes(t, p, rankParams(t, d), load);
            rankBytes[i] = loaded == 0 ? 0 : loaded + rankExtra; // a tensor kept in host memory takes its extras along
        }
        long communication = RuntimeOverhead.communicationBytes(d);
        ActivationModel activation = new ActivationModel(model, d.tp(), weights.equals(Precision.FP32) ? 4 : 2);
        long rotary = engine.buildsRotaryTable() ? (long) model.maxPositions() * rotaryDim(model) * 2 : 0;
        Precision state = engine.stateFormat(model);

        List<MemoryProfile.Stage> stages = new ArrayList<>(d.pp());
        int layers = model.layerCount();
        for (int s = 0; s < d.pp(); s++) {
            int first = s * layers / d.pp();
            int last = (s + 1) * layers / d.pp();
            long onRank = 0;
            for (int i = 0; i < rankBytes.length; i++) {
                Tensor t = tensors.get(i);
                boolean here = t.layer() >= 0 ? t.layer() >= first && t.layer() < last
                        : t.role() == TensorRole.EMBEDDING ? s == 0 : s == d.pp() - 1;
                if (here) {
                    onRank = dev.headroom.core.base.Checked.add(onRank, rankBytes[i], "weight bytes per GPU");
                }
            }
            KvLayout layout = KvLayout.of(model.layers(), first, last, kv, state, d.attentionTp(), engine.cacheRule());
            RankFacts rank = new RankFacts(d.gpu(), onRank, layout, communication, activation, rotary, model.vocabSize(), d.tp(),
                    d.pp(), s == d.pp() - 1, weights);
            KvPool pool = engine.poolDependsOnWorkload() ? null : engine.reserve(rank, model, null);
            stages.add(new MemoryProfile.Stage(first, last, rank, pool, engine.cudaGraphBytes(rank),
                    pool == null ? 0 : MemoryProfile.largestMaxModelLen(pool, model.maxPositions())));
        }
        long kvPerToken = KvLayout.of(model.layers(), 0, layers, kv, state, 1, engine.cacheRule()).allBytesPerToken();
        return new MemoryProfile(profile, d, weights, kv, weightsTotal, kvPerToken, rotary, stages);
    }

    /** Routed experts split across expert-parallel ranks when ep > 1, otherwise across tensor-parallel ranks; attention under attention-DP is whole on every rank. */
    private static long rankParams(Tensor t, Deployment d) {
        if (t.routed() && d.ep() > 1) {
            return Math.floorDiv(t.params() + d.ep() - 1, d.ep());
        }
        return t.paramsPerRank(t.role() == TensorRole.ATTENTION ? d.attentionTp() : d.tp());
    }

    private static int rotaryDim(ModelSpec m) {
        if (m.attention() instanceof dev.headroom.core.model.LatentAttention la) {
            return la.qkRopeHeadDim();
        }
        return m.attention() instanceof dev.headroom.core.model.Attention a ? a.headDim() : 0;
    }

    /** Memory of the deployment serving {@code w}: per GPU, on the stage that binds. */
    public static MemoryEstimate estimate(MemoryProfile p, Workload w) {
        MemoryProfile.Stage binding;
        KvPool pool;
        if (p.stages().get(0).pool() != null) {
            binding = p.bindingStage();
            pool = binding.pool();
        } else {
            binding = null;
            pool = null;
            for (MemoryProfile.Stage s : p.stages()) {
                KvPool candidate = p.deployment().engine().reserve(s.rank(), p.model().spec(), w);
                if (pool == null || MemoryProfile.binds(candidate, pool)) {
                    pool = candidate;
                    binding = s;
                }
            }
        }
        return MemoryEstimate.of(p, binding, pool, w);
    }

    /** Compiles and estimates in one call: for a single question; sweeps compile once and estimate many times. */
    public static MemoryEstimate estimate(ModelProfile model, Deployment d, Workload w) {
        return estimate(compile(model, d), w);
    }
}
