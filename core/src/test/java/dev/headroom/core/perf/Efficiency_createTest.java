package dev.headroom.core.perf;

import dev.headroom.core.base.*;
import dev.headroom.core.precision.*;
import dev.headroom.core.hardware.*;
import dev.headroom.core.workload.*;
import dev.headroom.core.model.*;
import dev.headroom.core.engine.*;
import dev.headroom.core.memory.*;
import dev.headroom.core.perf.*;
import dev.headroom.core.cost.*;
import dev.headroom.core.catalog.*;
import dev.headroom.core.plan.*;
import dev.headroom.core.*;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** STYLE.md section 4: an impossible efficiency is rejected at the boundary, naming the field and the value. */
class Efficiency_createTest {
    private static Efficiency calibrated() {
        Gpu h100 = Catalog.gpu("h100-sxm");
        return Efficiency.of(Calibration.DEFAULT, h100, Vllm.defaults(), Precision.BF16, ComputeType.BF16);
    }

    @ParameterizedTest(name = "mfu {0}")
    @ValueSource(doubles = {0, 1.5, -0.2, Double.NaN})
    void should_reject_an_mfu_outside_0_to_1_naming_it(double mfu) {
        // GIVEN the calibrated efficiencies
        Efficiency e = calibrated();

        // WHEN the MFU is overridden with an impossible share
        InvalidInputException ex = assertThrows(InvalidInputException.class, () -> e.withMfuMax(mfu));

        // THEN the message names the field and the value given
        assertTrue(ex.getMessage().contains("MFU"), ex.getMessage());
        assertTrue(ex.getMessage().contains(String.valueOf(mfu)), ex.getMessage());
    }

    @ParameterizedTest(name = "weight bandwidth {0}")
    @ValueSource(doubles = {0, 1.01})
    void should_reject_a_weight_bandwidth_share_outside_0_to_1(double share) {
        InvalidInputException ex = assertThrows(InvalidInputException.class, () -> calibrated().withWeightBandwidth(share));
        assertTrue(ex.getMessage().contains("weight bandwidth"), ex.getMessage());
    }

    @ParameterizedTest(name = "mfu {0}")
    @ValueSource(doubles = {0.01, 0.3, 1.0})
    void should_accept_an_mfu_in_0_to_1(double mfu) {
        Efficiency e = calibrated().withMfuMax(mfu);

        assertEquals(mfu, e.mfuMax());
        // compute efficiency for a GEMM of M tokens: mfu_max x M / (M + tokens at half MFU), half at that M
        double half = e.tokensAtHalfMfu();
        assertEquals(Calibration.DEFAULT.global(Parameter.TOKENS_AT_HALF_MFU), half, 1e-12);
        assertEquals(mfu / 2, e.mfu(half), 1e-12);
        assertEquals(mfu * 1000 / (1000 + half), e.mfu(1000), 1e-12);
    }
}
