package dev.headroom.core.engine;

import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.workload.Workload;
import java.util.List;

/**
 * Plain Hugging Face transformers generate() with a static cache: every one of the batch's sequences reserves
 * max_length tokens up front (the workload's input + output when no length is set).
 */
public record Transformers(Release release, Integer maxLength) implements Engine {
    public static final List<Release> RELEASES = List.of(
            // src/transformers/cache_utils.py StaticCache: (batch, heads, max_cache_len, head_dim) per layer.
            new Release("4.38", "github:huggingface/transformers src/transformers/cache_utils.py@v4.38.0 StaticCache"));

    public Transformers {
        Engine.requirePositive("max_length", maxLength);
    }

    public static Transformers defaults() {
        return at(null);
    }

    public static Transformers at(String version) {
        return new Transformers(Release.resolve("transformers", version, RELEASES), null);
    }

    @Override
    public String id() {
        return "transformers";
    }

    @Override
    public Engine withMaxLength(int tokens) {
        return new Transformers(release, tokens);
    }

    @Override
    public Engine with(String knob, String value) {
        return switch (knob) {
            case "max_length", "max_cache_len" -> withMaxLength(Engine.intValue(id(), knob, value));
            default -> throw Engine.unknownKnob(this, knob);
        };
    }

    @Override
    public List<Setting> settings() {
        return List.of(new Setting("max_length", maxLength == null ? "input + output" : maxLength.toString(),
                "tokens reserved for each sequence of the batch"));
    }

    @Override
    public boolean poolDependsOnWorkload() {
        return true;
    }

    @Override
    public boolean servesOverHttp() {
        return false;
    }

    @Override
    public KvPool reserve(RankFacts rank, ModelSpec model, Workload workload) {
        int len = Engine.maxModelLen(maxLength != null ? maxLength : workload.contextTokens(), model, "max_length");
        int batch = workload.sequencesAtOnce();
        long kv = dev.headroom.core.base.Checked.multiply(batch, rank.kv().bytes(len), "static KV cache bytes");
        // The prefill of the whole batch is the peak: batch x prompt tokens in one forward, and the logits of the batch.
        long activation = dev.headroom.core.base.Checked.add(rank.activation().forwardBytes((long) batch * workload.inputTokens()),
                rank.logitsBytes(batch), "activation bytes");
        KvPool.Charges charges = new KvPool.Charges(rank.weightsBytes(), activation,
                DeviceMemory.CUDA_CONTEXT_BYTES + rank.communicationBytes(), 0);
        // A batch too large for the sum to fit a long is refused here, naming it, rather than wrapped negative later.
        long needed = dev.headroom.core.base.Checked.add(charges.total(), kv,
                "bytes per GPU of a batch of " + batch + " x " + len + " tokens (weights, activations, static KV cache)");
        long available = rank.visibleMemoryBytes() - charges.total();
        long over = needed - rank.visibleMemoryBytes();
        Refusal refusal = over > 0 ? new Refusal("CUDA out of memory: the static cache of " + batch + " x " + len
                + " tokens does not fit beside the weights", "max_length", "lower the batch or max_length, or quantize", over) : null;
        return new KvPool(charges, rank.visibleMemoryBytes(), available, kv, (long) batch * len, batch, len, len, batch,
                t -> t <= len ? 1 : Long.MAX_VALUE / 2, refusal);
    }
}
