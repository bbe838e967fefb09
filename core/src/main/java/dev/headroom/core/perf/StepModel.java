package dev.headroom.core;

/**
 * Time of one engine step on one pipeline stage, as a roofline: the larger of memory time (weights
 * touched + KV read) and compute time (per-dtype peak x size-dependent MFU), plus communication
 * (tensor-parallel all-reduces, expert-parallel all-to-alls, the hand-off to the next pipeline stage:
 * each hop latency + bytes over the link) and a fixed per-step overhead. A GPU without a listed link
 * talks over PCIe Gen4 x16 at 16 GB/s effective.
 * A step runs {@code decode} sequences at average context {@code context} and, mixed in (as
 * continuous batching with chunked prefill does), {@code prefillTokens} prompt tokens of prompts of
 * length {@code promptLength}.
 */
final class StepModel {
    private final ModelSpec model;
    private final Deployment d;
    private final Precision kv;
    private final Efficiency eff;
    private final double bandwidth;
    /** Share of the vector (fp32) peak a matrix-vector product reaches. */
    static final double GEMV_EFFICIENCY = 0.5;

    private final double peak;
    private final double vectorPeak;
    private final String computeType;
    private final double expertBytes;
    private final double otherWeightBytes;
    private final double matmulFlopsPerToken;
    private final double attentionFlopsPerContextToken;
    private final double shards;

    StepModel(ModelSpec model, Deployment d, MemoryEstimate memory, Efficiency eff) {
        this.model = model;
        this.d = d;
        this.kv = memory.kv();
        this.eff = eff;
        this.bandwidth = d.gpu().bandwidthBytesPerSecond();
        this.computeType = computePath(d.gpu(), memory.weights());
        this.peak = d.gpu().peakFlops(computeType).orElseThrow();
        this.vectorPeak = d.gpu().peakFlops("fp32").orElse(0);
        this.shards = (double) d.tp() * d.pp();
        double routed = model.tensors().stream().filter(Tensor::routed).mapToLong(Tensor::params).sum();
        double fraction = routed / model.params();
        this.expertBytes = memory.weightsBytesPerGpu() * fraction;
        this.otherWeightBytes = memory.weightsBytesPerGpu() - expertBytes;
        // Matmul FLOPs per token: 2 x active parameters, minus the embedding lookup (no matmul), plus the
        // lm_head when it shares the embedding's weights.
        long embedding = (long) model.vocabSize() * model.hiddenSize();
        this.matmulFlopsPerToken = 2.0 * (model.activeParams() - (model.tiedEmbeddings() ? 0 : embedding));
        Attention a = model.attention();
        double perLayer = a.isMla()
                ? 2.0 * a.heads() * (a.mla().qkNopeHeadDim() + a.mla().qkRopeHeadDim() + a.mla().vHeadDim())
                : 4.0 * a.heads() * a.headDim();
        this.attentionFlopsPerContextToken = perLayer; // per layer; layers applied with windows below
    }

    String computeType() {
        return computeType;
    }

    /**
     * The tensor-core path the weights compute on: the format's own where the GPU has it, else the next
     * wider one (fp8 weights on an A100 run as 16-bit after dequantization, as Marlin kernels do).
     */
    static String computePath(Gpu gpu, Precision weights) {
        String[] order = switch (weights.compute()) {
            case "fp4" -> new String[] {"fp4", "fp8", "bf16", "fp16", "fp32"};
            case "fp8" -> new String[] {"fp8", "bf16", "fp16", "fp32"};
            case "int8" -> new String[] {"int8", "fp16", "bf16", "fp32"};
            case "fp32" -> new String[] {"tf32", "fp32"};
            case "fp16" -> new String[] {"fp16", "bf16", "fp32"};
            default -> new String[] {"bf16", "fp16", "fp32"};
        };
        for (String c : order) {
            if (gpu.peakFlops(c).isPresent()) {
                return c;
            }
        }
        throw new InvalidInputException("GPU " + gpu.id() + " lists no dense FLOP/s for " + weights.compute()
                + " or any wider type; add peak_tflops_dense to its catalog file");
    }

