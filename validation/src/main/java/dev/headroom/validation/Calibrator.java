package dev.headroom.validation;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.perf.Calibration;
import dev.headroom.core.perf.Parameter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Fits the speed model's parameters to published figures: minimises the squared log error of every prediction
 * (a robust Huber loss, so one inexpressible row cannot drag the rest), each source weighted 1/sqrt(its figures) so a
 * 40-row table does not outvote forty single measurements, and each figure by how directly its source states it
 * (the data's trust grade), plus a prior that pulls each parameter towards its
 * physical value (and a hardware or link value towards its global one) where data are scarce. Levenberg-Marquardt in
 * log-parameter space, bounded by each parameter's physical range. Deterministic: no randomness, a fixed order.
 */
final class Calibrator {
    /** A scoped value (a hardware family's own MFU) is fitted only where this many figures read it... */
    static final int MIN_CASES_PER_SCOPE = 6;
    /** ...from at least this many sources: one table's quirks must not become an engine's constant. */
    static final int MIN_SOURCES_PER_SCOPE = 2;
    /** Log-error beyond which a residual counts linearly, not squared (Huber): a factor of e^0.4 = 1.5. */
    static final double HUBER_DELTA = 0.4;
    /**
     * The model's typical log error on a figure, the data's noise in the likelihood: with it, one source's figures
     * outweigh a prior deviation of about one prior spread.
     */
    static final double DATA_SIGMA = 0.25;
    private static final int MAX_ITERATIONS = 40;
    private static final double STEP = 1e-3;

    private final List<SpeedCase> cases;
    private final double[] weights;
    /** Free parameter keys, in a fixed order. */
    private final List<String> keys;
    /** For each case, per parameter, the index of the key it reads. */
    private final int[][] reads;
    /** For each key, the cases that read it. */
    private final int[][] readers;
    private final Map<String, Double> priorCentre;
    /** A scoped key's next-wider scoped key ("step_overhead_s@vllm/rocm" -> "step_overhead_s@vllm"), where both are fitted. */
    private final Map<String, String> parent;

    /** The result: the calibration, its objective and the iterations taken. */
    record Fit(Calibration calibration, double objective, int iterations) {}

    Calibrator(List<SpeedCase> cases, Calibration centre) {
        this.cases = List.copyOf(cases);
        Map<String, Integer> perSource = new HashMap<>();
        for (SpeedCase c : cases) {
            perSource.merge(c.sourceGroup(), 1, Integer::sum);
        }
        this.weights = cases.stream().mapToDouble(c -> c.trustWeight() / Math.sqrt(perSource.get(c.sourceGroup()))).toArray();
        this.keys = freeKeys(cases);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            index.put(keys.get(i), i);
        }
        Parameter[] params = Parameter.values();
        this.reads = new int[cases.size()][params.length];
        this.parent = new HashMap<>();
        List<List<Integer>> byKey = new ArrayList<>();
        keys.forEach(k -> byKey.add(new ArrayList<>()));
        for (int c = 0; c < cases.size(); c++) {
            for (int p = 0; p < params.length; p++) {
                List<String> chain = cases.get(c).scopes(params[p].scope());
                Integer k = null;
                String child = null;
                for (String scope : chain) {
                    String key = params[p].key(scope);
                    if (!index.containsKey(key)) {
                        continue;
                    }
                    if (k == null) {
                        k = index.get(key);
                    }
                    if (child != null) {
                        parent.putIfAbsent(child, key);
                    }
                    child = key;
                }
                if (k == null) {
                    k = index.get(params[p].key());
                }
                reads[c][p] = k;
                byKey.get(k).add(c);
            }
        }
        this.readers = byKey.stream().map(l -> l.stream().distinct().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        this.priorCentre = new HashMap<>();
        for (String k : keys) {
            // The shipped fit centres on the physical priors; a user's fit on the shipped values (scoped ones on the
            // shipped scoped value where there is one).
            Parameter p = Parameter.byKey(k);
            priorCentre.put(k, centre.values().containsKey(k) ? centre.values().get(k) : centre.value(p, scopeOf(k)));
        }
    }

    /** Every global parameter, and the scoped ones enough figures read (at every level of a scope chain). */
    static List<String> freeKeys(List<SpeedCase> cases) {
        List<String> out = new ArrayList<>();
        for (Parameter p : Parameter.values()) {
            out.add(p.key());
            if (p.scope() == Parameter.Scope.GLOBAL) {
                continue;
            }
            Map<String, Integer> counts = new TreeMap<>();
            Map<String, java.util.Set<String>> sources = new HashMap<>();
            for (SpeedCase c : cases) {
                for (String s : c.scopes(p.scope())) {
                    counts.merge(s, 1, Integer::sum);
                    sources.computeIfAbsent(s, k -> new java.util.HashSet<>()).add(c.sourceGroup());
                }
            }
            counts.forEach((scope, n) -> {
                if (n >= MIN_CASES_PER_SCOPE && sources.get(scope).size() >= MIN_SOURCES_PER_SCOPE) {
                    out.add(p.key(scope));
                }
            });
        }
        return out;
    }

    List<String> keys() {
        return keys;
    }

    /** Fits from {@code start}; {@code iterations} bounds the work (the leave-one-out folds start near the answer). */
    Fit fit(Calibration start, int iterations) {
        double[] u = new double[keys.size()];
        for (int k = 0; k < u.length; k++) {
            String key = keys.get(k);
            Parameter p = Parameter.byKey(key);
            u[k] = Math.log(clamp(start.values().containsKey(key) ? start.values().get(key) : start.value(p, scopeOf(key)), p));
        }
        Calibration base = start;
        double[] pred = predictAll(calibration(base, u), null, null);
        double[] r = residuals(u, pred);
        double cost = dot(r, r);
        double lambda = 1e-2;
        int it = 0;
        for (; it < Math.min(iterations, MAX_ITERATIONS); it++) {
            double[][] jac = jacobian(base, u, pred, r);
            int n = u.length;
            double[][] a = new double[n][n];
            double[] g = new double[n];
            for (int i = 0; i < r.length; i++) {
                for (int j = 0; j < n; j++) {
                    if (jac[i][j] == 0) {
                        continue;
                    }
                    g[j] += jac[i][j] * r[i];
                    for (int k = j; k < n; k++) {
                        a[j][k] += jac[i][j] * jac[i][k];
                    }
                }
            }
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < j; k++) {
                    a[j][k] = a[k][j];
                }
            }
            boolean improved = false;
            for (int tries = 0; tries < 8 && !improved; tries++) {
                double[][] m = new double[n][n];
                for (int j = 0; j < n; j++) {
                    System.arraycopy(a[j], 0, m[j], 0, n);
                    m[j][j] += lambda * (a[j][j] + 1e-9);
                }
                double[] delta = solve(m, negate(g));
                double[] trial = new double[n];
                for (int j = 0; j < n; j++) {
                    Parameter p = Parameter.byKey(keys.get(j));
                    trial[j] = Math.max(Math.log(p.lower()), Math.min(Math.log(p.upper()), u[j] + delta[j]));
                }
                double[] trialPred = predictAll(calibration(base, trial), null, null);
                double[] trialR = residuals(trial, trialPred);
                double trialCost = dot(trialR, trialR);
                if (Boolean.getBoolean("headroom.calibrate.trace")) {
                    System.err.printf("it %d lambda %.3g cost %.5f trial %.5f%n", it, lambda, cost, trialCost);
                }
                if (trialCost < cost) {
                    improved = true;
                    double gain = (cost - trialCost) / Math.max(cost, 1e-12);
                    u = trial;
                    pred = trialPred;
                    r = trialR;
                    cost = trialCost;
                    lambda = Math.max(lambda / 3, 1e-6);
                    if (gain < 1e-5) {
                        it++;
                        return new Fit(calibration(base, u), cost, it);
                    }
                } else {
                    lambda *= 4;
                }
            }
            if (!improved) {
                break;
            }
        }
        return new Fit(calibration(base, u), cost, it);
    }

    /** Predictions of every case (or only {@code only}) under a calibration; NaN where a case has no speed. */
    double[] predictAll(Calibration c, int[] only, double[] previous) {
        double[] out = previous == null ? new double[cases.size()] : previous.clone();
        IntStream indices = only == null ? IntStream.range(0, cases.size()) : IntStream.of(only);
        indices.parallel().forEach(i -> out[i] = safePredict(cases.get(i), c));
        return out;
    }

    private static double safePredict(SpeedCase c, Calibration cal) {
        try {
            double v = c.predict(cal);
            return v > 0 && Double.isFinite(v) ? v : Double.NaN;
        } catch (InvalidInputException | ArithmeticException e) {
            return Double.NaN;
        }
    }

    /** Data residuals (weighted, Huber-transformed log errors), then one prior residual per free parameter. */
    private double[] residuals(double[] u, double[] pred) {
        double[] r = new double[cases.size() + keys.size()];
        for (int i = 0; i < cases.size(); i++) {
            double e = Double.isNaN(pred[i]) ? 0 : Math.log(pred[i] / cases.get(i).expected);
            r[i] = weights[i] * huber(e) / DATA_SIGMA;
        }
        Map<String, Double> byKey = new HashMap<>();
        for (int k = 0; k < keys.size(); k++) {
            byKey.put(keys.get(k), u[k]);
        }
        for (int k = 0; k < keys.size(); k++) {
            String key = keys.get(k);
            Parameter p = Parameter.byKey(key);
            String up = parent.get(key);
            if (up != null) {
                // A narrower scope ("vllm/rocm") is pulled towards its wider one ("vllm").
                r[cases.size() + k] = (u[k] - byKey.get(up)) / (p.priorSpread() / 2);
            } else if (key.contains("@") && p.scopedTowardsGlobal()) {
                r[cases.size() + k] = (u[k] - byKey.get(p.key())) / (p.priorSpread() / 2);
            } else {
                r[cases.size() + k] = (u[k] - Math.log(priorCentre.get(key))) / p.priorSpread();
            }
        }
        return r;
    }

    /** The robust residual whose square is Huber's loss: linear growth beyond delta. */
    static double huber(double e) {
        double a = Math.abs(e);
        return a <= HUBER_DELTA ? e : Math.signum(e) * Math.sqrt(2 * HUBER_DELTA * a - HUBER_DELTA * HUBER_DELTA);
    }

    private double[][] jacobian(Calibration base, double[] u, double[] pred, double[] r) {
        double[][] jac = new double[r.length][u.length];
        for (int k = 0; k < u.length; k++) {
            double[] shifted = u.clone();
            // Step inwards at the upper bound so the perturbed value stays in the parameter's range.
            double step = u[k] + STEP > Math.log(Parameter.byKey(keys.get(k)).upper()) ? -STEP : STEP;
            shifted[k] += step;
            double[] p2 = predictAll(calibration(base, shifted), readers[k], pred);
            double[] r2 = residuals(shifted, p2);
            for (int i = 0; i < r.length; i++) {
                jac[i][k] = (r2[i] - r[i]) / step;
            }
        }
        return jac;
    }

    private Calibration calibration(Calibration base, double[] u) {
        Map<String, Double> v = new LinkedHashMap<>(base.values());
        for (int k = 0; k < u.length; k++) {
            v.put(keys.get(k), clamp(Math.exp(u[k]), Parameter.byKey(keys.get(k))));
        }
        return base.withValues(v);
    }

    private static String scopeOf(String key) {
        return key.contains("@") ? key.substring(key.indexOf('@') + 1) : null;
    }

    private static double clamp(double v, Parameter p) {
        return Math.max(p.lower(), Math.min(p.upper(), v));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[] negate(double[] g) {
        double[] out = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = -g[i];
        }
        return out;
    }

    /** Gaussian elimination with partial pivoting (the normal equations are small and positive definite). */
    static double[] solve(double[][] m, double[] b) {
        int n = b.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = m[i].clone();
        }
        double[] x = b.clone();
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
                    pivot = row;
                }
            }
            double[] tmp = a[col];
            a[col] = a[pivot];
            a[pivot] = tmp;
            double t = x[col];
            x[col] = x[pivot];
            x[pivot] = t;
            if (Math.abs(a[col][col]) < 1e-300) {
                continue;
            }
            for (int row = col + 1; row < n; row++) {
                double f = a[row][col] / a[col][col];
                for (int k = col; k < n; k++) {
                    a[row][k] -= f * a[col][k];
                }
                x[row] -= f * x[col];
            }
        }
        for (int row = n - 1; row >= 0; row--) {
            double s = x[row];
            for (int k = row + 1; k < n; k++) {
                s -= a[row][k] * x[k];
            }
            x[row] = Math.abs(a[row][row]) < 1e-300 ? 0 : s / a[row][row];
        }
        return x;
    }
}
