package dev.headroom.core.catalog;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.base.Provenance;
import dev.headroom.core.model.ModelProfile;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz tests of the readers users' files go through: whatever the bytes, the only exception is the documented
 * {@link InvalidInputException}; anything else (NullPointerException, ClassCastException, StackOverflowError, ...)
 * fails the test with the input that caused it. The normal test run replays the seeds under
 * {@code Readers_fuzzTestInputs/<method>/} only; {@code ./headroom fuzz} explores for as long as it is given.
 */
class Readers_fuzzTest {
    @FuzzTest(maxDuration = "10s")
    void json(byte[] input) {
        try {
            Json.parse(text(input), "fuzz.json");
        } catch (InvalidInputException expected) {
            // the one documented failure
        }
    }

    @FuzzTest(maxDuration = "10s")
    void modelConfig(byte[] input) {
        try {
            ModelProfile.of(ModelConfigReader.parse(Json.parse(text(input), "config.json"), "fuzz", "fuzz", Provenance.userFile("config.json")));
        } catch (InvalidInputException expected) {
            // the one documented failure
        }
    }

    @FuzzTest(maxDuration = "10s")
    void gpuFile(byte[] input) {
        try {
            GpuReader.parse(text(input), "gpu.json");
        } catch (InvalidInputException expected) {
            // the one documented failure
        }
    }

    @FuzzTest(maxDuration = "10s")
    void priceFile(byte[] input) {
        try {
            Json j = Json.parse(text(input), "price.json");
            if (j.has("gpu")) {
                PriceReader.gpuPrice(j);
            } else {
                PriceReader.apiPrice(j);
            }
        } catch (InvalidInputException expected) {
            // the one documented failure
        }
    }

    private static String text(byte[] input) {
        return new String(input, StandardCharsets.UTF_8);
    }
}
