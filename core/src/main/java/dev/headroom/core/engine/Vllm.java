package dev.headroom.core.engine;

import dev.headroom.core.hardware.Gpu;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.workload.Workload;
import java.util.List;
import java.util.Locale;

/**
 * vLLM: KV budget = ceil(total x gpu_memory_utilization) - weights - the activation peak of a profile run over
 * max_num_batched_tokens - the non-torch memory the release charges (- CUDA graphs since v0.21), cut into blocks
 * ({@link VllmKvGroups}). Which memory is charged, the batching defaults and how the pool is reported changed
 * over the releases in {@link VllmRelease}.
 */
public record Vllm(Release release, VllmKnobs knobs) implements Engine {
    /** Releases whose rules are modelled. */
    public static final List<Release> RELEASES = VllmRelease.releases();
    /** V0 turns on chunked prefill by itself beyond this max_model_len (vllm/engine/arg_utils.py, v0.6.x). */
    public static final int CHUNKED_PREFILL_ABOVE = 32_768;
    static final int DEFAULT_BLOCK_SIZE = 16;
    /** V0's max_num_batched_tokens with chunked prefill on (SchedulerConfig, v0.6.x). */
    static final int V0_CHUNKED_TOKENS = 2_048;

    /**
     * Bytes the sampler keeps live per logit (rows x vocab) in the profile run: the fp32 logits, probabilities,
     * log-probabilities and top-k/top-p sort buffers. memory.csv M01: 1.26 GiB at 256 rows x 128,256 (41 B), at TP1 and
     * TP2 alike; found/memory.csv PM006: 1.78 GiB at 320 x 151,936 (39 B); PM008: 1.71 GiB left at 1,024 x 201,088 (37 B).
     */
    static final long SAMPLER_BYTES_PER_LOGIT = 39;
    /** vLLM 0.6.4's non-torch memory on one GPU, CUDA context included (issue vllm-project/vllm#10517: 0.35 GiB). */
    static final long NON_TORCH_AT_0_6_4 = Bytes.ofGiB(0.35).value();
    /** vLLM 0.6.5's non-torch memory on one GPU, measured from before the CUDA context (PR #10511 log: 1.79 GiB). */
    static final long NON_TORCH_AT_0_6_5 = Bytes.ofGiB(1.79).value();
    /**
     * Non-torch increase on one GPU once the baseline follows the CUDA context (cuBLAS and attention workspaces): the
     * median of 0.16 (PR #12126), 0.12 (M07), 0.09 (PM004), 0.08 (PM006), 0.07 (PM007) and 0.05 GiB (M06).
     */
    static final long NON_TORCH_LIBRARIES = Bytes.ofGiB(0.085).value();

    public Vllm {
        if (release == null || knobs == null) {
            throw new IllegalArgumentException("vLLM needs a release and knobs");
        }
    }

    public static Vllm defaults() {
        return at(null);
    }

    public static Vllm at(String version) {
        return new Vllm(Release.resolve("vllm", version, RELEASES), VllmKnobs.DEFAULTS);
    }

    @Override
    public String id() {
        return "vllm";
    }

    VllmRelease rules() {
        return VllmRelease.of(release);
    }

    public Vllm withGpuMemoryUtilization(double f) {
        return new Vllm(release, knobs.withUtilization(f));
    }

    public Vllm withBlockSize(int n) {
        return new Vllm(release, knobs.withBlockSize(n));
    }

    public Vllm withMaxModelLen(Integer n) {
        return new Vllm(release, knobs.withMaxModelLen(n));
    }

    public Vllm withMaxNumBatchedTokens(Integer n) {
        return new Vllm(release, knobs.withMaxNumBatchedTokens(n));
    }

    public Vllm withMaxNumSeqs(int n) {
        return new Vllm(release, knobs.withMaxNumSeqs(n));
    }

    public double gpuMemoryUtilization() {
        return knobs.gpuMemoryUtilization();
    }

