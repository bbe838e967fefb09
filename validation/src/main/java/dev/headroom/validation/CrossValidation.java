package dev.headroom.validation;

import dev.headroom.core.perf.Calibration;
import dev.headroom.core.perf.ErrorBand;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Leave-one-source-out: for each source, the parameters are fitted on every other source and its figures are
 * predicted — the error on data the fit did not see. The error bands are the spread of those errors by class, and
 * their coverage is checked the same way: each source's figures against bands made without it.
 */
final class CrossValidation {
    /** Fewer iterations for the folds: they start from the full fit, which is close. */
    static final int FOLD_ITERATIONS = 12;

    /** The full fit, and per case its fitted and its cross-validated prediction. */
    record Result(List<SpeedCase> cases, Calibration calibration, double[] fitted, double[] crossValidated,
                  Map<String, ErrorBand> bands, double bandCoverage, int coveredCases) {

        /** Cases with a cross-validated prediction. */
        List<Integer> judged() {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                if (!Double.isNaN(crossValidated[i])) {
                    out.add(i);
                }
            }
            return out;
        }

        /** Summary of the cross-validated errors of the cases a key selects ("all", an engine, a hardware family). */
        Map<String, Summary> summaries(java.util.function.Function<SpeedCase, String> key) {
            Map<String, List<ValidationCase>> groups = new TreeMap<>();
            for (int i : judged()) {
                groups.computeIfAbsent(key.apply(cases.get(i)), k -> new ArrayList<>())
                        .add(ThroughputValidation.judged(cases.get(i), crossValidated[i]));
            }
            Map<String, Summary> out = new LinkedHashMap<>();
            groups.forEach((k, v) -> out.put(k, Summary.of(v)));
            return out;
        }

        List<ValidationCase> crossValidatedCases() {
            return judged().stream().map(i -> ThroughputValidation.judged(cases.get(i), crossValidated[i])).toList();
        }
    }

    private CrossValidation() {}

    static Result run(List<SpeedCase> all, Calibration centre) {
        Calibrator full = new Calibrator(all, centre);
        Calibrator.Fit fit = full.fit(centre, Integer.MAX_VALUE);
        double[] fitted = full.predictAll(fit.calibration(), null, null);
        Map<String, List<Integer>> bySource = new TreeMap<>();
        for (int i = 0; i < all.size(); i++) {
            bySource.computeIfAbsent(all.get(i).sourceGroup(), k -> new ArrayList<>()).add(i);
        }
        double[] cv = new double[all.size()];
        Arrays.fill(cv, Double.NaN);
        bySource.entrySet().parallelStream().forEach(e -> {
            List<SpeedCase> rest = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (!all.get(i).sourceGroup().equals(e.getKey())) {
                    rest.add(all.get(i));
                }
            }
            Calibration foldFit = new Calibrator(rest, centre).fit(fit.calibration(), FOLD_ITERATIONS).calibration();
            for (int i : e.getValue()) {
                if (Double.isNaN(fitted[i])) {
                    continue; // no speed under any calibration (it does not fit): not a judged case
                }
                try {
                    double v = all.get(i).predict(foldFit);
                    cv[i] = v > 0 && Double.isFinite(v) ? v : Double.NaN;
                } catch (RuntimeException noSpeed) {
                    cv[i] = Double.NaN;
                }
            }
        });
        Map<String, ErrorBand> bands = bands(all, cv, null);
        int[] covered = coverage(all, cv, bySource);
        return new Result(all, fit.calibration().withBands(bands, "leave-one-source-out"), fitted, cv, bands,
                covered[1] == 0 ? Double.NaN : (double) covered[0] / covered[1], covered[1]);
    }

    /** The band metric a figure speaks to, and whether its log error points the other way (a rate of a duration). */
    static String bandMetric(SpeedMetric m) {
        return switch (m) {
            case TTFT_MS, TTFT_S, PROMPT_RATE -> "ttft";
            case TPOT_MS, USER_RATE -> "tpot";
            case E2E_MS, E2E_S -> "e2e_latency";
            default -> "output_tokens_per_s";
        };
    }

    /** log(measured / predicted) in the band metric's own direction. */
    static double bandResidual(SpeedCase c, double predicted) {
        double e = Math.log(c.expected / predicted);
        return c.metric == SpeedMetric.PROMPT_RATE || c.metric == SpeedMetric.USER_RATE ? -e : e;
    }

    /** Bands from the cross-validated residuals of every case outside {@code leftOut}. */
    static Map<String, ErrorBand> bands(List<SpeedCase> cases, double[] cv, String leftOut) {
        Map<String, List<Double>> byClass = new TreeMap<>();
        Map<String, java.util.Set<String>> sources = new TreeMap<>();
        for (int i = 0; i < cases.size(); i++) {
            SpeedCase c = cases.get(i);
            if (Double.isNaN(cv[i]) || c.sourceGroup().equals(leftOut)) {
                continue;
            }
            double r = bandResidual(c, cv[i]);
            for (String key : ErrorBand.keysOf(c.engine(), bandMetric(c.metric), c.loadKind(), c.hardwareFamily())) {
                byClass.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
                sources.computeIfAbsent(key, k -> new java.util.HashSet<>()).add(c.sourceGroup());
            }
        }
        Map<String, ErrorBand> out = new LinkedHashMap<>();
        byClass.forEach((k, v) -> {
            double[] sorted = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            out.put(k, new ErrorBand(quantile(sorted, 0.10), quantile(sorted, 0.90), sorted.length, sources.get(k).size()));
        });
        return out;
    }

    /** Covered and judged counts: each source's cases against bands made from the other sources' residuals. */
    private static int[] coverage(List<SpeedCase> cases, double[] cv, Map<String, List<Integer>> bySource) {
        int covered = 0;
        int judged = 0;
        for (Map.Entry<String, List<Integer>> e : bySource.entrySet()) {
            Calibration withoutIt = Calibration.priors().withBands(bands(cases, cv, e.getKey()), "");
            for (int i : e.getValue()) {
                SpeedCase c = cases.get(i);
                if (Double.isNaN(cv[i])) {
                    continue;
                }
                var band = withoutIt.band(c.engine(), bandMetric(c.metric), c.loadKind(), c.hardwareFamily());
                if (band.isEmpty()) {
                    continue;
                }
                judged++;
                double r = bandResidual(c, cv[i]);
                if (r >= band.get().band().low() && r <= band.get().band().high()) {
                    covered++;
                }
            }
        }
        return new int[] {covered, judged};
    }

    /** Linear-interpolated quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 1) {
            return sorted[0];
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Sources in the data, for the report. */
    static List<String> sources(List<SpeedCase> cases) {
        return cases.stream().map(SpeedCase::sourceGroup).distinct().sorted().collect(Collectors.toList());
    }
}
