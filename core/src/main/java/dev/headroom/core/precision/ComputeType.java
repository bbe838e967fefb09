package dev.headroom.core.precision;

import java.util.List;
import java.util.Locale;

/**
 * The arithmetic path a matrix multiply runs on, as GPU datasheets list dense peaks. A format without its
 * own path on a GPU computes on the next wider one ({@link #fallbacks()}): fp8 weights on an A100 run as
 * 16-bit after dequantization, as Marlin kernels do.
 */
public enum ComputeType {
    FP32, TF32, BF16, FP16,
    /** fp16 inputs with fp16 accumulation: twice the fp32-accumulate rate on GeForce cards (llama.cpp uses it). */
    FP16_ACC,
    FP8, INT8, FP4, INT4;

    /** The catalog key: "bf16", "fp16_acc". */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ComputeType ofKey(String key) {
        for (ComputeType c : values()) {
            if (c.key().equals(key)) {
                return c;
            }
        }
        return null;
    }

    /** This path first, then the wider ones a kernel falls back to. */
    public List<ComputeType> fallbacks() {
        return switch (this) {
            case FP4 -> List.of(FP4, FP8, BF16, FP16, FP32);
            case INT4 -> List.of(INT4, INT8, FP16, BF16, FP32);
            case FP8 -> List.of(FP8, BF16, FP16, FP32);
            case INT8 -> List.of(INT8, FP16, BF16, FP32);
            case FP32 -> List.of(TF32, FP32);
            case TF32 -> List.of(TF32, FP32);
            case FP16 -> List.of(FP16, BF16, FP32);
            case FP16_ACC -> List.of(FP16_ACC, FP16, BF16, FP32);
            case BF16 -> List.of(BF16, FP16, FP32);
        };
    }

    /** 8- and 4-bit tensor paths, which need larger tiles and activation quantization. */
    public boolean isLowPrecision() {
        return this == FP8 || this == INT8 || this == FP4 || this == INT4;
    }
}
