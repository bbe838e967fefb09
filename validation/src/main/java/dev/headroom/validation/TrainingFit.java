package dev.headroom.validation;

import dev.headroom.core.training.TrainingEfficiency;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Fits the training time model's constants ({@link TrainingEfficiency}) to published time figures (tokens/s, step
 * time, MFU) by minimizing the sum of absolute log errors (robust to the few rows a setup detail the row omits
 * throws far off) with Nelder-Mead over unconstrained coordinates: the three shares through a logistic, the traffic
 * multiple through a logarithm. Leave-one-source-out refits on all publications but one and predicts that one.
 */
public final class TrainingFit {
    private TrainingFit() {}

    /** The constants that best fit the time figures among {@code cases}. */
    public static TrainingEfficiency fit(List<TrainingCase> cases) {
        List<TrainingCase> time = cases.stream().filter(c -> c.kind().time).toList();
        double[] start = coordinates(TrainingEfficiency.DEFAULT);
        double[] best = nelderMead(x -> loss(time, efficiency(x)), start, 0.4, 600);
        return efficiency(best);
    }

    /** Sum of absolute log errors of the time figures. */
    static double loss(List<TrainingCase> time, TrainingEfficiency e) {
        double sum = 0;
        for (TrainingCase c : time) {
            double p = c.predict(e);
            sum += Double.isFinite(p) && p > 0 ? Math.abs(Math.log(p / c.expected())) : 10;
        }
        return sum;
    }

    /** For each publication, the constants fitted without it, and its figures predicted with them. */
    public record HeldOut(Map<String, TrainingEfficiency> fits, List<ValidationCase> cases) {}

    public static HeldOut leaveOneSourceOut(List<TrainingCase> cases) {
        Map<String, List<TrainingCase>> bySource = new LinkedHashMap<>();
        for (TrainingCase c : cases) {
            if (c.kind().time) {
                bySource.computeIfAbsent(c.group(), k -> new ArrayList<>()).add(c);
            }
        }
        Map<String, TrainingEfficiency> fits = new LinkedHashMap<>();
        List<ValidationCase> out = new ArrayList<>();
        for (Map.Entry<String, List<TrainingCase>> held : bySource.entrySet()) {
            List<TrainingCase> rest = cases.stream().filter(c -> c.kind().time && !c.group().equals(held.getKey())).toList();
            TrainingEfficiency e = fit(rest);
            fits.put(held.getKey(), e);
            for (TrainingCase c : held.getValue()) {
                out.add(TrainingValidation.judge(c, e));
            }
        }
        return new HeldOut(fits, out);
    }

    static double[] coordinates(TrainingEfficiency e) {
        return new double[] {logit(e.gemm()), logit(e.fp8()), Math.log(e.traffic()), logit(e.compiled())};
    }

    static TrainingEfficiency efficiency(double[] x) {
        return new TrainingEfficiency(logistic(x[0]), logistic(x[1]), Math.exp(x[2]), logistic(x[3]));
    }

    private static double logit(double p) {
        double q = Math.min(1 - 1e-9, Math.max(1e-9, p));
        return Math.log(q / (1 - q));
    }

    private static double logistic(double x) {
        return Math.min(1.0, 1 / (1 + Math.exp(-x)));
    }

    /** Nelder-Mead minimization from {@code start} with an initial simplex of {@code step} along each axis. */
    static double[] nelderMead(ToDoubleFunction<double[]> f, double[] start, double step, int iterations) {
        int n = start.length;
        double[][] p = new double[n + 1][];
        double[] v = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            p[i] = start.clone();
            if (i > 0) {
                p[i][i - 1] += step;
            }
            v[i] = f.applyAsDouble(p[i]);
        }
        for (int it = 0; it < iterations; it++) {
            // order
            for (int i = 0; i <= n; i++) {
                for (int j = i + 1; j <= n; j++) {
                    if (v[j] < v[i]) {
                        double t = v[i]; v[i] = v[j]; v[j] = t;
                        double[] q = p[i]; p[i] = p[j]; p[j] = q;
                    }
                }
            }
            if (Math.abs(v[n] - v[0]) < 1e-10 * (1 + Math.abs(v[0]))) {
                break;
            }
            double[] centroid = new double[n];
            for (int i = 0; i < n; i++) {
                for (int d = 0; d < n; d++) {
                    centroid[d] += p[i][d] / n;
                }
            }
            double[] reflected = towards(centroid, p[n], -1);
            double fr = f.applyAsDouble(reflected);
            if (fr < v[0]) {
                double[] expanded = towards(centroid, p[n], -2);
                double fe = f.applyAsDouble(expanded);
                if (fe < fr) {
                    p[n] = expanded; v[n] = fe;
                } else {
                    p[n] = reflected; v[n] = fr;
                }
            } else if (fr < v[n - 1]) {
                p[n] = reflected; v[n] = fr;
            } else {
                double[] contracted = fr < v[n] ? towards(centroid, p[n], -0.5) : towards(centroid, p[n], 0.5);
                double fc = f.applyAsDouble(contracted);
                if (fc < Math.min(fr, v[n])) {
                    p[n] = contracted; v[n] = fc;
                } else {
                    for (int i = 1; i <= n; i++) {
                        p[i] = towards(p[0], p[i], 0.5);
                        v[i] = f.applyAsDouble(p[i]);
                    }
                }
            }
        }
        int best = 0;
        for (int i = 1; i <= n; i++) {
            if (v[i] < v[best]) {
                best = i;
            }
        }
        return p[best];
    }

    /** centroid + t (point - centroid). */
    private static double[] towards(double[] centroid, double[] point, double t) {
        double[] out = new double[centroid.length];
        for (int d = 0; d < out.length; d++) {
            out[d] = centroid[d] + t * (point[d] - centroid[d]);
        }
        return out;
    }
}