    /** Attention-span of a context: sliding-window layers see at most their window. */
    private double attendedLayerTokens(double context) {
        Attention a = model.attention();
        int full = model.layers() - a.slidingLayers();
        return full * context + a.slidingLayers() * Math.min(context, a.slidingWindow() == 0 ? context : a.slidingWindow());
    }

    private double kvBytesPerGpu(double sequences, double context) {
        // KV read per step: each sequence's cached tokens on this rank's layers.
        double perLayerToken = KvCache.bytesPerTokenPerLayer(model, kv, d.tp());
        return sequences * perLayerToken * attendedLayerTokens(context) / d.pp();
    }

    /** Routed experts a step of {@code tokens} tokens touches, as a share: 1 - (1 - k/E)^tokens. */
    private double expertsTouched(double tokens) {
        if (!model.isMoe()) {
            return 1;
        }
        double k = model.moe().expertsPerToken();
        double e = model.moe().experts();
        return 1 - Math.pow(1 - k / e, tokens);
    }

    record StepTime(double memory, double compute, double communication, double overhead) {
        double total() {
            return Math.max(memory, compute) + communication + overhead;
        }

        String bottleneck() {
            if (communication > Math.max(memory, compute)) {
                return "communication";
            }
            return memory >= compute ? "memory bandwidth" : "compute";
        }
    }

    StepTime step(double decode, double context, double prefillTokens, double promptLength) {
        double tokens = decode + prefillTokens;
        double weights = otherWeightBytes + expertBytes * expertsTouched(tokens);
        double memory = weights / (bandwidth * eff.weightBandwidth())
                + kvBytesPerGpu(decode, context) / (bandwidth * eff.kvBandwidth());
        double flops = tokens * matmulFlopsPerToken
                + decode * attentionFlopsPerContextToken * attendedLayerTokens(context)
                // causal prefill: each prompt token attends to half the prompt on average
                + prefillTokens * attentionFlopsPerContextToken * attendedLayerTokens(promptLength / 2);
        // Few tokens run as matrix-vector products on the vector units, which reach about half their peak.
        double rate = Math.max(peak * eff.mfu(tokens), vectorPeak * GEMV_EFFICIENCY);
        double compute = tokens <= 0 ? 0 : flops / shards / rate;
        return new StepTime(memory, compute, allReduces(tokens) + allToAlls(tokens) + stageHandOff(tokens), eff.stepOverheadSeconds());
    }

    private double link() {
        return d.gpu().interconnect() != null ? d.gpu().interconnect().bytesPerSecond() : 16e9;
    }

    /**
     * Expert parallelism: every MoE layer sends each token's hidden state to the ranks holding its experts
     * and back (dispatch + combine), (ep-1)/ep of them leaving the rank, top-k copies each.
     */
    private double allToAlls(double tokens) {
        int ep = d.ep();
        if (ep == 1 || !model.isMoe() || tokens <= 0) {
            return 0;
        }
        long moeLayers = model.layers() - model.moe().denseLayers().size();
        double bytes = tokens * model.moe().expertsPerToken() * model.hiddenSize() * 2.0 * (ep - 1) / ep;
        double one = (ep - 1) * eff.allReduceHopSeconds() + bytes / link();
        return 2.0 * moeLayers / d.pp() * one;
    }

    /** Pipeline parallelism: a stage hands its hidden states to the next over the link. */
    private double stageHandOff(double tokens) {
        if (d.pp() == 1 || tokens <= 0) {
            return 0;
        }
        return eff.allReduceHopSeconds() + tokens * model.hiddenSize() * 2.0 / link();
    }

    /** Two all-reduces per layer of the hidden states: 2(N-1) hops plus 2(N-1)/N of the bytes over the link. */
    private double allReduces(double tokens) {
        int n = d.tp();
        if (n == 1 || tokens <= 0) {
            return 0;
        }
        double bytes = tokens * model.hiddenSize() * 2.0;
        double one = 2.0 * (n - 1) * eff.allReduceHopSeconds() + 2.0 * (n - 1) / n * bytes / link();
        return 2.0 * model.layers() / d.pp() * one;
    }
}
