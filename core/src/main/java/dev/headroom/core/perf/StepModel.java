package dev.headroom.core.perf;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.memory.MemoryProfile;
import dev.headroom.core.model.KvLayout;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.model.MoeFfn;
import dev.headroom.core.precision.ComputeType;
import dev.headroom.core.precision.Precision;

/**
 * Time of one engine step on one pipeline stage, kernel group by kernel group, each its own roofline:
 * <ul>
 *   <li>dense matrix multiplies: streaming the stage's dense weights, or their FLOPs at an efficiency that grows with
 *       the rows of the multiply (the tokens of the step on this rank);</li>
 *   <li>routed experts: only the experts the step's tokens reach are read; each runs on its share of the tokens
 *       (tokens x top-k / experts rows), so small batches leave tensor cores idle; under expert parallelism the busiest
 *       rank (tokens arrive unevenly) sets the pace;</li>
 *   <li>attention: decoding sequences read their KV (paged gathers) and do their attention FLOPs; prompt tokens attend
 *       to half their prompt on average;</li>
 *   <li>communication: tensor-parallel all-reduces, expert-parallel all-to-alls, the hand-off to the next stage (hop
 *       latency plus bytes over the link);</li>
 *   <li>a fixed per-step overhead of the engine.</li>
 * </ul>
 * The groups run one after another, so their times add. A GPU without a listed link talks over PCIe Gen4 x16 at
 * 16 GB/s effective. Everything that depends only on the deployment is computed in the constructor.
 * A step runs {@code decode} sequences at average context {@code context} and, mixed in (continuous batching with
 * chunked prefill), {@code prefillTokens} prompt tokens of prompts of length {@code promptLength}.
 */
public final class StepModel {
    /** Effective bandwidth of a PCIe Gen4 x16 link when a GPU lists none. */
    static final double DEFAULT_LINK_BYTES_PER_SECOND = 16e9;

    private final Efficiency eff;
    private final ComputeType computeType;
    private final double peak;
    private final double gemvRate;
    /** Attention runs on 16-bit tensor cores whatever the weights' format. */
    private final double attentionPeak;
    // dense matmuls on this rank
    private final double denseWeightSeconds;
    private final double denseFlopsPerToken;
    /** Tokens of the step that one rank's dense matmuls see (attention data parallelism splits them). */
    private final double denseTokenShare;
    // routed experts on this rank
    private final boolean moe;
    private final double expertWeightSeconds;
    private final double expertFlopsPerToken;
    private final double topKOverE;
    private final int experts;
    private final int topK;
    private final int ep;
    // attention
    private final ModelProfile.AttentionCost prefillAttention;
    private final ModelProfile.AttentionCost decodeAttention;
    private final double attentionShards;
    private final KvLayout kvAll;
    private final double kvSecondsPerByte;
    // communication
    private final double allReduceCoeffLatency;
    private final double allReduceCoeffBytes;
    private final double allToAllLatency;
    private final double allToAllCoeffBytes;
    private final double handOffLatency;
    private final double handOffCoeffBytes;
    /** Tokens the engine schedules into one step (its max_num_batched_tokens or equivalent), fixed per deployment. */
    private final int tokensPerStep;

