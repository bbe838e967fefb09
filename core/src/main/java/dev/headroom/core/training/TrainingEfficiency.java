package dev.headroom.core.training;

import dev.headroom.core.base.Require;
import java.util.Locale;

/**
 * The few constants of the training time model that no datasheet gives. They are fitted by code
 * ({@code dev.headroom.validation.TrainingFit}) against the public training measurements in
 * validation/training.csv and validation/found/training.csv; {@code TrainingFit_constantsTest} fails when
 * {@link #DEFAULT} drifts from what the fit returns, and {@code TrainingValidation_gateTest} reports the
 * leave-one-source-out error of the fit.
 *
 * @param gemm          share of the dense 16-bit peak that large training GEMMs and fused attention reach
 * @param fp8           share of the FP8 path's dense peak that FP8 GEMMs reach, relative to {@code gemm}
 *                      (scaling, casts and the GEMMs that stay in 16 bits cost the rest)
 * @param traffic       memory-bound work per step as a multiple of the bytes the layers save for backward
 *                      (norms, activations, residual adds, casts read and write each saved tensor a few times)
 * @param compiled      factor on that traffic under torch.compile, which fuses pointwise ops
 */
public record TrainingEfficiency(double gemm, double fp8, double traffic, double compiled) {
    public TrainingEfficiency {
        Require.fraction("GEMM efficiency", gemm);
        Require.fraction("FP8 GEMM efficiency", fp8);
        Require.positive("memory traffic multiple", traffic);
        Require.fraction("compiled traffic factor", compiled);
    }

    /** Fitted on every public training row (see the class comment); rounded to the digits shown. */
    public static final TrainingEfficiency DEFAULT = new TrainingEfficiency(0.63, 0.76, 6.6, 0.33);

    public TrainingEfficiency withGemm(double v) {
        return new TrainingEfficiency(v, fp8, traffic, compiled);
    }

    public TrainingEfficiency withFp8(double v) {
        return new TrainingEfficiency(gemm, v, traffic, compiled);
    }

    public TrainingEfficiency withTraffic(double v) {
        return new TrainingEfficiency(gemm, fp8, v, compiled);
    }

    public TrainingEfficiency withCompiled(double v) {
        return new TrainingEfficiency(gemm, fp8, traffic, v);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "GEMMs at %.0f%% of the 16-bit peak (FP8 at %.0f%% of that share of the FP8 peak), "
                + "memory traffic %.2f x the saved activations (x %.2f compiled)", 100 * gemm, 100 * fp8, traffic, compiled);
    }
}
