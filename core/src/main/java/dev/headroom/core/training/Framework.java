package dev.headroom.core.training;

import java.util.List;

/**
 * How a training framework keeps the model states of one trainable parameter, in bytes: the weights as stored,
 * a separate fp32 master copy, 16-bit and fp32 ("main") gradients, and the dtype of optimizer states. These are
 * the frameworks' own accounts:
 * <ul>
 *   <li>DeepSpeed (mixed precision): "2 = params_16bit, 18 = 2_grads_16bit + 4_grads_32bit + 4_params_32bit +
 *       8_optimizer_states_32bit" (deepspeed/runtime/zero/stage_1_and_2.py, estimate_zero2_model_states_mem_needs,
 *       github:deepspeedai/DeepSpeed@edaa72212); its fp32 gradients belong to the optimizer's partition, so they
 *       are split from stage 1 on.</li>
 *   <li>Megatron-LM: "float16 param, fp32 grads: 18 bytes; distributed optimizer 6 + 12/d"
 *       (docs/source/api-guide/dist_optimizer.md, github:NVIDIA/Megatron-LM@50b073cc): fp32 main gradients in the
 *       grad buffer, never split by the distributed optimizer.</li>
 *   <li>PyTorch AMP / FSDP mixed precision: fp32 parameters and fp32 gradients (autocast or FSDP's param_dtype
 *       casts to 16 bits for compute), fp32 optimizer states: 16 bytes.</li>
 *   <li>Pure bf16 (torchtune, LitGPT "bf16-true"): bf16 parameters and gradients; torch.optim keeps states in the
 *       parameter's dtype, so AdamW's two states take 2 bytes each.</li>
 * </ul>
 *
 * @param weightBytes       the parameters as stored on the GPU
 * @param masterBytes       a separate fp32 copy the optimizer updates (0 when the weights are that copy)
 * @param grad16Bytes       16-bit gradients the backward pass writes
 * @param gradMainBytes     fp32 gradients the optimizer reads
 * @param stateBytes        bytes of one optimizer state element (fp32 4, bf16 2)
 * @param mainGradSplitFrom the ZeRO stage from which fp32 gradients are split over data-parallel ranks
 */
public enum Framework {
    DEEPSPEED("deepspeed", 2, 4, 2, 4, 4, 1),
    MEGATRON("megatron", 2, 4, 0, 4, 4, 2),
    TORCH_AMP("torch-amp", 4, 0, 0, 4, 4, 2),
    PURE_BF16("pure-bf16", 2, 0, 2, 0, 2, 2);

    private final String key;
    private final int weightBytes;
    private final int masterBytes;
    private final int grad16Bytes;
    private final int gradMainBytes;
    private final int stateBytes;
    private final int mainGradSplitFrom;

    Framework(String key, int weightBytes, int masterBytes, int grad16Bytes, int gradMainBytes, int stateBytes, int mainGradSplitFrom) {
        this.key = key;
        this.weightBytes = weightBytes;
        this.masterBytes = masterBytes;
        this.grad16Bytes = grad16Bytes;
        this.gradMainBytes = gradMainBytes;
        this.stateBytes = stateBytes;
        this.mainGradSplitFrom = mainGradSplitFrom;
    }

    public String key() {
        return key;
    }

    public int weightBytes() {
        return weightBytes;
    }

    public int masterBytes() {
        return masterBytes;
    }

    public int grad16Bytes() {
        return grad16Bytes;
    }

    public int gradMainBytes() {
        return gradMainBytes;
    }

    public int stateBytes() {
        return stateBytes;
    }

    public int mainGradSplitFrom() {
        return mainGradSplitFrom;
    }

    /** Bytes per gradient element sent in the data-parallel reduction: 16-bit when the framework writes them. */
    public int reducedGradBytes() {
        return grad16Bytes > 0 ? 2 : gradMainBytes;
    }

    /** The framework a sharding implies when none is named: ZeRO is DeepSpeed, FSDP is PyTorch, TP/PP/CP is Megatron. */
    public static Framework defaultFor(Sharding sharding, boolean modelParallel) {
        if (sharding.fsdp()) {
            return TORCH_AMP;
        }
        if (sharding.stage() > 0) {
            return DEEPSPEED;
        }
        return modelParallel ? MEGATRON : TORCH_AMP;
    }

    public static Framework parse(String text, String field) {
        return Keys.parse(values(), Framework::key, text, field);
    }

    public static List<String> keys() {
        return Keys.keys(values(), Framework::key);
    }

    @Override
    public String toString() {
        return key;
    }
}