    public StepModel(MemoryProfile memory, Efficiency eff, double gemvEfficiency) {
        ModelProfile profile = memory.model();
        ModelSpec model = profile.spec();
        Deployment d = memory.deployment();
        Gpu gpu = d.gpu();
        this.eff = eff;
        this.computeType = d.engine().computePath(gpu, memory.weights());
        this.peak = gpu.peakFlops(computeType).orElseThrow();
        this.gemvRate = gpu.peakFlops(ComputeType.FP32).orElse(0) * gemvEfficiency;
        this.attentionPeak = ComputeType.BF16.fallbacks().stream().filter(c -> gpu.peakFlops(c).isPresent()).findFirst()
                .map(c -> gpu.peakFlops(c).getAsDouble()).orElse(peak);
        int pp = d.pp();
        int tp = d.tp();
        double bandwidth = gpu.bandwidthBytesPerSecond();
        double weightRate = bandwidth * eff.weightBandwidth();

        // Weights on the heaviest stage, split into routed experts and the rest by their share of the parameters.
        long heaviest = memory.stages().stream().mapToLong(s -> s.rank().weightsBytes()).max().orElse(0) + memory.rotaryBytes();
        double routedShare = profile.params() == 0 ? 0 : (double) profile.routedParams() / profile.params();
        double expertBytes = heaviest * routedShare;
        this.denseWeightSeconds = (heaviest - expertBytes) / weightRate;
        this.expertWeightSeconds = expertBytes / weightRate;

        MoeFfn moeFfn = model.moe().orElse(null);
        this.moe = moeFfn != null;
        this.experts = moe ? moeFfn.experts() : 1;
        this.topK = moe ? moeFfn.topK() : 1;
        this.topKOverE = moe ? (double) topK / experts : 1;
        this.ep = d.ep();
        double routedActive = moe ? (double) profile.routedParams() * topK / experts : 0;
        // FLOPs per token on this rank and stage: dense weights split by tp (or their tokens by attention DP), experts
        // by ep when experts are spread over ranks, else by tp.
        this.denseFlopsPerToken = 2.0 * (profile.matmulParamsPerToken() - routedActive) / tp / pp;
        // Under attention DP each rank multiplies its own requests' tokens by whole attention weights.
        this.denseTokenShare = d.attentionDp() ? 1.0 / tp : 1.0;
        this.expertFlopsPerToken = 2.0 * routedActive / (ep > 1 ? ep : tp) / pp;

        this.prefillAttention = profile.attentionCost(0, model.layerCount());
        this.decodeAttention = profile.decodeAttentionCost(0, model.layerCount());
        this.attentionShards = (double) d.attentionTp() * pp * d.attentionGroups();
        this.kvAll = KvLayout.of(model.layers(), 0, model.layerCount(), memory.kv(), d.engine().stateFormat(model), d.attentionTp());
        this.kvSecondsPerByte = 1.0 / (bandwidth * eff.kvBandwidth()) / pp / d.attentionGroups();

        double link = (gpu.interconnect().links() ? gpu.interconnect().bytesPerSecond() : DEFAULT_LINK_BYTES_PER_SECOND)
                * eff.collectiveBandwidth();
        double latency = eff.collectiveLatencySeconds();
        double hidden2 = model.hiddenSize() * 2.0;
        double layersPerStage = (double) model.layerCount() / pp;
        // Two all-reduces per layer of the hidden states (after attention and after the MLP). Small messages go
        // one-shot (each rank reads its peers: one latency); large ones move 2(N-1)/N of the bytes (ring or two-shot).
        // Under attention DP the attention half becomes part of the all-to-all.
        int n = d.attentionDp() ? 1 : tp;
        this.allReduceCoeffLatency = n == 1 ? 0 : 2.0 * layersPerStage * latency;
        this.allReduceCoeffBytes = n == 1 ? 0 : 2.0 * layersPerStage * 2.0 * (n - 1) / n * hidden2 / link;
        // Expert parallelism: every MoE layer sends each token's hidden state to the ranks holding its experts and back
        // (dispatch + combine), (ep-1)/ep of the top-k copies leaving the rank.
        long moeLayers = model.layers().stream().filter(l -> l.ffn() instanceof MoeFfn).count();
        boolean a2a = ep > 1 && moe;
        this.allToAllLatency = a2a ? 2.0 * moeLayers / pp * latency : 0;
        this.allToAllCoeffBytes = a2a ? 2.0 * moeLayers / pp * topK * hidden2 * (ep - 1) / ep / link / d.attentionGroups() : 0;
        // Pipeline parallelism: a stage hands its hidden states to the next over the link.
        this.handOffLatency = pp > 1 ? latency : 0;
        this.handOffCoeffBytes = pp > 1 ? hidden2 / link : 0;
        this.tokensPerStep = d.engine().tokensPerStep(model, gpu);
    }

