package dev.headroom.dsl;

import dev.headroom.core.Column;
import dev.headroom.core.Columns;
import dev.headroom.core.DeploymentProfile;
import dev.headroom.core.Estimate;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.workload.Load;
import dev.headroom.core.workload.Workload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import tech.tablesaw.api.Table;

/**
 * The cartesian product of choices over a base scenario, one row per combination in the order the axes were
 * given (the last axis varies fastest). Axes that change the deployment (GPU, counts, precisions, engine,
 * model) are compiled once per combination; axes that change only the workload (batch, prompt, output, load)
 * are evaluated inside, as arithmetic. Immutable: each axis returns a new Sweep.
 */
public record Sweep(Scenario base, List<Axis<?>> axes) {
    /**
     * One swept choice: its column name, its values, and how a value changes a scenario.
     *
     * @param workload when not null, the value changes only the workload (cheap: no recompilation)
     */
    public record Axis<T>(String name, List<T> values, BiFunction<Scenario, T, Scenario> apply,
                          BiFunction<Workload, T, Workload> workload) {
        public Axis {
            int i = 0;
            for (T v : values) {
                if (v == null) {
                    throw new InvalidInputException("sweep axis '" + name + "' has a null value (at index " + i + ")");
                }
                i++;
            }
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new InvalidInputException("sweep axis '" + name + "' needs at least one value");
            }
        }

