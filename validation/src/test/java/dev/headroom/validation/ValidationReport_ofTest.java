package dev.headroom.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The golden validation: every published measurement in validation/ (copied onto the test classpath by the
 * pom) replayed through the estimator. The report is printed so CI logs show each case with its error.
 */
class ValidationReport_ofTest {
    private static Path data;
    private static ValidationReport report;

    @BeforeAll
    static void replay() throws URISyntaxException {
        URL memory = ValidationReport_ofTest.class.getClassLoader().getResource("validation/memory.csv");
        assertTrue(memory != null, "validation/memory.csv is not on the test classpath");
        data = Path.of(memory.toURI()).getParent();
        report = ValidationReport.of(data);
        System.out.println(report);
    }

    private static String outOfTolerance(List<ValidationCase> cases) {
        return cases.stream().filter(c -> !c.withinTolerance()).map(c -> c.row()).collect(Collectors.joining("\n"));
    }

    @Test
    void should_hold_every_parameter_count_and_kv_size_exactly() {
        // validation/README.md: "exact for parameter counts and KV bytes per token"
        List<ValidationCase> cases = ArchitectureValidation.run(data.resolve("architectures.json"));

        assertTrue(cases.stream().noneMatch(ValidationCase::isSkipped), "every architecture is in the catalog");
        for (ValidationCase c : cases) {
            assertEquals(0.0, c.tolerance(), c.row());
            assertEquals(c.expected(), c.predicted(), 0.0, c.row());
        }
    }

    @Test
    void should_hold_every_memory_case_within_its_tolerance() {
        // validation/README.md: ±1% weight bytes; ±5% engine KV pools on 40 GB+ GPUs, ±10% on 24 GB cards
        List<ValidationCase> cases = MemoryValidation.run(data.resolve("memory.csv"));

        assertEquals("", outOfTolerance(cases), "memory cases out of tolerance");
    }

    @Test
    void should_pass_the_projects_validation_gates() {
        List<ValidationCase> all = report.cases();
        assertTrue(report.passes(), "validation gates fail; out of tolerance:\n" + outOfTolerance(all));
    }

    @Test
    void should_predict_every_memory_row_except_the_vision_model() throws IOException {
        // Counted by hand from validation/memory.csv: M01 4 + M02 3 + M04 4 + M08 1 + M16 2 + M18 1 + M20 3 (f16|q8_0|q4_0) = 18;
        // the 4 M03 rows are Llama-3.2-11B-Vision, which Headroom does not model.
        List<ValidationCase> cases = MemoryValidation.run(data.resolve("memory.csv"));

        long predicted = cases.stream().filter(c -> !c.isSkipped()).count();
        Set<String> skipped = cases.stream().filter(ValidationCase::isSkipped).map(ValidationCase::id).collect(Collectors.toSet());

        assertTrue(predicted >= 18, "predicted " + predicted + " rows");
        assertEquals(Set.of("M03"), skipped, "only the vision model is not expressible");
    }

    @Test
    void should_judge_weights_and_pools_against_a_tolerance() {
        // 15 of the 18 predicted rows have a stated tolerance; non-torch and activation rows are informational.
        List<ValidationCase> judged = MemoryValidation.run(data.resolve("memory.csv")).stream()
                .filter(c -> !c.isSkipped() && c.tolerance() != null).toList();
        assertTrue(judged.size() >= 15, "judged " + judged.size());
        for (ValidationCase c : judged) {
            double expected = c.metric().startsWith("weights") ? 0.01 : c.description().contains("RTX") ? 0.10 : 0.05;
            assertEquals(expected, c.tolerance(), 1e-12, c.row());
        }
    }

    @Test
    void should_print_every_case_with_its_error() throws IOException {
        String printed = report.toString();

        for (ValidationCase c : report.cases()) {
            assertTrue(printed.contains(c.id()), "case " + c.id() + " missing from the report");
        }
        for (String line : Files.readAllLines(data.resolve("memory.csv"))) {
            String id = line.split(",")[0];
            assertTrue(id.equals("id") || printed.contains(id), "row " + id + " missing from the report");
        }
        assertTrue(printed.contains("not expressible"), "skipped rows say why");
        assertTrue(printed.contains("%"), "errors are printed as percentages");
    }

    @Test
    void should_hold_the_speed_gates_on_sources_the_fit_did_not_see() {
        // issue 9: at least 75% of figures within tolerance and a geometric-mean error of at most 20%, each source
        // predicted by a fit that did not see it; error bands made without a figure's source cover at least 70%
        CalibrationRun speed = report.speed();
        Summary cv = speed.crossValidated();

        assertTrue(cv.count() >= 150, "cross-validated figures: " + cv.count());
        assertTrue(cv.shareWithinTolerance() >= ValidationReport.SPEED_MIN_SHARE, speed.summaries());
        assertTrue(cv.geometricMean() <= ValidationReport.SPEED_MAX_GEOMEAN, speed.summaries());
        assertTrue(speed.bandCoverage() >= ValidationReport.SPEED_MIN_BAND_COVERAGE, speed.summaries());
    }

    @Test
    void should_ship_the_calibration_a_fresh_fit_of_the_data_gives() {
        // calibration/calibration.json is what ./headroom calibrate writes from validation/: a change to the data
        // or the model without re-running it fails here (values are written to 6 significant digits)
        java.util.Map<String, Double> fresh = report.speed().calibration().values();
        java.util.Map<String, Double> shipped = dev.headroom.core.perf.Calibration.DEFAULT.values();

        assertEquals(new java.util.TreeSet<>(fresh.keySet()), new java.util.TreeSet<>(shipped.keySet()), "run ./headroom calibrate");
        fresh.forEach((k, v) -> assertEquals(v, shipped.get(k), 1e-5 * Math.abs(v), k + ": run ./headroom calibrate"));
        assertEquals(report.speed().calibration().bands().keySet(), dev.headroom.core.perf.Calibration.DEFAULT.bands().keySet());
    }

    @Test
    void should_sign_the_error_relative_to_the_published_value() {
        ValidationCase over = new ValidationCase("X", "s", "d", "m", 100, 104, "GiB", 0.05, null);
        ValidationCase under = new ValidationCase("X", "s", "d", "m", 100, 94, "GiB", 0.05, null);

        assertEquals(0.04, over.error(), 1e-12);
        assertEquals(-0.06, under.error(), 1e-12);
        assertTrue(over.withinTolerance());
        assertTrue(!under.withinTolerance());
        assertEquals("OUT OF TOLERANCE", under.status());
    }
}
