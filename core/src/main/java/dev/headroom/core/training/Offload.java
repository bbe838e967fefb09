package dev.headroom.core.training;

import java.util.List;

/**
 * What lives in host memory instead of on the GPU: nothing; the optimizer (fp32 master weights and optimizer
 * states, plus DeepSpeed's fp32 gradient partitions: ZeRO-Offload); or the optimizer and the parameters too
 * (ZeRO-3 offload_param, FSDP CPUOffload), which needs parameters sharded.
 */
public enum Offload {
    NONE("none"), OPTIMIZER("optimizer"), OPTIMIZER_AND_PARAMS("optimizer+params");

    private final String key;

    Offload(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public boolean optimizer() {
        return this != NONE;
    }

    public boolean params() {
        return this == OPTIMIZER_AND_PARAMS;
    }

    public static Offload parse(String text, String field) {
        return Keys.parse(values(), Offload::key, text, field);
    }

    public static List<String> keys() {
        return Keys.keys(values(), Offload::key);
    }

    @Override
    public String toString() {
        return key;
    }
}