        boolean changesOnlyWorkload() {
            return workload != null;
        }
    }

    public Sweep {
        axes = List.copyOf(axes);
    }

    static Sweep over(Scenario base) {
        return new Sweep(base, List.of());
    }

    /** An axis of your own: any scenario step per value, e.g. {@code axis("context", List.of(...), (s, n) -> s.maxLength(n))}. */
    public <T> Sweep axis(String name, List<T> values, BiFunction<Scenario, T, Scenario> apply) {
        Args.name("axis(...)", name);
        Args.notNull("axis(" + name + ", values, ...)", values);
        Args.notNull("axis(" + name + ", values, step)", apply);
        return with(new Axis<>(name, values, apply, null));
    }

    private <T> Sweep workloadAxis(String name, List<T> values, BiFunction<Scenario, T, Scenario> apply,
                                   BiFunction<Workload, T, Workload> workload) {
        return with(new Axis<>(name, values, apply, workload));
    }

    private Sweep with(Axis<?> axis) {
        List<Axis<?>> next = new ArrayList<>(axes);
        next.add(axis);
        return new Sweep(base, next);
    }

    private static List<Integer> ints(String method, int... values) {
        Args.notNull(method, values);
        return Arrays.stream(values).boxed().toList();
    }

    public Sweep batch(int... sizes) {
        List<Integer> v = ints("batch(...)", sizes);
        v.forEach(n -> Args.positive("batch(...)", n));
        return workloadAxis("batch", v, Scenario::batch, (w, n) -> w.withLoad(Load.batch(n)));
    }

    public Sweep input(int... tokens) {
        List<Integer> v = ints("input(...)", tokens);
        v.forEach(n -> Args.positive("input(...)", n));
        return workloadAxis("input_tokens", v, Scenario::input, Workload::withInputTokens);
    }

    public Sweep output(int... tokens) {
        List<Integer> v = ints("output(...)", tokens);
        v.forEach(n -> Args.nonNegative("output(...)", n));
        return workloadAxis("output_tokens", v, Scenario::output, Workload::withOutputTokens);
    }

    public Sweep concurrency(int... requests) {
        List<Integer> v = ints("concurrency(...)", requests);
        v.forEach(n -> Args.positive("concurrency(...)", n));
        return workloadAxis("concurrency", v, Scenario::concurrency, (w, n) -> w.withLoad(Load.concurrency(n)));
    }

    public Sweep rate(double... requestsPerSecond) {
        Args.notNull("rate(...)", requestsPerSecond);
        List<Double> v = Arrays.stream(requestsPerSecond).boxed().toList();
        v.forEach(r -> Args.positive("rate(...)", r));
        return workloadAxis("request_rate", v, Scenario::rate, (w, r) -> w.withLoad(Load.rate(r)));
    }

    public Sweep gpu(String... ids) {
        return axis("gpu", names("gpu(...)", ids), Scenario::on);
    }

    /** The GPUs a finder returns: {@code gpu(gpus("amd"))}. */
    public Sweep gpu(List<String> ids) {
        return gpu(Args.notNull("gpu(...)", ids).toArray(String[]::new));
    }

    public Sweep gpus(int... counts) {
        return axis("gpus", ints("gpus(...)", counts), Scenario::gpus);
    }

    public Sweep tp(int... degrees) {
        return axis("tp", ints("tp(...)", degrees), Scenario::tp);
    }

    public Sweep weights(String... precisions) {
        return axis("weights_dtype", names("weights(...)", precisions), Scenario::weights);
    }

    public Sweep kv(String... precisions) {
        return axis("kv_dtype", names("kv(...)", precisions), Scenario::kv);
    }

    public Sweep engine(String... names) {
        return axis("engine", names("engine(...)", names), Scenario::engine);
    }

    public Sweep model(String... names) {
        return axis("model", names("model(...)", names), (s, name) -> s.withModel(dev.headroom.core.catalog.Catalog.profile(name)));
    }

    /** The models a finder returns: {@code model(models("qwen"))}. */
    public Sweep model(List<String> names) {
        return model(Args.notNull("model(...)", names).toArray(String[]::new));
    }

    private static List<String> names(String method, String... names) {
        Args.notNull(method, names);
        for (String n : names) {
            Args.name(method, n);
        }
        return Arrays.asList(names);
    }

    /** Rows this sweep produces: the product of its axes' sizes. */
    public long rows() {
        long n = 1;
        for (Axis<?> a : axes) {
            n = dev.headroom.core.base.Checked.multiply(n, a.values().size(), "rows of this sweep");
        }
        return n;
    }

    /** Every combination, in axis order (the last axis varies fastest). */
    public List<Scenario> scenarios() {
        List<Scenario> out = new ArrayList<>();
        int rows = dev.headroom.core.base.Checked.toInt(rows(), "rows of this sweep");
        for (int r = 0; r < rows; r++) {
            out.add(scenarioAt(r));
        }
        return out;
    }

    private Scenario scenarioAt(long row) {
        Scenario s = base;
        long[] digits = digits(row);
        for (int a = 0; a < axes.size(); a++) {
            s = apply(axes.get(a), s, (int) digits[a]);
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static <T> Scenario apply(Axis<T> axis, Scenario s, int index) {
        T value = axis.values().get(index);
        Scenario next = axis.apply().apply(s, value);
        if (next == null) {
            throw new InvalidInputException("axis(\"" + axis.name() + "\", ...) step returned null for " + value
                    + ": return the changed scenario, e.g. (s, n) -> s.maxLength(n)");
        }
        return next;
    }

    @SuppressWarnings("unchecked")
    private static <T> Workload applyWorkload(Axis<T> axis, Workload w, int index) {
        return axis.workload().apply(w, axis.values().get(index));
    }

    private long[] digits(long row) {
        long[] d = new long[axes.size()];
        for (int a = axes.size() - 1; a >= 0; a--) {
            int size = axes.get(a).values().size();
            d[a] = row % size;
            row /= size;
        }
        return d;
    }

    public List<Estimate> estimates() {
        return scenarios().parallelStream().map(Scenario::estimate).toList();
    }

    /**
     * One row per combination: setup, memory, speed and cost columns (the column list every output shares;
     * prose such as verdicts is left out). An axis of your own (not already a column, such as
     * {@code axis("context", ...)}) leads the table as a column of its values.
     */
    public Table table() {
        return table(Columns.ALL.stream().filter(c -> !Columns.isProse(c)).toList());
    }

    /** The same with only the given columns. */
    public Table table(List<Column> columns) {
        Args.noNulls("table(columns)", columns);
        long rows = rows();
        SweepGuard.checkFits(rows, columns);
        // Deployment axes outside: one compiled profile per combination of them.
        List<Integer> profileAxes = IntStream.range(0, axes.size()).filter(a -> !axes.get(a).changesOnlyWorkload()).boxed().toList();
        long profiles = 1;
        for (int a : profileAxes) {
            profiles = Math.multiplyExact(profiles, axes.get(a).values().size());
        }
        Scenario[] scenarios = new Scenario[Math.toIntExact(profiles)];
        DeploymentProfile[] compiled = new DeploymentProfile[scenarios.length];
        IntStream.range(0, scenarios.length).parallel().forEach(p -> {
            Scenario s = base;
            long rest = p;
            int[] idx = new int[profileAxes.size()];
            for (int k = profileAxes.size() - 1; k >= 0; k--) {
                int size = axes.get(profileAxes.get(k)).values().size();
                idx[k] = (int) (rest % size);
                rest /= size;
            }
            for (int k = 0; k < profileAxes.size(); k++) {
                s = apply(axes.get(profileAxes.get(k)), s, idx[k]);
            }
            scenarios[p] = s;
            compiled[p] = s.profile();
        });
        TableBuilder builder = new TableBuilder("sweep", columns, Math.toIntExact(rows), compiled.length);
        int[] sizes = axes.stream().mapToInt(a -> a.values().size()).toArray();
        Axis<?>[] axisArray = axes.toArray(new Axis<?>[0]);
        int[] profileAxisList = profileAxes.stream().mapToInt(Integer::intValue).toArray();
        SweepRunner.run(rows, (from, to) -> {
            int n = (int) (to - from);
            Estimate[] chunk = new Estimate[n];
            int[] deploymentOf = new int[n];
            int[] d = new int[sizes.length];
            long rest = from;
            for (int a = sizes.length - 1; a >= 0; a--) {
                d[a] = (int) (rest % sizes[a]);
                rest /= sizes[a];
            }
            for (long r = from; r < to; r++) {
                int p = 0;
                for (int a : profileAxisList) {
                    p = p * sizes[a] + d[a];
                }
                Workload w = scenarios[p].workload();
                for (int a = 0; a < sizes.length; a++) {
                    if (axisArray[a].changesOnlyWorkload()) {
                        w = applyWorkload(axisArray[a], w, d[a]);
                    }
                }
                chunk[(int) (r - from)] = compiled[p].estimate(w);
                deploymentOf[(int) (r - from)] = p;
                // next row: the last axis varies fastest
                for (int a = sizes.length - 1; a >= 0 && ++d[a] == sizes[a]; a--) {
                    d[a] = 0;
                }
            }
            builder.setAll((int) from, chunk, deploymentOf, n);
        });
        Table t = builder.build();
        for (int a = axes.size() - 1; a >= 0; a--) {
            String name = axes.get(a).name();
            if (!t.columnNames().contains(name)) {
                int index = a;
                List<Object> values = new ArrayList<>(Math.toIntExact(rows));
                for (long r = 0; r < rows; r++) {
                    values.add(axes.get(index).values().get((int) digits(r)[index]));
                }
                t.insertColumn(0, Tables.column(name, values));
            }
        }
        return t;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("sweep of ").append(base).append(" over ");
        for (Axis<?> a : axes) {
            b.append(a.name()).append(' ').append(a.values()).append("; ");
        }
        return b.append(rows()).append(" rows").toString();
    }
}
