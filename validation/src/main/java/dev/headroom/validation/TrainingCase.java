package dev.headroom.validation;

import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.training.TrainingEfficiency;
import dev.headroom.core.training.TrainingMemory;
import dev.headroom.core.training.TrainingModel;
import dev.headroom.core.training.TrainingSetup;
import dev.headroom.core.training.TrainingTime;
import java.util.Locale;

/**
 * One published training figure read into a model, a GPU and a setup, ready to be predicted under any efficiency
 * constants (the fit calls {@link #predict} many times; the memory, which no constant changes, is computed once).
 *
 * @param group     the publication the figure comes from (repository and file, or paper): the unit of leave-one-source-out
 * @param mfuVsBf16 the published MFU of an FP8 run is relative to the 16-bit peak
 */
record TrainingCase(String id, String source, String group, String description, String metric, Kind kind, double expected,
                    ModelProfile model, Gpu gpu, TrainingSetup setup, boolean mfuVsBf16, TrainingMemory memory) {

    /** What a figure measures; time kinds are what the efficiency constants are fitted to. */
    enum Kind {
        ALLOCATED_GIB(true, false), RESERVED_GIB(true, false), PROCESS_GIB(true, false),
        TOKENS_PER_S(false, true), STEP_TIME_S(false, true), MFU(false, true), MODEL_TFLOPS(false, false);

        final boolean memory;
        final boolean time;

        Kind(boolean memory, boolean time) {
            this.memory = memory;
            this.time = time;
        }
    }

    static TrainingCase of(String id, String source, String group, String description, String metric, Kind kind, double expected,
                           ModelProfile model, Gpu gpu, TrainingSetup setup, boolean mfuVsBf16) {
        return new TrainingCase(id, source, group, description, metric, kind, expected, model, gpu, setup, mfuVsBf16,
                TrainingModel.memory(model, gpu, setup));
    }

    double predict(TrainingEfficiency e) {
        double gib = 1L << 30;
        return switch (kind) {
            case ALLOCATED_GIB -> memory.allocatedBytes() / gib;
            case RESERVED_GIB -> memory.reservedBytes() / gib;
            case PROCESS_GIB -> memory.totalBytes() / gib;
            case TOKENS_PER_S, STEP_TIME_S, MFU, MODEL_TFLOPS -> {
                TrainingTime t = TrainingModel.time(model, gpu, setup, e, memory);
                yield switch (kind) {
                    case TOKENS_PER_S -> t.tokensPerSecondPerGpu();
                    case STEP_TIME_S -> t.stepSeconds();
                    case MFU -> t.mfu() * (mfuVsBf16 ? t.peakFlops() / bf16Peak() : 1);
                    default -> t.modelFlopsPerToken() * t.tokensPerSecondPerGpu() / 1e12;
                };
            }
        };
    }

    private double bf16Peak() {
        return gpu.peakFlops(dev.headroom.core.precision.ComputeType.BF16).orElse(Double.NaN);
    }

    String unit() {
        return switch (kind) {
            case ALLOCATED_GIB, RESERVED_GIB, PROCESS_GIB -> "GiB";
            case TOKENS_PER_S -> "tok/s";
            case STEP_TIME_S -> "s";
            case MFU -> "MFU";
            case MODEL_TFLOPS -> "TFLOP/s";
        };
    }

    ValidationCase judged(TrainingEfficiency e, double tolerance) {
        return new ValidationCase(id, source, description, metric, expected, predict(e), unit(), tolerance, null);
    }

    ValidationCase informational(TrainingEfficiency e) {
        return new ValidationCase(id, source, description, metric, expected, predict(e), unit(), null, null);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s %s = %s", id, metric, description, expected);
    }
}
