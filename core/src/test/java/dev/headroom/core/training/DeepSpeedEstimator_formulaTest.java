package dev.headroom.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.headroom.core.base.InvalidInputException;
import org.junit.jupiter.api.Test;

/**
 * DeepSpeed's estimators (stage_1_and_2.py estimate_zero2_model_states_mem_needs, stage3.py
 * estimate_zero3_model_states_mem_needs, github:deepspeedai/DeepSpeed@edaa72212) evaluated by hand on round numbers:
 * P = 1e9 parameters, the largest layer 1e8, buffer factor 1.5.
 */
class DeepSpeedEstimator_formulaTest {
    private static final double P = 1e9;
    private static final double L = 1e8;

    @Test
    void should_match_zero2_with_and_without_offload() {
        // offload: gpu 2P; cpu P x max(4 x total GPUs, 16) x 1.5
        assertEquals(new DeepSpeedEstimator.Needs(96_000_000_000L, 2_000_000_000L),
                DeepSpeedEstimator.zero2(P, 8, 2, true, 1.5, DeepSpeedEstimator.Zero2Formula.SINCE_V0_14_3), "16 GPUs: 4 x 16 = 64");
        assertEquals(new DeepSpeedEstimator.Needs(24_000_000_000L, 2_000_000_000L),
                DeepSpeedEstimator.zero2(P, 2, 1, true, 1.5, DeepSpeedEstimator.Zero2Formula.SINCE_V0_14_3), "2 GPUs: max(8, 16) = 16");
        // no offload since v0.14.3: 2P + 18P / 16 on the GPU; cpu P x 4 x GPUs per node x 1.5
        assertEquals(new DeepSpeedEstimator.Needs(48_000_000_000L, 3_125_000_000L),
                DeepSpeedEstimator.zero2(P, 8, 2, false, 1.5, DeepSpeedEstimator.Zero2Formula.SINCE_V0_14_3));
        // before: 4P + 16P / 16
        assertEquals(new DeepSpeedEstimator.Needs(48_000_000_000L, 5_000_000_000L),
                DeepSpeedEstimator.zero2(P, 8, 2, false, 1.5, DeepSpeedEstimator.Zero2Formula.BEFORE_V0_14_3));
    }

    @Test
    void should_match_zero3_in_every_offload_and_init_mode() {
        // 8 GPUs per node, 2 nodes: gpus_factor = 1/2; largest layer memory 4L = 4e8
        assertEquals(new DeepSpeedEstimator.Needs(13_500_000_000L, 400_000_000L),
                DeepSpeedEstimator.zero3(P, L, 8, 2, true, true, true, 1.5), "params offloaded, zero_init: P x 18 x 1/2 x 1.5");
        assertEquals(new DeepSpeedEstimator.Needs(48_000_000_000L, 400_000_000L),
                DeepSpeedEstimator.zero3(P, L, 8, 2, true, true, false, 1.5), "params offloaded: P x max(32, 9) x 1.5");
        assertEquals(new DeepSpeedEstimator.Needs(12_000_000_000L, 525_000_000L),
                DeepSpeedEstimator.zero3(P, L, 8, 2, true, false, true, 1.5), "optimizer offloaded, zero_init: 4L + 2P/16; P x 16 x 1/2 x 1.5");
        assertEquals(new DeepSpeedEstimator.Needs(48_000_000_000L, 525_000_000L),
                DeepSpeedEstimator.zero3(P, L, 8, 2, true, false, false, 1.5), "optimizer offloaded: P x max(32, 8) x 1.5");
        assertEquals(new DeepSpeedEstimator.Needs(4_800_000_000L, 1_525_000_000L),
                DeepSpeedEstimator.zero3(P, L, 8, 2, false, false, true, 1.5), "no offload, zero_init: 4L + 18P/16; L x 4 x 8 x 1.5");
        assertEquals(new DeepSpeedEstimator.Needs(48_000_000_000L, 1_525_000_000L),
                DeepSpeedEstimator.zero3(P, L, 8, 2, false, false, false, 1.5), "no offload: P x 4 x 8 x 1.5");
        // one node of 2: gpus_factor 1, so the fixed 18 and 16 win the max over 4 x 2
        assertEquals(new DeepSpeedEstimator.Needs(27_000_000_000L, 400_000_000L),
                DeepSpeedEstimator.zero3(P, L, 2, 1, true, true, false, 1.5), "max(8, 18)");
        assertEquals(new DeepSpeedEstimator.Needs(24_000_000_000L, 1_400_000_000L),
                DeepSpeedEstimator.zero3(P, L, 2, 1, true, false, false, 1.5), "max(8, 16); 4L + 2P/2");
    }

    @Test
    void should_refuse_no_gpus_or_no_nodes() {
        assertThrows(InvalidInputException.class, () -> DeepSpeedEstimator.zero2(P, 0, 1, false, 1.5, DeepSpeedEstimator.Zero2Formula.SINCE_V0_14_3));
        assertThrows(InvalidInputException.class, () -> DeepSpeedEstimator.zero2(P, 1, 0, false, 1.5, DeepSpeedEstimator.Zero2Formula.SINCE_V0_14_3));
        assertThrows(InvalidInputException.class, () -> DeepSpeedEstimator.zero3(P, L, 0, 1, false, false, true, 1.5));
        assertThrows(InvalidInputException.class, () -> DeepSpeedEstimator.zero3(P, L, 1, 0, false, false, true, 1.5));
    }
}