    @Override
    public Integer maxLength() {
        return autoMaxModelLen() ? null : knobs.maxModelLen();
    }

    private boolean autoMaxModelLen() {
        return knobs.maxModelLen() != null && knobs.maxModelLen() == VllmKnobs.AUTO_MAX_MODEL_LEN;
    }

    @Override
    public Engine withMaxLength(int tokens) {
        return withMaxModelLen(tokens);
    }

    @Override
    public Engine with(String knob, String value) {
        return new Vllm(release, knobs.with(this, knob, value));
    }

    @Override
    public List<Setting> settings() {
        return knobs.settings();
    }

    @Override
    public List<Integer> lengthBreakpoints() {
        return knobs.maxNumBatchedTokens() == null ? List.of(CHUNKED_PREFILL_ABOVE) : List.of();
    }

    @Override
    public boolean buildsRotaryTable() {
        return true;
    }

    @Override
    public long gpuWeightBytes(dev.headroom.core.model.Tensor tensor, dev.headroom.core.precision.Precision format, long rankParams,
                               WeightLoad load) {
        return VllmMoePadding.bytes(tensor, format, rankParams, load);
    }

    /** The V1 engine runs: VLLM_USE_V1 as set, else the release's default. */
    public boolean v1() {
        VllmRelease r = rules();
        if (knobs.v1() == null) {
            return r.v1Default();
        }
        if (!knobs.v1() && !r.v0Available()) {
            throw InvalidInputException.field("v1", false, "vLLM " + release.version() + " has no V0 engine (removed in 0.11); use v1=true or an older version");
        }
        return knobs.v1();
    }

    /** Chunked prefill: always in V1; in V0 as set, else on by itself above max_model_len 32k (from 0.6.4). */
    boolean chunkedPrefill(int maxModelLen) {
        if (v1()) {
            return true;
        }
        if (knobs.enableChunkedPrefill() != null) {
            return knobs.enableChunkedPrefill();
        }
        return rules().accounting() != VllmRelease.Accounting.DEVICE_USED && maxModelLen > CHUNKED_PREFILL_ABOVE;
    }

    /**
     * V1's large defaults (vllm/engine/arg_utils.py get_batch_defaults): GPUs of 70 GiB or more, A100s excepted since
     * PR #17885, batch 16,384 tokens (LLM class) or 8,192 (server) and 1,024 sequences; others 8,192 / 2,048 and 256.
     */
    private boolean largeV1Defaults(Gpu gpu) {
        String name = (gpu.id() + " " + gpu.name()).toLowerCase(Locale.ROOT);
        return gpu.visibleMemoryBytes() >= 70 * Bytes.GIB && !(rules().excludesA100() && name.contains("a100"));
    }

    /** max_num_seqs: as set, else 256 (V0), or V1's default for this GPU. */
    public int maxNumSeqs(RankFacts rank) {
        if (knobs.maxNumSeqs() != null) {
            return knobs.maxNumSeqs();
        }
        return v1() && largeV1Defaults(rank.gpu()) ? 1024 : 256;
    }

    /** Tokens of one forward pass (and of the profile run): as set, else the release's default. */
    public long maxNumBatchedTokens(RankFacts rank, int maxModelLen) {
        return maxNumBatchedTokens(rank.gpu(), maxModelLen);
    }

    private long maxNumBatchedTokens(Gpu gpu, int maxModelLen) {
        if (knobs.maxNumBatchedTokens() != null) {
            return knobs.maxNumBatchedTokens();
        }
        if (v1()) {
            boolean server = knobs.usageContext().equals("server");
            return largeV1Defaults(gpu) ? (server ? 8192 : 16_384) : (server ? 2048 : 8192);
        }
        return chunkedPrefill(maxModelLen) ? V0_CHUNKED_TOKENS : Math.max(maxModelLen, 2048);
    }