    /** Tokens the engine schedules into one step on this deployment. */
    public int tokensPerStep() {
        return tokensPerStep;
    }

    public ComputeType computeType() {
        return computeType;
    }

    /** The parts of one step's time, in seconds: each kernel group counted as memory- or compute-bound. */
    public record StepTime(double memory, double compute, double communication, double overhead) {
        public double total() {
            return memory + compute + communication + overhead;
        }

        public Bottleneck bottleneck() {
            if (communication > Math.max(memory, compute)) {
                return Bottleneck.COMMUNICATION;
            }
            return memory >= compute ? Bottleneck.MEMORY_BANDWIDTH : Bottleneck.COMPUTE;
        }
    }

    /** Rate of a matrix multiply with {@code rows} rows: tensor cores at the size-dependent efficiency, or the vector units. */
    private double rate(double rows) {
        return Math.max(peak * eff.mfu(rows), gemvRate);
    }

    private double attentionRate(double rows) {
        return Math.max(attentionPeak * eff.mfu(rows), gemvRate);
    }

    /**
     * The busiest expert-parallel rank's load over the mean: tokens reach ranks at random, so with {@code mean} token
     * copies per rank the expected maximum over {@code ep} ranks is about mean + sqrt(2 mean ln ep).
     */
    private double expertImbalance(double tokens) {
        if (ep <= 1) {
            return 1;
        }
        double mean = tokens * topK / ep;
        return mean <= 0 ? 1 : 1 + Math.sqrt(2 * Math.log(ep) / mean);
    }

    public StepTime step(double decode, double context, double prefillTokens, double promptLength) {
        double tokens = decode + prefillTokens;
        if (tokens <= 0) {
            return new StepTime(0, 0, 0, eff.stepOverheadSeconds());
        }
        double overhead = eff.stepOverheadSeconds() + decode * eff.sequenceOverheadSeconds();
        double memory = 0;
        double compute = 0;
        // Dense matmuls: weights streamed once per step, FLOPs over the step's tokens on this rank.
        double denseRows = tokens * denseTokenShare;
        double denseCompute = tokens * denseFlopsPerToken / rate(denseRows);
        if (denseWeightSeconds >= denseCompute) {
            memory += denseWeightSeconds;
        } else {
            compute += denseCompute;
        }
        if (moe) {
            double touched = 1 - Math.pow(1 - topKOverE, tokens);
            double expertRead = expertWeightSeconds * touched / eff.moeGemmEfficiency();
            double rowsPerExpert = tokens * topKOverE;
            double expertCompute = tokens * expertFlopsPerToken * expertImbalance(tokens) / (rate(rowsPerExpert) * eff.moeGemmEfficiency());
            if (expertRead >= expertCompute) {
                memory += expertRead;
            } else {
                compute += expertCompute;
            }
        }
        // Attention: decode reads each sequence's KV; prompts attend causally to half their prompt on average.
        double kvRead = decode * kvAll.bytes(context) * kvSecondsPerByte;
        double decodeAttention = decode <= 0 ? 0 : decode * this.decodeAttention.flops(context) / attentionShards / attentionRate(decode);
        double prefillAttention = prefillTokens <= 0 ? 0
                : prefillTokens * this.prefillAttention.flops(promptLength / 2) / attentionShards / attentionRate(prefillTokens);
        if (kvRead >= decodeAttention) {
            memory += kvRead;
        } else {
            compute += decodeAttention;
        }
        compute += prefillAttention;
        double communication = allReduceCoeffLatency + allReduceCoeffBytes * tokens + allToAllLatency + allToAllCoeffBytes * tokens
                + handOffLatency + handOffCoeffBytes * tokens;
        return new StepTime(memory, compute, communication, overhead);
    }

    /** Total seconds of one step, without building the breakdown. */
    public double seconds(double decode, double context, double prefillTokens, double promptLength) {
        return step(decode, context, prefillTokens, promptLength).total();
    }

    public Efficiency efficiency() {
        return eff;
    }
}
