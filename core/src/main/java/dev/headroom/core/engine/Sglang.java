package dev.headroom.core.engine;

import dev.headroom.core.hardware.Gpu;

import dev.headroom.core.base.Checked;
import dev.headroom.core.base.Require;
import dev.headroom.core.model.KvLayout;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.workload.Workload;
import java.util.List;

/**
 * SGLang: the pool is sized from the memory free when the server starts (after the CUDA context and NCCL), not the
 * GPU's total: rest = free after weights - free at start x (1 - mem_fraction_static); tokens = rest / cell size,
 * page-aligned (python/sglang/srt/model_executor/model_runner.py profile_max_num_token, every release read). The
 * default fraction follows the GPU's capacity and TP by release ({@link SglangDefaults}). Hybrid models: sliding-window
 * layers get their own pool at swa_full_tokens_ratio of the full layers' tokens, and Mamba/linear-attention state takes
 * mamba_full_memory_ratio / (1 + ratio) of the rest before the KV pool (model_runner_kv_cache_mixin.py).
 */
public record Sglang(Release release, Double memFractionStatic, Integer contextLength, Integer chunkedPrefillSize,
                     Integer maxRunningRequests, int pageSize, Integer maxTotalTokens, Integer cudaGraphMaxBs,
                     boolean disableCudaGraph, Integer maxMambaCacheSize, double swaFullTokensRatio,
                     double mambaFullMemoryRatio, List<Integer> cudaGraphBs, dev.headroom.core.precision.Precision mambaSsmDtype)
        implements Engine {
    public static final List<Release> RELEASES = SglangDefaults.releases();
    /** Default swa_full_tokens_ratio (a 2025 server-args dump, gpustack/gpustack#3831). */
    static final double SWA_FULL_TOKENS_RATIO = 0.8;
    /** Default mamba_full_memory_ratio (server_args.py; also in published server-args dumps). */
    static final double MAMBA_FULL_MEMORY_RATIO = 0.9;

    public Sglang {
        if (memFractionStatic != null) {
            Engine.requireFraction("mem_fraction_static", memFractionStatic);
        }
        Engine.requirePositive("context_length", contextLength);
        Engine.requirePositive("chunked_prefill_size", chunkedPrefillSize);
        Engine.requirePositive("max_running_requests", maxRunningRequests);
        Require.positive("page_size", pageSize);
        Engine.requirePositive("max_total_tokens", maxTotalTokens);
        Engine.requirePositive("cuda_graph_max_bs", cudaGraphMaxBs);
        Engine.requirePositive("max_mamba_cache_size", maxMambaCacheSize);
        Require.fraction("swa_full_tokens_ratio", swaFullTokensRatio);
        Require.positive("mamba_full_memory_ratio", mambaFullMemoryRatio);
        cudaGraphBs = cudaGraphBs == null ? null : List.copyOf(cudaGraphBs);
    }

    public static Sglang defaults() {
        return at(null);
    }

    public static Sglang at(String version) {
        return new Sglang(Release.resolve("sglang", version, RELEASES), null, null, null, null, 1, null, null, false, null,
                SWA_FULL_TOKENS_RATIO, MAMBA_FULL_MEMORY_RATIO, null, null);
    }

    @Override
    public String id() {
        return "sglang";
    }

    SglangDefaults defaultsRule() {
        return SglangDefaults.of(release);
    }

    public Sglang withMemFractionStatic(Double f) {
        return new Sglang(release, f, contextLength, chunkedPrefillSize, maxRunningRequests, pageSize, maxTotalTokens, cudaGraphMaxBs,
                disableCudaGraph, maxMambaCacheSize, swaFullTokensRatio, mambaFullMemoryRatio, cudaGraphBs, mambaSsmDtype);
    }

    public Sglang withContextLength(Integer n) {
        return new Sglang(release, memFractionStatic, n, chunkedPrefillSize, maxRunningRequests, pageSize, maxTotalTokens, cudaGraphMaxBs,
                disableCudaGraph, maxMambaCacheSize, swaFullTokensRatio, mambaFullMemoryRatio, cudaGraphBs, mambaSsmDtype);
    }

    public Sglang withChunkedPrefillSize(Integer n) {
        return new Sglang(release, memFractionStatic, contextLength, n, maxRunningRequests, pageSize, maxTotalTokens, cudaGraphMaxBs,
                disableCudaGraph, maxMambaCacheSize, swaFullTokensRatio, mambaFullMemoryRatio, cudaGraphBs, mambaSsmDtype);
    }

    public Sglang withMaxRunningRequests(Integer n) {
        return new Sglang(release, memFractionStatic, contextLength, chunkedPrefillSize, n, pageSize, maxTotalTokens, cudaGraphMaxBs,
                disableCudaGraph, maxMambaCacheSize, swaFullTokensRatio, mambaFullMemoryRatio, cudaGraphBs, mambaSsmDtype);
    }

    @Override
    public Integer maxLength() {
        return contextLength;
    }

    @Override
    public Engine withMaxLength(int tokens) {
        return withContextLength(tokens);
    }

    @Override
    public Engine with(String knob, String value) {
        String id = id();
        return switch (knob) {
            case "mem_fraction_static" -> withMemFractionStatic(Engine.doubleValue(id, knob, value));
            case "context_length" -> withContextLength(Engine.intValue(id, knob, value));
            case "chunked_prefill_size" -> withChunkedPrefillSize(Engine.intValue(id, knob, value));
            case "max_running_requests" -> withMaxRunningRequests(Engine.intValue(id, knob, value));
            case "page_size" -> new Sglang(release, memFractionStatic, contextLength, chunkedPrefillSize, maxRunningRequests,
                    Engine.intValue(id, knob, value), maxTotalTokens, cudaGraphMaxBs, disableCudaGraph, maxMambaCacheSize,
                    swaFullTokensRatio, mambaFullMemoryRatio, cudaGraphBs, mambaSsmDtype);
            case "max_total_tokens" -> new Sglang(release, memFractionStatic, contextLength, chunkedPrefillSize, maxRunningRequests,
                    pageSize, Engine.intValue(id, knob, value), cudaGraphMaxBs, disableCudaGraph, maxMambaCacheSize, swaFullTokensRatio,
                    mambaFullMemoryRatio, cudaGraphBs, mambaSsmDtype);
            case "cuda_graph_max_bs" -> new Sglang(release, memFractionStatic, contextLength, chunkedPrefillSize, maxRunningRequests,
                    pageSize, maxTotalTokens, Engine.intValue(id, knob, value), disableCudaGraph, maxMambaCacheSize, swaFullTokensRatio,
                    mambaFullMemoryRatio, cudaGraphBs, mambaSsmDtype);
            case "disable_cuda_graph" -> new Sglang(release, memFractionStatic, contextLength, chunkedPrefillSize, maxRunningRequests,
                    pageSize, maxTotalTokens, cudaGraphMaxBs, Engine.boolValue(id, knob, value), maxMambaCacheSize, swaFullTokensRatio,
                    mambaFullMemoryRatio, cudaGraphBs, mambaSsmDtype);
            case "max_mamba_cache_size", "mamba_cache_size" -> new Sglang(release, memFractionStatic, contextLength, chunkedPrefillSize,
                    maxRunningRequests, pageSize, maxTotalTokens, cudaGraphMaxBs, disableCudaGraph, Engine.intValue(id, knob, value),
                    swaFullTokensRatio, mambaFullMemoryRatio, cudaGraphBs, mambaSsmDtype);
            case "swa_full_tokens_ratio" -> new Sglang(release, memFractionStatic, contextLength, chunkedPrefillSize, maxRunningRequests,
                    pageSize, maxTotalTokens, cudaGraphMaxBs, disableCudaGraph, maxMambaCacheSize, Engine.doubleValue(id, knob, value),
                    mambaFullMemoryRatio, cudaGraphBs, mambaSsmDtype);
            case "mamba_full_memory_ratio" -> new Sglang(release, memFractionStatic, contextLength, chunkedPrefillSize,
                    maxRunningRequests, pageSize, maxTotalTokens, cudaGraphMaxBs, disableCudaGraph, maxMambaCacheSize, swaFullTokensRatio,
                    Engine.doubleValue(id, knob, value), cudaGraphBs, mambaSsmDtype);
            case "cuda_graph_bs" -> new Sglang(release, memFractionStatic, contextLength, chunkedPrefillSize, maxRunningRequests,
                    pageSize, maxTotalTokens, cudaGraphMaxBs, disableCudaGraph, maxMambaCacheSize, swaFullTokensRatio, mambaFullMemoryRatio,
                    java.util.Arrays.stream(value.split("[/ ,]+")).map(v -> Engine.intValue(id, knob, v)).toList(), mambaSsmDtype);
            case "mamba_ssm_dtype" -> new Sglang(release, memFractionStatic, contextLength, chunkedPrefillSize, maxRunningRequests,
                    pageSize, maxTotalTokens, cudaGraphMaxBs, disableCudaGraph, maxMambaCacheSize, swaFullTokensRatio, mambaFullMemoryRatio,
                    cudaGraphBs, dev.headroom.core.precision.Precision.parse(value, knob));
            default -> throw Engine.unknownKnob(this, knob);
        };
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                new Setting("mem_fraction_static", memFractionStatic == null ? "default by GPU and tp" : memFractionStatic.toString(),
                        "share of the memory free at start-up for weights and the KV pool"),
                new Setting("context_length", contextLength == null ? "model default" : contextLength.toString(), "longest sequence admitted"),
                new Setting("chunked_prefill_size", text(chunkedPrefillSize), "prompt tokens per forward pass"),
                new Setting("max_running_requests", text(maxRunningRequests), "requests running at once"),
                new Setting("page_size", String.valueOf(pageSize), "tokens per KV page"),
                new Setting("max_total_tokens", text(maxTotalTokens), "a cap on the pool's tokens"),
                new Setting("cuda_graph_max_bs", text(cudaGraphMaxBs), "largest batch captured in a CUDA graph"),
                new Setting("disable_cuda_graph", String.valueOf(disableCudaGraph), "no CUDA graphs"),
                new Setting("max_mamba_cache_size", text(maxMambaCacheSize), "recurrent-state slots of hybrid models"),
                new Setting("swa_full_tokens_ratio", String.valueOf(swaFullTokensRatio), "sliding-window pool tokens per full-layer token"),
                new Setting("mamba_full_memory_ratio", String.valueOf(mambaFullMemoryRatio), "recurrent-state memory per KV memory"),
                new Setting("cuda_graph_bs", cudaGraphBs == null ? "default" : cudaGraphBs.toString(), "batch sizes captured in CUDA graphs"),
                new Setting("mamba_ssm_dtype", mambaSsmDtype == null ? "model dtype" : mambaSsmDtype.name(), "format of recurrent states"));
    }

    private static String text(Integer v) {
        return v == null ? "default" : v.toString();
    }

    @Override
    public boolean buildsRotaryTable() {
        return true;
    }

    int chunkedPrefill(RankFacts rank) {
        return chunkedPrefillSize != null ? chunkedPrefillSize : defaultsRule().chunkedPrefillSize(rank.capacityBytes());
    }

    int graphMaxBs(RankFacts rank) {
        return cudaGraphMaxBs != null ? cudaGraphMaxBs : defaultsRule().cudaGraphMaxBs(rank.capacityBytes(), rank.tp());
    }

    /** mem_fraction_static as set, else the release's default for this GPU and split. */
    public double fraction(RankFacts rank) {
        return memFractionStatic != null ? memFractionStatic
                : defaultsRule().memFractionStatic(rank.capacityBytes(), rank.tp(), rank.pp(), false, chunkedPrefill(rank), graphMaxBs(rank));
    }

    /** The format recurrent states are kept in: mamba_ssm_dtype as set, else the model's. */
    @Override
    public dev.headroom.core.precision.Precision stateFormat(ModelSpec model) {
        return mambaSsmDtype != null ? mambaSsmDtype : model.activationDtype();
    }

    @Override
    public long cudaGraphBytes(RankFacts rank) {
        return (long) cudaGraphCount(graphMaxBs(rank)) * rank.kv().layers().size() * DeviceMemory.CUDA_GRAPH_BYTES_PER_LAYER;
    }

    /** CUDA graphs captured: cuda_graph_bs as set, else 1, 2, 4, 8, 12, then steps of 8 up to cuda_graph_max_bs (cuda_graph_runner.py). */
    int cudaGraphCount(int maxBs) {
        if (disableCudaGraph) {
            return 0;
        }
        if (cudaGraphBs != null) {
            return cudaGraphBs.size();
        }
        int count = 0;
        for (int s : new int[] {1, 2, 4, 8, 12}) {
            count += s <= maxBs ? 1 : 0;
        }
        for (int s = 16; s <= maxBs; s += 8) {
            count++;
        }
        return count;
    }

    @Override
    public String describe(RankFacts rank) {
        return describe() + "; resolved: mem_fraction_static=" + fraction(rank) + ", chunked_prefill_size=" + chunkedPrefill(rank)
                + ", cuda_graph_max_bs=" + graphMaxBs(rank);
    }

    /**
     * SGLang admits a request when the pool holds its tokens plus new_token_ratio x its remaining output for every
     * running request; the ratio decays from 0.7 to 0.7 x 0.14 over 600 steps and stays there while nothing is
     * retracted (python/sglang/global_config.py and managers/scheduler.py, v0.4.9). Averaged over a request's life:
     * prompt + half the output used + the floor ratio x half the output reserved.
     */
    static final double STEADY_NEW_TOKEN_RATIO = 0.7 * 0.14;

    @Override
    public double heldTokensPerRequest(int input, int output) {
        return input + output / 2.0 * (1 + STEADY_NEW_TOKEN_RATIO);
    }

    @Override
    public int tokensPerStep(ModelSpec model, Gpu gpu) {
        return chunkedPrefillSize != null ? chunkedPrefillSize : defaultsRule().chunkedPrefillSize(gpu.memoryBytes());
    }

    @Override
    public KvPool reserve(RankFacts rank, ModelSpec model, Workload workload) {
        // beyond max_position_embeddings SGLang runs with SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN (found/memory.csv PS001:
        // QwQ-32B at 131072); the length sets only the request cap, not the pool
        int len = contextLength != null ? contextLength : model.maxPositions();
        double fraction = fraction(rank);
        // model_runner.init_torch_distributed: "total" is the memory free once the context and NCCL exist.
        long startFree = rank.visibleMemoryBytes() - DeviceMemory.CUDA_CONTEXT_BYTES - rank.communicationBytes();
        long weights = rank.weightsBytes() + rank.rotaryCacheBytes();
        long rest = startFree - weights - (long) Math.ceil(startFree * (1 - fraction));
        KvLayout kv = rank.kv();
        long stateBytes = kv.stateBytesPerSequence();
        long mambaSlots = 0;
        long kvRest = rest;
        if (stateBytes > 0 && rest > 0) {
            long mambaMemory = maxMambaCacheSize != null ? Checked.multiply(maxMambaCacheSize, stateBytes, "state bytes")
                    : (long) (rest * mambaFullMemoryRatio / (1 + mambaFullMemoryRatio));
            mambaSlots = maxMambaCacheSize != null ? maxMambaCacheSize : mambaMemory / stateBytes;
            kvRest = rest - Checked.multiply(mambaSlots, stateBytes, "state bytes");
        }
        long full = kv.fullBytesPerToken();
        long swa = kv.growingBytesPerToken() - full;
        // hybrid SWA: full-layer tokens T and sliding tokens r x T share the memory; #tokens reports T.
        double perToken = full + swaFullTokensRatio * swa;
        if (full == 0) {
            perToken = swa; // every layer sliding: one pool
        }
        long tokens = kvRest <= 0 || perToken <= 0 ? 0 : (long) Math.floor(kvRest / perToken);
        if (maxTotalTokens != null) {
            tokens = Math.min(tokens, maxTotalTokens);
        }
        tokens = tokens / pageSize * pageSize;
        long kvBytes = (long) Math.floor(tokens * perToken);
        int chunk = chunkedPrefill(rank);
        int maxBs = graphMaxBs(rank);
        int running = maxRunningRequests != null ? maxRunningRequests
                : (int) Math.max(1, Math.min(Math.min(Math.max(tokens * 512 / Math.max(1, len), 2048), 4096), tokens / 2));
        if (mambaSlots > 0) {
            running = (int) Math.min(running, mambaSlots);
        }
        long activation = Checked.add(rank.activation().forwardBytes(chunk), rank.logitsBytes(Math.min(running, chunk)), "activation bytes");
        long graphs = cudaGraphBytes(rank);
        long statePool = Checked.multiply(mambaSlots, stateBytes, "state bytes");
        KvPool.Charges charges = new KvPool.Charges(weights, activation, DeviceMemory.CUDA_CONTEXT_BYTES + rank.communicationBytes(),
                graphs, statePool);
        Refusal refusal = tokens <= 0 ? new Refusal("Not enough memory: weights leave no KV pool within mem_fraction_static = " + fraction
                + " of the memory free at start-up", "mem_fraction_static", "raise --mem-fraction-static, quantize or add GPUs",
                Math.max(1, -rest)) : null;
        long budget = (long) Math.floor(startFree * fraction);
        return new KvPool(charges, budget, rest, kvBytes, tokens, tokens, 1, len,
                running, KvPool.Demand.TOKENS, refusal);
    }
}
