package dev.headroom.core.memory;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.KvPool;
import dev.headroom.core.engine.RankFacts;
import dev.headroom.core.model.KvLayout;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Memory of one deployment serving one workload, per GPU (the binding rank: capacity is the minimum over
 * ranks). Bytes are exact integers. The verdict and assumptions are prose, built when read.
 *
 * @param stage                 the pipeline stage that binds (its rank's facts and what it computed once)
 * @param workloadKvBytesPerGpu KV the workload's sequences need at once at full context (the static batch, else one)
 * @param maxConcurrency        whole sequences of the workload's context all replicas hold at once, capped by the engine
 * @param concurrencyLimit      which bound sets {@code maxConcurrency}
 */
public record MemoryEstimate(MemoryProfile profile, Workload workload, MemoryProfile.Stage stage, KvPool pool,
                             long workloadKvBytesPerGpu, Limit limit, long maxConcurrency, Limit concurrencyLimit) {

    /** What decides the answer: nothing (it fits), or the first term that breaks it. */
    public enum Limit {
        NONE("fits"),
        ENGINE_DOES_NOT_START("weights, activations and overhead exceed the engine's budget"),
        POOL_BELOW_MAX_LENGTH("the KV pool holds less than one sequence of the engine's max length"),
        LONGER_THAN_MAX_LENGTH("the sequence is longer than the engine's max length"),
        KV_CACHE("KV cache"),
        ENGINE_MAX_SEQUENCES("the engine's limit on running sequences");

        private final String words;

        Limit(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    static MemoryEstimate of(MemoryProfile p, MemoryProfile.Stage binding, KvPool pool, Workload w) {
        int ctx = w.contextTokens();
        // Each attention-DP rank holds its own requests' KV: the groups multiply what a replica holds.
        int replicas = Math.multiplyExact(p.deployment().replicas(), p.deployment().attentionGroups());
        int batch = w.sequencesAtOnce();
        KvLayout layout = binding.rank().kv();
        long workloadKv = dev.headroom.core.base.Checked.multiply(batch, layout.bytes(ctx), "KV cache bytes of the batch");
        long bySequences = dev.headroom.core.base.Checked.multiply(pool.sequencesOf(ctx), replicas, "sequences all replicas hold");
        long byEngine = (long) pool.maxSequences() * replicas;
        long concurrency = ctx > pool.maxModelLen() || !pool.starts() ? 0 : Math.min(bySequences, byEngine);
        // The pool's own refusal comes first; with no sequence admitted, say why: the engine not starting or the max
        // length, not the KV cache. A pool that fits its budget may still overflow the GPU (static caches).
        Limit concurrencyLimit = !pool.starts() ? Limit.ENGINE_DOES_NOT_START : ctx > pool.maxModelLen() ? Limit.LONGER_THAN_MAX_LENGTH
                : bySequences <= byEngine ? Limit.KV_CACHE : Limit.ENGINE_MAX_SEQUENCES;
        Limit limit;
        if (!pool.starts()) {
            limit = Limit.ENGINE_DOES_NOT_START;
        } else if (pool.tokens() < pool.maxModelLen()) {
            limit = Limit.POOL_BELOW_MAX_LENGTH;
        } else if (ctx > pool.maxModelLen()) {
            limit = Limit.LONGER_THAN_MAX_LENGTH;
        } else if (bySequences < batch) {
            limit = Limit.KV_CACHE;
        } else if (byEngine < batch) {
            limit = Limit.ENGINE_MAX_SEQUENCES;
        } else {
            limit = Limit.NONE;
        }
        return new MemoryEstimate(p, w, binding, pool, workloadKv, limit, concurrency, concurrencyLimit);
    }

    public boolean fits() {
        return limit == Limit.NONE;
    }

    /** The binding rank's facts. */
    public RankFacts rank() {
        return stage.rank();
    }

    public ModelSpec model() {
        return profile.model().spec();
    }

    public Deployment deployment() {
        return profile.deployment();
    }

    public Precision weights() {
        return profile.weights();
    }

    public Precision kv() {
        return profile.kv();
    }

    public long params() {
        return profile.model().params();
    }

    public long activeParams() {
        return profile.model().activeParams();
    }

    /** Weights of one whole copy of the model. */
    public long weightsBytes() {
        return profile.weightsBytes();
    }

    public long weightsBytesPerGpu() {
        return pool.weightsBytes();
    }

    public long kvBytesPerToken() {
        return profile.kvBytesPerToken();
    }

    public long kvBytesPerTokenPerGpu() {
        return rank().kv().allBytesPerToken();
    }

    public long activationBytesPerGpu() {
        return pool.activationBytes();
    }

    public long runtimeOverheadBytesPerGpu() {
        return pool.overheadBytes();
    }

    public long kvCacheBytesPerGpu() {
        return pool.kvBytes();
    }

    public long kvCacheTokens() {
        return pool.tokens();
    }

    public long kvCacheBlocks() {
        return pool.blocks();
    }

    public int maxModelLen() {
        return pool.maxModelLen();
    }

    /** Sequences one replica's engine runs at once by its own limit (max_num_seqs, max_batch_size, slots). */
    public int engineMaxSequences() {
        return pool.maxSequences();
    }

    /** What the engine lacks to start; 0 when it starts. */
    public long shortfallBytesPerGpu() {
        return Math.max(pool.shortfallBytes(), pool.totalBytes() - gpuMemoryBytes());
    }

    /**
     * The KV budget before it is cut into blocks, as the engine logs it ("Available KV cache memory"): negative when
     * weights, activations and overheads exceed what the engine allows itself.
     */
    public long kvBudgetBytesPerGpu() {
        return pool.availableBytes();
    }

    /** Why the engine would refuse to start, with the knob that fixes it; empty when it starts. */
    public java.util.Optional<dev.headroom.core.engine.Refusal> refusal() {
        return java.util.Optional.ofNullable(pool.refusal());
    }

    /** CUDA-graph memory the engine keeps per GPU (deducted from the KV budget by vLLM since 0.21, else in its head-room). */
    public long cudaGraphBytesPerGpu() {
        return Math.max(pool.cudaGraphBytes(), stage.cudaGraphBytes());
    }

    /**
     * The largest max length whose one request fits this KV pool (vLLM's "estimated maximum model length"), up to the
     * model's own limit; 0 when the engine does not start at all.
     */
    public int largestMaxModelLen() {
        return pool == stage.pool() ? stage.largestMaxModelLen() : MemoryProfile.largestMaxModelLen(pool, model().maxPositions());
    }

    /**
     * Max concurrency as the engine logs it ("Maximum concurrency for max_model_len tokens per request: X"): requests
     * of max_model_len tokens the pool holds by the engine's own accounting (sliding windows and recurrent state
     * counted as the engine counts them), per engine instance, fractional and not capped by max_num_seqs. The same
     * definition as {@link #maxConcurrency()}, at the engine's max length instead of the workload's.
     */
    public double engineMaxConcurrency() {
        return pool.maxConcurrency();
    }

    /** Max concurrency by the engine's accounting for requests of {@code tokensPerRequest} tokens (fractional, uncapped). */
    public double engineConcurrency(long tokensPerRequest) {
        return pool.concurrency(tokensPerRequest);
    }

    public long totalBytesPerGpu() {
        return pool.totalBytes();
    }

    public long gpuMemoryBytes() {
        return profile.deployment().gpu().visibleMemoryBytes();
    }

    /** Memory left on the binding GPU (0 when over: see {@link #shortfallBytesPerGpu()}). */
    public long headroomBytesPerGpu() {
        return Math.max(0, gpuMemoryBytes() - totalBytesPerGpu());
    }

    /** One line: why it fits, or which term breaks it. */
    public String verdict() {
        int ctx = workload.contextTokens();
        int replicas = deployment().replicas() * deployment().attentionGroups();
        int batch = workload.sequencesAtOnce();
        return switch (limit) {
            case ENGINE_DOES_NOT_START -> pool.refusal() != null ? "the engine refuses to start: " + pool.refusal().describe()
                    : String.format(Locale.ROOT, "weights %s + activations %s + overhead %s + KV %s need %s more than the GPU has",
                    Bytes.of(pool.weightsBytes()), Bytes.of(pool.activationBytes()), Bytes.of(pool.overheadBytes()),
                    Bytes.of(pool.kvBytes()), Bytes.of(shortfallBytesPerGpu()));
            case POOL_BELOW_MAX_LENGTH -> String.format(Locale.ROOT, "the KV pool holds %,d tokens, less than one sequence of max length %,d; "
                    + "lower the max length or add memory", pool.tokens(), pool.maxModelLen());
            case LONGER_THAN_MAX_LENGTH -> String.format(Locale.ROOT, "a sequence of %,d tokens exceeds the engine's max length %,d",
                    ctx, pool.maxModelLen());
            case KV_CACHE -> String.format(Locale.ROOT, "the KV pool holds %,d sequences of %,d tokens, fewer than the batch of %d",
                    pool.sequencesOf(ctx) * replicas, ctx, batch);
            case ENGINE_MAX_SEQUENCES -> String.format(Locale.ROOT, "the engine runs at most %d sequences at once, fewer than the batch of %d",
                    (long) pool.maxSequences() * replicas, batch);
            case NONE -> String.format(Locale.ROOT, "%s free per GPU; room for %,d sequences of %,d tokens at once (limited by %s; batch %d)",
                    Bytes.of(headroomBytesPerGpu()), maxConcurrency, ctx, concurrencyLimit.words(), batch);
        };
    }

    /** The settings and modelling choices this estimate used, in words. */
    public List<String> assumptions() {
        Deployment d = deployment();
        List<String> out = new ArrayList<>();
        out.add(d.engine().describe(rank()));
        out.add("GPU memory: " + Bytes.of(gpuMemoryBytes()) + (d.gpu().reportedMemoryBytes() != null
                ? " as the driver reports it" : " nominal (driver-reported total unknown)"));
        out.add("weights " + weights() + (d.weights() == null ? " (checkpoint default)" : "")
                + "; norms and biases 16-bit" + (weights().isHighPrecision() ? "" : "; embeddings, lm_head and router kept per the quantizer's policy"));
        if (profile.rotaryBytes() > 0) {
            out.add("weights per GPU include the rotary cos/sin table the engine builds at load (" + Bytes.of(profile.rotaryBytes()) + ")");
        }
        out.add("KV cache " + kv() + (d.kv() == null ? " (engine default)" : ""));
        out.add(RuntimeOverhead.describe(d));
        out.add("activations: the engine's profile of one forward pass (16-bit, widest layer + residual stream) and its fp32 logits and sampler");
        return out;
    }

    @Override
    public String toString() {
        Deployment d = deployment();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s on %d x %s (tp=%d, pp=%d, %d replica%s), %s, weights %s, KV %s%n",
                model().id(), d.gpus(), d.gpu().id(), d.tp(), d.pp(), d.replicas(), d.replicas() == 1 ? "" : "s",
                d.engine().id(), weights(), kv()));
        row(b, "parameters", String.format(Locale.ROOT, "%,d (active %,d)", params(), activeParams()));
        row(b, "weights (all GPUs)", Bytes.of(weightsBytes()).toString());
        b.append("per GPU:\n");
        row(b, "  weights", Bytes.of(weightsBytesPerGpu()).toString());
        row(b, "  activations (peak)", Bytes.of(activationBytesPerGpu()).toString());
        row(b, "  runtime overhead", Bytes.of(runtimeOverheadBytesPerGpu()).toString());
        if (cudaGraphBytesPerGpu() > 0) {
            row(b, "  CUDA graphs", Bytes.of(cudaGraphBytesPerGpu()) + (pool.cudaGraphBytes() > 0 ? ""
                    : " (captured after the KV cache, in the memory the engine leaves; not in the total)"));
        }
        row(b, "  KV budget", kvBudgetBytesPerGpu() < 0 ? "none: " + Bytes.of(-kvBudgetBytesPerGpu()) + " short before blocks"
                : Bytes.of(kvBudgetBytesPerGpu()) + " before blocks");
        row(b, "  KV cache pool", Bytes.of(kvCacheBytesPerGpu()) + String.format(Locale.ROOT, "  (%,d tokens, %,d blocks)",
                kvCacheTokens(), kvCacheBlocks()));
        row(b, "  total", Bytes.of(totalBytesPerGpu()) + " of " + Bytes.of(gpuMemoryBytes()));
        row(b, "KV per token", String.format(Locale.ROOT, "%,d B (%,d B per GPU)", kvBytesPerToken(), kvBytesPerTokenPerGpu()));
        row(b, "KV for this batch", Bytes.of(workloadKvBytesPerGpu) + String.format(Locale.ROOT, " per GPU (%d x %d tokens)",
                workload.sequencesAtOnce(), workload.contextTokens()));
        row(b, "max concurrency", String.format(Locale.ROOT, "%,d sequences of %,d tokens (limited by %s); the engine logs %.2f for %,d tokens"
                        + " (not capped by its %d running sequences)", maxConcurrency, workload.contextTokens(), concurrencyLimit.words(),
                engineMaxConcurrency(), maxModelLen(), engineMaxSequences()));
        row(b, "largest max length", String.format(Locale.ROOT, "%,d tokens start", largestMaxModelLen()));
        row(b, "verdict", (fits() ? "FITS: " : "DOES NOT FIT: ") + verdict());
        b.append("assumptions:\n");
        assumptions().forEach(a -> b.append("  - ").append(a).append('\n'));
        return b.toString();
    }

    private static void row(StringBuilder b, String label, String value) {
        b.append(String.format(Locale.ROOT, "%-22s %s%n", label, value));
    }
}
