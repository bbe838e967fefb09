package dev.headroom.core.engine;

import dev.headroom.core.base.Checked;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.workload.Workload;
import java.util.List;

/**
 * Hugging Face TGI: after loading the weights, the server warms up with one prefill batch of max_batch_prefill_tokens
 * (its activations and logits stay in PyTorch's cache) and then turns the memory still free into KV blocks:
 * max_batch_total_tokens = blocks x BLOCK_SIZE ("Setting max batch total tokens to N"), with a wiggle room that
 * changed over the tags ({@link TgiRelease}). A prefill batch that does not fit is refused ("Not enough memory to
 * handle N prefill tokens. You need to decrease --max-batch-prefill-tokens").
 */
public record Tgi(Release release, Integer maxBatchPrefillTokens, Integer maxTotalTokens, Double cudaMemoryFraction) implements Engine {
    public static final List<Release> RELEASES = TgiRelease.releases();
    /**
     * The warm-up prefill keeps fp32 logits of every prefill token (its requests ask for prefill log-probabilities):
     * 4 bytes per logit. found/memory.csv PG004 (Llama-3.1-70B, 10,049 prefill tokens, TP2) leaves 30,816 tokens only
     * if some 5 GiB beyond weights, context and communication buffers stay reserved after the warm-up.
     */
    static final long WARMUP_BYTES_PER_LOGIT = 4;

    public Tgi {
        Engine.requirePositive("max_batch_prefill_tokens", maxBatchPrefillTokens);
        Engine.requirePositive("max_total_tokens", maxTotalTokens);
        if (cudaMemoryFraction != null) {
            Engine.requireFraction("cuda_memory_fraction", cudaMemoryFraction);
        }
    }

    public static Tgi defaults() {
        return at(null);
    }

    public static Tgi at(String version) {
        return new Tgi(Release.resolve("tgi", version, RELEASES), null, null, null);
    }

    @Override
    public String id() {
        return "tgi";
    }

    TgiRelease rules() {
        return TgiRelease.of(release);
    }

    @Override
    public Integer maxLength() {
        return maxTotalTokens;
    }

    @Override
    public Engine withMaxLength(int tokens) {
        return new Tgi(release, maxBatchPrefillTokens, tokens, cudaMemoryFraction);
    }

