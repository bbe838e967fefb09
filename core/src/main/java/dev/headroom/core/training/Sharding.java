package dev.headroom.core.training;

import dev.headroom.core.base.InvalidInputException;
import java.util.List;

/**
 * How model states are split over the data-parallel GPUs (ZeRO, Rajbhandari et al., arXiv 1910.02054):
 * replicated (DDP); optimizer states sharded (stage 1, Megatron's distributed optimizer); gradients too
 * (stage 2); parameters too (stage 3, FSDP FULL_SHARD). Hybrid FSDP shards within a node and replicates
 * across nodes (HYBRID_SHARD).
 */
public enum Sharding {
    DDP("ddp", 0), ZERO_1("zero-1", 1), ZERO_2("zero-2", 2), ZERO_3("zero-3", 3), FSDP_FULL("fsdp-full", 3),
    FSDP_HYBRID("fsdp-hybrid", 3);

    private final String key;
    private final int stage;

    Sharding(String key, int stage) {
        this.key = key;
        this.stage = stage;
    }

    public String key() {
        return key;
    }

    /** The ZeRO stage this sharding equals: what is split (1 optimizer, 2 + gradients, 3 + parameters). */
    public int stage() {
        return stage;
    }

    public boolean fsdp() {
        return this == FSDP_FULL || this == FSDP_HYBRID;
    }

    /** DeepSpeed's --zero N. */
    public static Sharding zero(int stage) {
        return switch (stage) {
            case 0 -> DDP;
            case 1 -> ZERO_1;
            case 2 -> ZERO_2;
            case 3 -> ZERO_3;
            default -> throw InvalidInputException.field("zero", stage, "valid ZeRO stages: 0, 1, 2, 3");
        };
    }

    /** PyTorch FSDP's sharding: full or hybrid. */
    public static Sharding fsdp(String text, String field) {
        if (text != null && text.trim().equalsIgnoreCase("full")) {
            return FSDP_FULL;
        }
        if (text != null && text.trim().equalsIgnoreCase("hybrid")) {
            return FSDP_HYBRID;
        }
        throw InvalidInputException.unknown(field, String.valueOf(text), List.of("full", "hybrid"));
    }

    public static Sharding parse(String text, String field) {
        return Keys.parse(values(), Sharding::key, text, field);
    }

    public static List<String> keys() {
        return Keys.keys(values(), Sharding::key);
    }

    @Override
    public String toString() {
        return key;
    }
}
