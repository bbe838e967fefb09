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
    void should_hold_every_memory_case_within_its_tolerance_but_the_known_misses() {
        // validation/README.md: ±1% weight bytes; ±5% engine KV pools, ±10% on GPUs of 24 GB or less; refusals exact.
        // A case out of tolerance must be a known miss with its reason; a known miss that passes must leave the list.
        List<ValidationCase> shared = report.memoryCases("memory.csv");
        List<ValidationCase> found = report.memoryCases("found/memory.csv");

        assertTrue(KnownMisses.holds(shared, KnownMisses.MEMORY), "memory.csv out of tolerance:\n" + outOfTolerance(shared));
        assertTrue(KnownMisses.holds(found, KnownMisses.FOUND), "found/memory.csv out of tolerance:\n" + outOfTolerance(found));
        assertTrue(report.memoryPasses());
    }

    @Test
    void should_report_the_share_of_cases_within_the_goal_bands() {
        // issue #8's goal: 90% of weight cases within ±3% and KV cases within ±10%. The shared file reaches it; the share on
        // found/memory.csv is printed (the known misses keep it below the goal: see the report).
        assertTrue(ValidationReport.memoryGoalShare(report.memoryCases("memory.csv")) >= ValidationReport.MEMORY_GOAL_SHARE);
        double found = ValidationReport.memoryGoalShare(report.memoryCases("found/memory.csv"));
        assertTrue(found > 0.5 && found <= 1, "goal share on found/memory.csv " + found);
        assertTrue(report.toString().contains(String.format(java.util.Locale.ROOT, "goal: %.0f%%", 100 * found)), "the report prints it");
        long predicted = report.memoryCases("found/memory.csv").stream().filter(c -> !c.isSkipped() && c.tolerance() != null).count();
        assertTrue(predicted >= 20, "found/memory.csv cases predicted: " + predicted);
    }

    @Test
    void should_predict_every_refusal_it_can_express() {
        // found/memory.csv: every engine_refused row whose model and GPU resolve is predicted as a refusal
        List<ValidationCase> refusals = report.memoryCases("found/memory.csv").stream()
                .filter(c -> c.metric().equals("engine_refused") && !c.isSkipped()).toList();

        assertTrue(refusals.size() >= 3, "refusals predicted: " + refusals.size());
        for (ValidationCase c : refusals) {
            assertEquals(1.0, c.predicted(), 0.0, c.row());
        }
    }

    @Test
    void should_say_why_each_memory_row_is_not_expressible() {
        // validation/memory.csv: the vision models (M03 Llama-3.2-11B-Vision, M11 Qwen2.5-VL), vLLM 0.2.5 at TP4 (M09), and
        // rows whose model or GPU the catalog lacks; every skipped case carries its reason
        List<ValidationCase> cases = report.memoryCases("memory.csv");
        Set<String> skipped = cases.stream().filter(ValidationCase::isSkipped).map(ValidationCase::id).collect(Collectors.toSet());

        assertTrue(skipped.containsAll(Set.of("M03", "M09", "M11")), skipped.toString());
        assertTrue(cases.stream().filter(ValidationCase::isSkipped).allMatch(c -> c.skipped() != null && !c.skipped().isBlank()));
        assertTrue(cases.stream().filter(c -> !c.isSkipped()).count() >= 26, "memory.csv cases predicted");
    }

    @Test
    void should_judge_weights_pools_and_refusals_against_their_tolerance() {
        // weights ±1%; pools ±10% on the 24 GB cards (RTX 3090/4090, A10, the 24GB-class), ±5% above; refusals exact
        for (String file : List.of("memory.csv", "found/memory.csv")) {
            for (ValidationCase c : report.memoryCases(file)) {
                if (c.isSkipped() || c.tolerance() == null) {
                    continue;
                }
                double expected = c.metric().startsWith("weights") ? 0.01 : c.metric().equals("engine_refused") ? 0.0
                        : c.description().matches(".*(RTX|A10-|A10G|24GB|24GiB|L4 |22GB).*") ? 0.10 : 0.05;
                assertEquals(expected, c.tolerance(), 1e-12, c.row());
            }
        }
    }

    @Test
    void should_refit_the_fitted_constants_close_to_the_core_values() {
        // each fitted constant's median over sources stays within 10% of the value the core uses
        for (ConstantFits.Fit f : report.fits()) {
            if (f.implied().size() >= 3) {
                assertEquals(f.core(), f.median(), f.core() * 0.10, f.toString());
            }
        }
        assertTrue(report.toString().contains("left out"), "the report prints leave-one-source-out errors");
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