    @Override
    public Engine with(String knob, String value) {
        String id = id();
        return switch (knob) {
            case "max_batch_prefill_tokens" -> new Tgi(release, Engine.intValue(id, knob, value), maxTotalTokens, cudaMemoryFraction);
            case "max_total_tokens" -> withMaxLength(Engine.intValue(id, knob, value));
            case "cuda_memory_fraction" -> new Tgi(release, maxBatchPrefillTokens, maxTotalTokens, Engine.doubleValue(id, knob, value));
            default -> throw Engine.unknownKnob(this, knob);
        };
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                new Setting("max_batch_prefill_tokens", maxBatchPrefillTokens == null ? "default" : maxBatchPrefillTokens.toString(),
                        "tokens of the warm-up prefill batch (its activations stay reserved)"),
                new Setting("max_total_tokens", maxTotalTokens == null ? "model default" : maxTotalTokens.toString(), "longest request"),
                new Setting("cuda_memory_fraction", cudaMemoryFraction == null ? "1.0" : cudaMemoryFraction.toString(),
                        "share of the GPU TGI may use"));
    }

    @Override
    public boolean buildsRotaryTable() {
        return true;
    }

    /**
     * max_total_tokens when not given (launcher/src/main.rs): 2048 before v2.0; max_position_embeddings capped at 4096 in
     * v2.0 - v2.2; from v2.3 the server's own choice after warm-up, min(pool tokens, max_position_embeddings).
     */
    static int defaultMaxTotalTokens(TgiRelease r, ModelSpec model, long poolTokens) {
        if (Release.compareVersions(r.release().version(), "2.0.0") < 0) {
            return Math.min(2048, model.maxPositions());
        }
        if (Release.compareVersions(r.release().version(), "2.3.0") < 0) {
            return Math.min(4096, model.maxPositions());
        }
        return (int) Math.max(1, Math.min(poolTokens, model.maxPositions()));
    }

    /**
     * max_batch_prefill_tokens when not given (launcher/src/main.rs): clap's fixed 4096 before v2.0 (v1.4.1);
     * max_input_tokens + 50 in v2.x (v2.0.0 - v2.4.0), max_input_tokens being min(max_position_embeddings, 4096) - 1;
     * from v3.0 min(4096, max_position_embeddings). (v3's launcher first tries the GPU's fp16 FLOP/s over the model's
     * FLOPs per token and caps by VRAM; that search is not modelled: its fallback, 4096, is used.)
     */
    static int defaultPrefillTokens(TgiRelease r, ModelSpec model) {
        if (Release.compareVersions(r.release().version(), "2.0.0") < 0) {
            return 4096;
        }
        if (Release.compareVersions(r.release().version(), "3.0.0") < 0) {
            return Math.min(model.maxPositions(), 4096) - 1 + 50;
        }
        return Math.min(4096, model.maxPositions());
    }

    @Override
    public KvPool reserve(RankFacts rank, ModelSpec model, Workload workload) {
        TgiRelease r = rules();
        if (maxTotalTokens != null) {
            Engine.maxModelLen(maxTotalTokens, model, "max_total_tokens");
        }
        int prefill = maxBatchPrefillTokens != null ? maxBatchPrefillTokens : defaultPrefillTokens(r, model);
        long weights = rank.weightsBytes() + rank.rotaryCacheBytes();
        long logits = rank.lastStage() ? Checked.multiply(prefill, WARMUP_BYTES_PER_LOGIT * rank.vocabSize(), "warm-up logit bytes") : 0;
        long activation = Checked.add(rank.activation().forwardBytes(prefill), logits, "activation bytes");
        long nonTorch = DeviceMemory.CUDA_CONTEXT_BYTES + rank.communicationBytes();
        long total = rank.visibleMemoryBytes();
        double memoryFraction = cudaMemoryFraction != null ? cudaMemoryFraction : 1.0;
        long free = total - weights - activation - nonTorch;
        long usable;
        if (r.ofTotal()) {
            usable = free - (long) Math.ceil((1 - memoryFraction * r.wiggleRoom()) * total);
        } else {
            usable = (long) Math.floor((free - (1 - memoryFraction) * total) * r.wiggleRoom());
        }
        long blockBytes = Checked.multiply(r.blockSize(), rank.kvBytesPerToken(), "KV block bytes");
        long blocks = usable <= 0 ? 0 : usable / Math.max(1, blockBytes);
        long tokens = blocks * r.blockSize();
        int len = maxTotalTokens != null ? maxTotalTokens : defaultMaxTotalTokens(r, model, tokens);
        KvPool.Charges charges = new KvPool.Charges(weights, activation, nonTorch, 0);
        Refusal refusal = null;
        if (free <= 0) {
            refusal = new Refusal("Not enough memory to handle " + prefill + " prefill tokens", "max_batch_prefill_tokens",
                    "decrease --max-batch-prefill-tokens", -free + 1);
        } else if (tokens < len) {
            refusal = new Refusal("the KV blocks (" + tokens + " tokens) hold less than one request of max_total_tokens = " + len,
                    "max_total_tokens", "lower --max-total-tokens or --max-batch-prefill-tokens", (len - tokens) * rank.kvBytesPerToken());
        }
        return new KvPool(charges, total, usable, Checked.multiply(blocks, blockBytes, "KV cache bytes"), tokens, blocks, r.blockSize(),
                len, Integer.MAX_VALUE, KvPool.Demand.pages(r.blockSize()), refusal);
    }
}
