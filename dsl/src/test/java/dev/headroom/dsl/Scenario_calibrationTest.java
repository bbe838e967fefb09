package dev.headroom.dsl;

import static dev.headroom.dsl.Sizing.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Scenario_calibrationTest {
    @TempDir
    Path dir;

    @Test
    void should_decode_at_the_bandwidth_share_a_users_calibration_states() throws IOException {
        // GIVEN a user's calibration that streams weights at half the bandwidth share of Headroom's own fit, for a
        // batch of 1 (decode is the weights streamed once per token, so the weight bandwidth share sets its pace)
        Scenario shipped = model("llama-3.1-8b").on("h100-sxm").batch(1).input(128).output(512);
        double share = shipped.estimate().perf().efficiency().weightBandwidth();
        Path mine = dir.resolve("mine.json");
        Files.writeString(mine, "{\"fitted_on\": \"a test\", \"parameters\": {\"weight_bandwidth\": " + share / 2 + "}}");

        // WHEN the scenario reads it
        Scenario calibrated = shipped.calibration(mine.toString());

        // THEN its weights stream at that share, and a token takes longer
        assertEquals(share / 2, calibrated.estimate().perf().efficiency().weightBandwidth(), 1e-9);
        assertTrue(calibrated.estimate().perf().tpotSeconds() > shipped.estimate().perf().tpotSeconds());
    }

    @Test
    void should_name_a_missing_calibration_file() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> model("llama-3.1-8b").calibration(dir.resolve("absent.json").toString()));

        assertTrue(e.getMessage().contains("absent.json") && e.getMessage().contains("not found"), e.getMessage());
    }
}
