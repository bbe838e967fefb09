package dev.headroom.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Memory of a deployment: weights tensor by tensor under the weight policy, KV per token per rank, the
 * engine's own KV budget, activations and runtime overhead, on every pipeline stage; the fullest stage
 * sets the capacity.
 */
public final class MemoryModel {
    private MemoryModel() {}

    public static MemoryEstimate estimate(ModelSpec model, Deployment d, Workload w) {
        d.validateFor(model);
        Engine engine = d.engine();
        Precision weights = d.weights() != null ? d.weights() : model.defaultWeights();
        Precision kv = d.kv() != null ? d.kv() : defaultKv(model, engine);
        WeightPolicy policy = new WeightPolicy(model, weights);
        List<Tensor> tensors = model.tensors();
        long weightsTotal = tensors.stream().mapToLong(t -> policy.bytes(t, t.params())).sum();
        long overhead = RuntimeOverhead.perGpu(d);
        ActivationModel activation = new ActivationModel(model, d.tp(), weights.equals(Precision.FP32) ? 4 : 2);
        long rotary = (long) model.maxPositions() * rotaryDim(model) * 2;
        long visible = d.gpu().visibleMemoryBytes();

        Stage binding = null;
        for (int s = 0; s < d.pp(); s++) {
            int first = s * model.layers() / d.pp();
            int last = (s + 1) * model.layers() / d.pp();
            long rankWeights = 0;
            for (Tensor t : tensors) {
                boolean here = t.layer() >= 0 ? t.layer() >= first && t.layer() < last
                        : t.role() == TensorRole.EMBEDDING ? s == 0 : s == d.pp() - 1;
                if (here) {
                    rankWeights += policy.bytes(t, rankParams(t, d));
                }
            }
            int layers = last - first;
            long kvPerToken = layers * KvCache.bytesPerTokenPerLayer(model, kv, d.tp());
            RankMemory rank = new RankMemory(visible, rankWeights, kvPerToken,
                    tokens -> KvCache.bytesForSequence(model, kv, d.tp(), tokens) * layers / model.layers(),
                    overhead, activation, rotary, d.tp());
            KvPool pool = engine.reserve(rank, model, w);
            Stage stage = new Stage(rank, pool);
            if (binding == null || stage.pool.tokens() < binding.pool.tokens()) {
                binding = stage;
            }
        }
        return summarize(model, d, w, weights, kv, weightsTotal, binding);
    }

    private record Stage(RankMemory rank, KvPool pool) {}

    /** Routed experts split across expert-parallel ranks when ep > 1, otherwise across tensor-parallel ranks. */
    private static long rankParams(Tensor t, Deployment d) {
        if (t.routed() && d.ep() > 1) {
            return Math.floorDiv(t.params() + d.ep() - 1, d.ep());
        }
        return t.paramsPerRank(d.tp());
    }

    static Precision defaultKv(ModelSpec model, Engine engine) {
        if (engine instanceof LlamaCpp) {
            return Precision.FP16;
        }
        return model.dtype().isHighPrecision() && !model.dtype().equals(Precision.FP32) ? model.dtype() : Precision.BF16;
    }

    private static int rotaryDim(ModelSpec m) {
        return m.attention().isMla() ? m.attention().mla().qkRopeHeadDim() : m.attention().headDim();
    }

    private static MemoryEstimate summarize(ModelSpec model, Deployment d, Workload w, Precision weights, Precision kv,
                                            long weightsTotal, Stage s) {
        KvPool pool = s.pool;
        long kvPool = Math.max(0, pool.kvBytes());
        long total = pool.totalBytes();
        long visible = d.gpu().visibleMemoryBytes();
        int ctx = w.contextTokens();
        long workloadKv = w.batch() * s.rank.sequenceKv().bytes(ctx);
        double maxConcurrency = pool.maxModelLen() == 0 ? 0 : (double) pool.tokens() / pool.maxModelLen() * d.replicas();
        long sequences = Math.min(pool.sequencesOf(ctx), pool.maxSequences()) * d.replicas();
        int maxSequences = pool.maxSequences() * d.replicas();

        String verdict;
        boolean fits = false;
        if (pool.kvBytes() < 0 || total > visible) {
            long over = pool.kvBytes() < 0 ? -pool.kvBytes() : total - visible;
            verdict = String.format(Locale.ROOT, "weights %s + activations %s + overhead %s leave no KV cache: %s over the %s budget",
                    Bytes.of(pool.weightsBytes()), Bytes.of(pool.activationBytes()), Bytes.of(pool.overheadBytes()),
                    Bytes.of(over), Bytes.of(pool.budgetBytes()));
        } else if (pool.tokens() < pool.maxModelLen()) {
            verdict = String.format(Locale.ROOT, "the KV pool holds %,d tokens, less than one sequence of max length %,d; "
                    + "lower the max length or add memory", pool.tokens(), pool.maxModelLen());
        } else if (ctx > pool.maxModelLen()) {
            verdict = String.format(Locale.ROOT, "a sequence of %,d tokens exceeds the engine's max length %,d", ctx, pool.maxModelLen());
        } else if (pool.sequencesOf(ctx) * d.replicas() < w.batch()) {
            verdict = String.format(Locale.ROOT, "the KV pool holds %,d sequences of %,d tokens, fewer than the batch of %d",
                    pool.sequencesOf(ctx) * d.replicas(), ctx, w.batch());
        } else if (maxSequences < w.batch()) {
            verdict = String.format(Locale.ROOT, "the engine runs at most %d sequences at once, fewer than the batch of %d",
                    maxSequences, w.batch());
        } else {
            fits = true;
            verdict = String.format(Locale.ROOT, "%s free per GPU; room for %,d sequences of %,d tokens at once (batch %d)",
                    Bytes.of(visible - total), sequences, ctx, w.batch());
        }
        List<String> assumptions = new ArrayList<>(pool.notes());
        assumptions.add("GPU memory: " + Bytes.of(visible) + (d.gpu().reportedMemoryBytes() != null
                ? " as the driver reports it" : " nominal (driver-reported total unknown)"));
        assumptions.add("weights " + weights + (d.weights() == null ? " (checkpoint default)" : "")
                + "; norms and biases 16-bit" + (weights.isHighPrecision() ? "" : "; embeddings, lm_head and router kept per the quantizer's policy"));
        if (pool.weightsBytes() > s.rank.weightsBytes()) {
            assumptions.add("weights per GPU include the rotary cos/sin table the engine builds at load ("
                    + Bytes.of(pool.weightsBytes() - s.rank.weightsBytes()) + ")");
        }
        assumptions.add("KV cache " + kv + (d.kv() == null ? " (engine default)" : ""));
        assumptions.add(RuntimeOverhead.describe(d));
        assumptions.add("activations: one forward pass, 16-bit, widest layer + residual stream + fp32 logits");
        return new MemoryEstimate(model, d, w, weights, kv, model.params(), model.activeParams(), weightsTotal,
                pool.weightsBytes(), KvCache.bytesPerToken(model, kv, 1), s.rank.kvBytesPerToken(),
                pool.activationBytes(), pool.overheadBytes(), kvPool, pool.tokens(), pool.blocks(), pool.maxModelLen(),
                maxConcurrency, pool.maxSequences(), workloadKv, total, visible, fits, verdict, assumptions);
    }
}