    /** Batch sizes captured in CUDA graphs: V0 [1, 2, 4, 8, 16, ...] up to max_num_seqs; V1 also steps of 16 above 256. */
    int cudaGraphCount(int maxNumSeqs) {
        if (knobs.enforceEager()) {
            return 0;
        }
        if (!v1()) {
            // vllm/worker/model_runner.py _BATCH_SIZES_TO_CAPTURE: [1, 2, 4] + [8 * i ...], up to max_num_seqs.
            return 3 + maxNumSeqs / 8;
        }
        // vllm/config.py: [1, 2, 4] + range(8, 256, 8) + range(256, max_capture + 1, 16), max_capture = min(2 x seqs, 512).
        int cap = knobs.maxCudagraphCaptureSize() != null ? knobs.maxCudagraphCaptureSize() : Math.min(2 * maxNumSeqs, 512);
        int count = 0;
        for (int s : new int[] {1, 2, 4}) {
            count += s <= cap ? 1 : 0;
        }
        for (int s = 8; s < 256 && s <= cap; s += 8) {
            count++;
        }
        for (int s = 256; s <= cap; s += 16) {
            count++;
        }
        return count;
    }

    /** CUDA-graph pools: graphs x layers on the rank x the per-layer figure. */
    long cudaGraphBytes(RankFacts rank, int maxNumSeqs) {
        return (long) cudaGraphCount(maxNumSeqs) * rank.kv().layers().size() * DeviceMemory.CUDA_GRAPH_BYTES_PER_LAYER;
    }

    /** Communication buffers on the rank: none when every rank of the split sits on a node of its own. */
    long communication(RankFacts rank) {
        return knobs.nnodes() > 1 && rank.tp() * rank.pp() <= knobs.nnodes() ? 0 : rank.communicationBytes();
    }

    @Override
    public long cudaGraphBytes(RankFacts rank) {
        return cudaGraphBytes(rank, maxNumSeqs(rank));
    }

    /** Non-torch memory this release charges on the rank. */
    long chargedNonTorch(RankFacts rank, VllmRelease.Accounting accounting) {
        long comm = communication(rank);
        return switch (accounting) {
            case DEVICE_USED, V1_DEVICE_MINUS_ALLOCATED -> DeviceMemory.CUDA_CONTEXT_BYTES + comm;
            case TORCH_PEAK_PLUS_NON_TORCH -> NON_TORCH_AT_0_6_4 + comm;
            case INCREASE_INCLUDING_CONTEXT -> NON_TORCH_AT_0_6_5 + comm;
            case INCREASE_SINCE_START -> NON_TORCH_LIBRARIES + comm;
            case INCREASE_AFTER_DISTRIBUTED -> NON_TORCH_LIBRARIES;
        };
    }

    /** Memory on the GPU that the release does not charge but that is there: the context, and NCCL once it is in the baseline. */
    long unchargedNonTorch(RankFacts rank, VllmRelease.Accounting accounting) {
        return switch (accounting) {
            case DEVICE_USED, V1_DEVICE_MINUS_ALLOCATED, TORCH_PEAK_PLUS_NON_TORCH, INCREASE_INCLUDING_CONTEXT -> 0;
            case INCREASE_SINCE_START -> DeviceMemory.CUDA_CONTEXT_BYTES;
            case INCREASE_AFTER_DISTRIBUTED -> DeviceMemory.CUDA_CONTEXT_BYTES + communication(rank);
        };
    }

    /** The fitted sampler figure (bytes per logit), for the validation that refits it. */
    public static long samplerBytesPerLogit() {
        return SAMPLER_BYTES_PER_LOGIT;
    }

    /** Whether vLLM's profiled activation on this rank is its sampler's: the term {@link #SAMPLER_BYTES_PER_LOGIT} scales. */
    public static boolean samplerDominates(Engine engine, RankFacts rank, int maxModelLen) {
        if (!(engine instanceof Vllm v) || (!v.v1() && v.chunkedPrefill(maxModelLen))) {
            return false;
        }
        long batched = v.maxNumBatchedTokens(rank, maxModelLen);
        long rows = Math.min(v.maxNumSeqs(rank), batched);
        return samplerBytes(rank, rows) > rank.activation().forwardBytes(batched) + rank.logitsBytes(rows);
    }

