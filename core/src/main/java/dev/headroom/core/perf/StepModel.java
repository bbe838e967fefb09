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
 * Time of one engine step on one pipeline stage, as a roofline: the larger of memory time (weights
 * touched + KV read) and compute time (per-dtype peak x size-dependent MFU), plus communication
 * (tensor-parallel all-reduces, expert-parallel all-to-alls, the hand-off to the next pipeline stage:
 * each hop latency + bytes over the link) and a fixed per-step overhead. A GPU without a listed link
 * talks over PCIe Gen4 x16 at 16 GB/s effective. Everything that depends only on the deployment is
 * computed once in the constructor; {@link #step} is arithmetic.
 * A step runs {@code decode} sequences at average context {@code context} and, mixed in (as
 * continuous batching with chunked prefill does), {@code prefillTokens} prompt tokens of prompts of
 * length {@code promptLength}.
 */
public final class StepModel {
    /** Effective bandwidth of a PCIe Gen4 x16 link when a GPU lists none. */
    static final double DEFAULT_LINK_BYTES_PER_SECOND = 16e9;

    private final Efficiency eff;
    private final ComputeType computeType;
    private final double weightSeconds;
    private final double expertSeconds;
    private final double kvSecondsPerByte;
    private final double peak;
    private final double gemvRate;
    private final double matmulFlopsPerToken;
    private final ModelProfile.AttentionCost attention;
    private final KvLayout kvAll;
    private final double shards;
    private final int pp;
    private final double moeTopKOverE;
    private final boolean moe;
    // communication
    private final double allReduceCoeffLatency;
    private final double allReduceCoeffBytes;
    private final double allToAllLatency;
    private final double allToAllCoeffBytes;
    private final double handOffLatency;
    private final double handOffCoeffBytes;

    public StepModel(MemoryProfile memory, Efficiency eff, double gemvEfficiency) {
        ModelProfile profile = memory.model();
        ModelSpec model = profile.spec();
        Deployment d = memory.deployment();
        Gpu gpu = d.gpu();
        this.eff = eff;
        this.computeType = computePath(gpu, memory.weights());
        this.peak = gpu.peakFlops(computeType).orElseThrow();
        this.gemvRate = gpu.peakFlops(ComputeType.FP32).orElse(0) * gemvEfficiency;
        this.shards = (double) d.tp() * d.pp();
        this.pp = d.pp();
        double bandwidth = gpu.bandwidthBytesPerSecond();
        long heaviest = memory.stages().stream().mapToLong(s -> s.rank().weightsBytes()).max().orElse(0) + memory.rotaryBytes();
        double routedShare = profile.params() == 0 ? 0 : (double) profile.routedParams() / profile.params();
        double expertBytes = heaviest * routedShare;
        this.weightSeconds = (heaviest - expertBytes) / (bandwidth * eff.weightBandwidth());
        this.expertSeconds = expertBytes / (bandwidth * eff.weightBandwidth());
        this.kvSecondsPerByte = 1.0 / (bandwidth * eff.kvBandwidth()) / d.pp();
        this.matmulFlopsPerToken = 2.0 * profile.matmulParamsPerToken();
        this.attention = profile.attentionCost(0, model.layerCount());
        this.kvAll = KvLayout.of(model.layers(), 0, model.layerCount(), memory.kv(), d.engine().stateFormat(model), d.tp());
        MoeFfn moeFfn = model.moe().orElse(null);
        this.moe = moeFfn != null;
        this.moeTopKOverE = moeFfn == null ? 0 : (double) moeFfn.topK() / moeFfn.experts();
        double link = gpu.interconnect().links() ? gpu.interconnect().bytesPerSecond() : DEFAULT_LINK_BYTES_PER_SECOND;
        double hop = eff.allReduceHopSeconds();
        double hidden2 = model.hiddenSize() * 2.0;
        // Two all-reduces per layer of the hidden states: 2(N-1) hops plus 2(N-1)/N of the bytes over the link.
        int n = d.tp();
        double layersPerStage = (double) model.layerCount() / d.pp();
        this.allReduceCoeffLatency = n == 1 ? 0 : 2.0 * layersPerStage * 2.0 * (n - 1) * hop;
        this.allReduceCoeffBytes = n == 1 ? 0 : 2.0 * layersPerStage * 2.0 * (n - 1) / n * hidden2 / link;
        // Expert parallelism: every MoE layer sends each token's hidden state to the ranks holding its experts
        // and back (dispatch + combine), (ep-1)/ep of them leaving the rank, top-k copies each.
        int ep = d.ep();
        long moeLayers = model.layers().stream().filter(l -> l.ffn() instanceof MoeFfn).count();
        boolean a2a = ep > 1 && moeFfn != null;
        this.allToAllLatency = a2a ? 2.0 * moeLayers / d.pp() * (ep - 1) * hop : 0;
        this.allToAllCoeffBytes = a2a ? 2.0 * moeLayers / d.pp() * moeFfn.topK() * hidden2 * (ep - 1) / ep / link : 0;
        // Pipeline parallelism: a stage hands its hidden states to the next over the link.
        this.handOffLatency = d.pp() > 1 ? hop : 0;
        this.handOffCoeffBytes = d.pp() > 1 ? hidden2 / link : 0;
    }

    public ComputeType computeType() {
        return computeType;
    }

    /**
     * The tensor-core path the weights compute on: the format's own where the GPU has it, else the next
     * wider one (fp8 weights on an A100 run as 16-bit after dequantization, as Marlin kernels do).
     */
    public static ComputeType computePath(Gpu gpu, Precision weights) {
        for (ComputeType c : weights.compute().fallbacks()) {
            if (gpu.peakFlops(c).isPresent()) {
                return c;
            }
        }
        throw new InvalidInputException("GPU " + gpu.id() + " lists no dense FLOP/s for " + weights.compute().key()
                + " or any wider type; add peak_tflops_dense to its catalog file");
    }

    /** The parts of one step's time, in seconds. */
    public record StepTime(double memory, double compute, double communication, double overhead) {
        public double total() {
            return Math.max(memory, compute) + communication + overhead;
        }

        public Bottleneck bottleneck() {
            if (communication > Math.max(memory, compute)) {
                return Bottleneck.COMMUNICATION;
            }
            return memory >= compute ? Bottleneck.MEMORY_BANDWIDTH : Bottleneck.COMPUTE;
        }
    }

    /** Routed experts a step of {@code tokens} tokens touches, as a share: 1 - (1 - k/E)^tokens. */
    private double expertsTouched(double tokens) {
        return moe ? 1 - Math.pow(1 - moeTopKOverE, tokens) : 1;
    }

    public StepTime step(double decode, double context, double prefillTokens, double promptLength) {
        double tokens = decode + prefillTokens;
        double memory = weightSeconds + expertSeconds * expertsTouched(tokens)
                + decode * kvAll.bytes(context) * kvSecondsPerByte;
        double flops = tokens * matmulFlopsPerToken
                + decode * attention.flops(context)
                // causal prefill: each prompt token attends to half the prompt on average
                + prefillTokens * attention.flops(promptLength / 2);
        // Few tokens run as matrix-vector products on the vector units, which reach about half their peak.
        double rate = Math.max(peak * eff.mfu(tokens), gemvRate);
        double compute = tokens <= 0 ? 0 : flops / shards / rate;
        double communication = tokens <= 0 ? 0
                : allReduceCoeffLatency + allReduceCoeffBytes * tokens + allToAllLatency + allToAllCoeffBytes * tokens
                        + handOffLatency + handOffCoeffBytes * tokens;
        return new StepTime(memory, compute, communication, eff.stepOverheadSeconds());
    }

    /** Total seconds of one step, without building the breakdown. */
    public double seconds(double decode, double context, double prefillTokens, double promptLength) {
        return step(decode, context, prefillTokens, promptLength).total();
    }

    int pp() {
        return pp;
    }

    public Efficiency efficiency() {
        return eff;
    }
}