    /** The sampler's working buffers over {@code rows} rows (last pipeline stage only). */
    static long samplerBytes(RankFacts rank, long rows) {
        return rank.lastStage() ? dev.headroom.core.base.Checked.multiply(rows, SAMPLER_BYTES_PER_LOGIT * rank.vocabSize(),
                "sampler bytes") : 0;
    }

    /**
     * The profile run's activation peak: the forward pass over max_num_batched_tokens with the logits of the sampled
     * rows, or the sampler over those rows, whichever is larger. V0 with chunked prefill shows no sampler peak
     * (memory.csv M06: 0.22 GiB, M15: 0.10 GiB at 256 sequences x 128,256 vocab), so there only the forward counts.
     */
    long profileActivation(RankFacts rank, long batched, long rows, boolean chunked) {
        long forward = dev.headroom.core.base.Checked.add(rank.activation().forwardBytes(batched), rank.logitsBytes(rows), "activation bytes");
        if (!v1() && chunked) {
            return forward;
        }
        return Math.max(forward, samplerBytes(rank, rows));
    }

    @Override
    public int tokensPerStep(ModelSpec model, Gpu gpu) {
        long tokens = maxNumBatchedTokens(gpu, Engine.maxModelLen(maxLength(), model, "max_model_len"));
        return (int) Math.min(Integer.MAX_VALUE, tokens);
    }

    @Override
    public KvPool reserve(RankFacts rank, ModelSpec model, Workload workload) {
        VllmRelease r = rules();
        boolean v1 = v1();
        VllmRelease.Accounting accounting = v1 || r.accounting().compareTo(VllmRelease.Accounting.INCREASE_SINCE_START) < 0
                ? r.accounting() : VllmRelease.Accounting.INCREASE_SINCE_START;
        int len = Engine.maxModelLen(autoMaxModelLen() ? null : knobs.maxModelLen(), model, "max_model_len");
        boolean chunked = chunkedPrefill(len);
        int seqs = maxNumSeqs(rank);
        long batched = maxNumBatchedTokens(rank, len);
        long rows = Math.min(seqs, batched);
        long weights = rank.weightsBytes() + rank.rotaryCacheBytes();
        long activation = profileActivation(rank, batched, rows, chunked);
        long nonTorch = chargedNonTorch(rank, accounting);
        long graphs = cudaGraphBytes(rank, seqs);
        long deductedGraphs = r.deductsCudaGraphs() ? graphs : 0;
        // vllm/v1/worker/gpu_worker.py: requested_memory = ceil(total x gpu_memory_utilization).
        long budget = (long) Math.ceil(rank.visibleMemoryBytes() * knobs.gpuMemoryUtilization());
        long available = knobs.kvCacheMemory() != null ? knobs.kvCacheMemory() : budget - weights - activation - nonTorch - deductedGraphs;

        VllmKvGroups groups = v1 && r.hybridAllocator() && !knobs.disableHybridKvCacheManager()
                ? VllmKvGroups.hybrid(rank.kv(), knobs.blockSize(), batched)
                : VllmKvGroups.uniform(rank.kv(), knobs.blockSize() != null ? knobs.blockSize() : DEFAULT_BLOCK_SIZE, batched);
        long blocks = knobs.numGpuBlocksOverride() != null ? knobs.numGpuBlocksOverride() : groups.blocks(available);
        long kvBytes = dev.headroom.core.base.Checked.multiply(blocks, groups.blockBytes(), "KV cache bytes");
        if (autoMaxModelLen() && available > 0 && groups.blocksFor(len) > blocks) {
            // auto-fit: the longest max_model_len whose one request the pool holds
            len = Math.max(1, new KvPool(new KvPool.Charges(0, 0, 0, 0), 0, available, 1, blocks, blocks, groups.blockSize(), len, 1,
                    groups::blocksFor, null).longestRequest(len));
        }
        long tokens = groups.tokensLine(blocks, v1 ? r.tokensLine() : VllmRelease.TokensLine.BLOCKS, len);
        Refusal refusal = refusal(rank, r, accounting, len, available, blocks, groups, graphs, rows);
        KvPool.Charges charges = new KvPool.Charges(weights, activation, nonTorch, deductedGraphs);
        if (refusal != null && available <= 0) {
            kvBytes = 0;
            tokens = 0;
            blocks = 0;
        }
        return new KvPool(charges, budget, available, kvBytes, tokens, blocks, groups.blockSize(), len, seqs, groups::blocksFor, refusal);
    }

    private Refusal refusal(RankFacts rank, VllmRelease r, VllmRelease.Accounting accounting, int len, long available,
                            long blocks, VllmKvGroups groups, long graphs, long rows) {
        if (available <= 0) {
            // vllm/v1/core/kv_cache_utils.py check_enough_kv_cache_memory / V0 raise_if_cache_size_invalid
            return new Refusal("No available memory for the cache blocks: weights, the profiled activations and non-torch memory "
                    + "take all of total x gpu_memory_utilization (Available KV cache memory: " + gib(available) + ")",
                    "gpu_memory_utilization", "raise gpu_memory_utilization, quantize the weights or add GPUs", -available + 1);
        }
        long needed = groups.blocksFor(len);
        if (needed > blocks) {
            int longest = new KvPool(new KvPool.Charges(0, 0, 0, 0), 0, available, Math.max(1, blocks), blocks, blocks,
                    groups.blockSize(), len, 1, groups::blocksFor, null).longestRequest(len);
            long neededBytes = dev.headroom.core.base.Checked.multiply(needed, groups.blockBytes(), "KV bytes of one request");
            return new Refusal("To serve at least one request with the model's max seq len (" + len + "), " + gib(neededBytes)
                    + " KV cache is needed, which is larger than the available KV cache memory (" + gib(available)
                    + "); the estimated maximum model length is " + longest, "max_model_len",
                    "lower max_model_len to " + longest + " or raise gpu_memory_utilization", Math.max(1, neededBytes - available));
        }
        if (v1() && r.warmsUpAfterKv()) {
            // compile_or_warm_up_model: CUDA graphs, then a sampler run over max_num_seqs dummy requests, both after the
            // KV cache is allocated, in what total x (1 - gpu_memory_utilization) leaves (found/memory.csv PM013).
            long headroom = rank.visibleMemoryBytes() - (long) Math.ceil(rank.visibleMemoryBytes() * knobs.gpuMemoryUtilization())
                    - unchargedNonTorch(rank, accounting);
            long need = (r.deductsCudaGraphs() ? 0 : graphs) + samplerBytes(rank, rows);
            if (need > 0 && need > headroom) {
                return new Refusal("CUDA out of memory warming up the sampler with " + rows + " dummy requests after the KV cache is "
                        + "allocated: CUDA graphs and the sampler need " + gib(need) + " of the " + gib(Math.max(0, headroom))
                        + " that gpu_memory_utilization leaves", "max_num_seqs",
                        "lower max_num_seqs or gpu_memory_utilization", need - Math.max(0, headroom));
            }
        }
        return null;
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) Bytes.GIB);
    }

    @Override
    public String describe(RankFacts rank) {
        StringBuilder b = new StringBuilder(Engine.super.describe());
        int len = knobs.maxModelLen() != null && !autoMaxModelLen() ? knobs.maxModelLen() : -1;
        b.append("; resolved: ").append(v1() ? "V1" : "V0");
        b.append(", max_num_seqs=").append(maxNumSeqs(rank));
        if (len > 0) {
            b.append(", max_num_batched_tokens=").append(maxNumBatchedTokens(rank, len));
            b.append(chunkedPrefill(len) ? ", chunked prefill on" : ", chunked prefill off");
        }
        return b.toString();
    }
}
