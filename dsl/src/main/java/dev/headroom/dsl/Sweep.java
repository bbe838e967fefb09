package dev.headroom.dsl;

import dev.headroom.core.Column;
import dev.headroom.core.Columns;
import dev.headroom.core.DeploymentProfile;
import dev.headroom.core.Estimate;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import tech.tablesaw.api.Table;

/**
 * The cartesian product of choices over a base scenario, one row per combination in the order the axes were
 * given (the last axis varies fastest). Axes that change the deployment (GPU, counts, precisions, engine, model,
 * context) are compiled once per combination; axes that change only the requests (batch, prompt, answer, load) are
 * evaluated inside, as arithmetic. Immutable: each axis returns a new Sweep.
 *
 * <p>Axes take plain lists of values or ranges: {@code batch(1, 8, 32)}, {@code batch(powersOfTwo(1, 256))},
 * {@code rate(range(1, 10, 1))}. A combination that cannot be deployed (a tensor-parallel degree the heads do not
 * divide) or does not fit becomes a row that says why, never a failed sweep.
 */
public record Sweep(Scenario base, List<Axis<?>> axes) {
    /**
     * One swept choice: its column name, its values, and how a value changes a scenario.
     *
     * @param onRequests   for an axis that changes only the requests, never the deployment, what a value does to
     *                     them (applied per row without recompiling or rebuilding the scenario); null otherwise
     */
    public record Axis<T>(String name, List<T> values, BiFunction<Scenario, T, Scenario> apply,
                          BiFunction<Requests, T, Requests> onRequests) {
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

        /** Whether the axis changes only the requests. */
        public boolean requestsOnly() {
            return onRequests != null;
        }

        Requests applyAt(Requests r, int index) {
            return onRequests.apply(r, values.get(index));
        }

        Scenario applyAt(Scenario s, int index) {
            T value = values.get(index);
            Scenario next = apply.apply(s, value);
            if (next == null) {
                throw new InvalidInputException("axis(\"" + name + "\", ...) step returned null for " + value
                        + ": return the changed scenario, e.g. (s, n) -> s.maxLength(n)");
            }
            return next;
        }
    }

    public Sweep {
        axes = List.copyOf(axes);
    }

    static Sweep over(Scenario base) {
        return new Sweep(base, List.of());
    }

    /** An axis of your own: any scenario step per value, e.g. {@code axis("users", List.of(10, 100), (s, n) -> s.concurrency(n))}. */
    public <T> Sweep axis(String name, List<T> values, BiFunction<Scenario, T, Scenario> apply) {
        Args.name("axis(...)", name);
        Args.notNull("axis(" + name + ", values, ...)", values);
        Args.notNull("axis(" + name + ", values, step)", apply);
        return with(new Axis<>(name, values, apply, null));
    }

    /** An axis of the requests: the scenario step, and the same change made to the requests alone. */
    private <T> Sweep requestsAxis(String name, List<T> values, BiFunction<Scenario, T, Scenario> apply,
                                   BiFunction<Requests, T, Requests> onRequests) {
        return with(new Axis<>(name, values, apply, onRequests));
    }

    private Sweep with(Axis<?> axis) {
        if (axes.stream().anyMatch(a -> a.name().equals(axis.name()))) {
            throw new InvalidInputException("the sweep already has an axis '" + axis.name() + "': give all its values in one call");
        }
        List<Axis<?>> next = new ArrayList<>(axes);
        next.add(axis);
        return new Sweep(base, next);
    }

    private static List<Integer> positives(String method, int... values) {
        Args.notNull(method, values);
        return Arrays.stream(values).map(n -> Args.positive(method, n)).boxed().toList();
    }

    public Sweep batch(int... sizes) {
        return requestsAxis("batch", positives("batch(...)", sizes), Scenario::batch, Requests::batch);
    }

    public Sweep input(int... tokens) {
        return requestsAxis("input_tokens", positives("input(...)", tokens), Scenario::input, Requests::input);
    }

    public Sweep output(int... tokens) {
        Args.notNull("output(...)", tokens);
        List<Integer> v = Arrays.stream(tokens).map(n -> Args.nonNegative("output(...)", n)).boxed().toList();
        return requestsAxis("output_tokens", v, Scenario::output, Requests::output);
    }

    public Sweep concurrency(int... requests) {
        return requestsAxis("concurrency", positives("concurrency(...)", requests), Scenario::concurrency, Requests::concurrency);
    }

    public Sweep rate(double... requestsPerSecond) {
        Args.notNull("rate(...)", requestsPerSecond);
        List<Double> v = Arrays.stream(requestsPerSecond).map(r -> Args.positive("rate(...)", r)).boxed().toList();
        return requestsAxis("request_rate", v, Scenario::rate, Requests::rate);
    }

    public Sweep rate(int... requestsPerSecond) {
        Args.notNull("rate(...)", requestsPerSecond);
        return rate(Arrays.stream(requestsPerSecond).asDoubleStream().toArray());
    }

    /** Sequence lengths: the engine's max length and prompt + answer follow each value ({@link Scenario#context}). */
    public Sweep context(int... tokens) {
        return axis("context", positives("context(...)", tokens), Scenario::context);
    }

    /** The engine's max length, the requests unchanged. */
    public Sweep maxLength(int... tokens) {
        return axis("max_length", positives("maxLength(...)", tokens), Scenario::maxLength);
    }

    public Sweep gpu(String... ids) {
        List<String> v = names("gpu(...)", ids);
        v.forEach(Catalog::gpu); // an unknown name fails here, not in the middle of the sweep
        return axis("gpu", v, Scenario::on);
    }

    /** The GPUs a finder returns: {@code gpu(gpus("amd"))}. */
    public Sweep gpu(List<String> ids) {
        return gpu(Args.notNull("gpu(...)", ids).toArray(String[]::new));
    }

    public Sweep gpus(int... counts) {
        return axis("gpus", positives("gpus(...)", counts), Scenario::gpus);
    }

    public Sweep tp(int... degrees) {
        return axis("tp", positives("tp(...)", degrees), Scenario::tp);
    }

    public Sweep pp(int... stages) {
        return axis("pp", positives("pp(...)", stages), Scenario::pp);
    }

    public Sweep ep(int... degrees) {
        return axis("ep", positives("ep(...)", degrees), Scenario::ep);
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
        List<String> v = names("model(...)", names);
        v.forEach(Catalog::profile); // an unknown name fails here, not in the middle of the sweep
        return axis("model", v, (s, name) -> s.withModel(Catalog.profile(name)));
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
        int rows = dev.headroom.core.base.Checked.toInt(rows(), "rows of this sweep");
        List<Scenario> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            out.add(scenarioAt(r));
        }
        return out;
    }

    /** The scenario of one row. */
    public Scenario scenarioAt(long row) {
        if (row < 0 || row >= rows()) {
            throw new InvalidInputException("row " + row + " is outside this sweep's " + rows() + " rows");
        }
        Scenario s = base;
        for (int a = 0; a < axes.size(); a++) {
            s = axes.get(a).applyAt(s, valueIndex(a, row));
        }
        return s;
    }

    /** Which value of axis {@code a} row {@code row} takes (the last axis varies fastest). */
    private int valueIndex(int a, long row) {
        long stride = 1;
        for (int k = axes.size() - 1; k > a; k--) {
            stride *= axes.get(k).values().size();
        }
        return (int) ((row / stride) % axes.get(a).values().size());
    }

    public List<Estimate> estimates() {
        return scenarios().parallelStream().map(Scenario::estimate).toList();
    }

    /**
     * One row per combination: setup, memory, speed and cost columns (the column list every output shares;
     * prose such as verdicts is left out). An axis of your own (not already a column, such as
     * {@code context}) leads the table as a column of its values.
     */
    public Results table() {
        return table(Columns.ALL.stream().filter(c -> !Columns.isProse(c)).toList());
    }

    /** The same with only the given columns. */
    public Results table(List<Column> columns) {
        Args.noNulls("table(columns)", columns);
        long rows = rows();
        SweepGuard.checkFits(rows, columns);
        Compiled compiled = compile();
        TableBuilder builder = new TableBuilder("sweep", columns, Math.toIntExact(rows), compiled.profiles.length);
        int[] sizes = axes.stream().mapToInt(a -> a.values().size()).toArray();
        SweepRunner.run("rows", rows, SweepRunner.ROW_CHUNK, (from, to) -> fill(builder, compiled, sizes, from, to));
        Table t = builder.build();
        insertOwnAxes(t, rows);
        return Results.of(t, this);
    }

    /** Each combination of the deployment axes, compiled once; a combination that cannot be deployed keeps its reason. */
    private record Compiled(int[] deploymentAxes, int[] requestAxes, Scenario[] scenarios, Requests[] requests,
                            DeploymentProfile[] profiles, String[] problems) {}

    private Compiled compile() {
        int[] deploymentAxes = IntStream.range(0, axes.size()).filter(a -> !axes.get(a).requestsOnly()).toArray();
        int[] requestAxes = IntStream.range(0, axes.size()).filter(a -> axes.get(a).requestsOnly()).toArray();
        long count = 1;
        for (int a : deploymentAxes) {
            count = Math.multiplyExact(count, axes.get(a).values().size());
        }
        int n = Math.toIntExact(count);
        Scenario[] scenarios = new Scenario[n];
        DeploymentProfile[] profiles = new DeploymentProfile[n];
        String[] problems = new String[n];
        InvalidInputException[] refusals = new InvalidInputException[n];
        if (axes.stream().noneMatch(a -> a.name().equals("gpu"))) {
            base.deployment(); // no GPU chosen and none swept: one clear message before anything runs
        }
        SweepRunner.run("deployments", n, 1, (from, to) -> {
            for (int p = (int) from; p < to; p++) {
                Scenario s = base;
                long rest = p;
                int[] index = new int[deploymentAxes.length];
                for (int k = deploymentAxes.length - 1; k >= 0; k--) {
                    int size = axes.get(deploymentAxes[k]).values().size();
                    index[k] = (int) (rest % size);
                    rest /= size;
                }
                // a step that refuses its value is the user's mistake and stops the sweep; a deployment that cannot
                // be built (tp that does not divide the heads) is a row that says why
                for (int k = 0; k < deploymentAxes.length; k++) {
                    s = axes.get(deploymentAxes[k]).applyAt(s, index[k]);
                }
                scenarios[p] = s;
                try {
                    profiles[p] = s.profile();
                } catch (InvalidInputException cannotDeploy) {
                    if (cannotDeploy.isTooLarge()) {
                        throw cannotDeploy; // a size too large to count is the user's mistake, not a row
                    }
                    problems[p] = cannotDeploy.getMessage();
                    refusals[p] = cannotDeploy;
                }
            }
        });
        if (Arrays.stream(problems).allMatch(java.util.Objects::nonNull)) {
            // nothing in the sweep can be deployed: that is a mistake in the steps, said once, not a table of refusals
            throw refusals[0]; // as thrown: the field it names lets a caller say it in its own words
        }
        Requests[] requests = Arrays.stream(scenarios).map(Scenario::requestsPart).toArray(Requests[]::new);
        return new Compiled(deploymentAxes, requestAxes, scenarios, requests, profiles, problems);
    }

    /** Rows {@code [from, to)}: the requests axes applied to each row's compiled deployment. */
    private void fill(TableBuilder builder, Compiled compiled, int[] sizes, long from, long to) {
        int n = (int) (to - from);
        Estimate[] chunk = new Estimate[n];
        int[] deploymentOf = new int[n];
        int[] digit = new int[sizes.length];
        long rest = from;
        for (int a = sizes.length - 1; a >= 0; a--) {
            digit[a] = (int) (rest % sizes[a]);
            rest /= sizes[a];
        }
        for (int i = 0; i < n; i++) {
            int p = 0;
            for (int a : compiled.deploymentAxes) {
                p = p * sizes[a] + digit[a];
            }
            deploymentOf[i] = p;
            if (compiled.problems[p] != null) {
                Scenario s = compiled.scenarios[p];
                for (int a : compiled.requestAxes) {
                    s = axes.get(a).applyAt(s, digit[a]);
                }
                builder.setCannotDeploy((int) (from + i), s, compiled.problems[p]);
            } else {
                Requests q = compiled.requests[p];
                for (int a : compiled.requestAxes) {
                    q = axes.get(a).applyAt(q, digit[a]);
                }
                chunk[i] = compiled.profiles[p].estimate(q.workload());
            }
            // next row: the last axis varies fastest
            for (int a = sizes.length - 1; a >= 0 && ++digit[a] == sizes[a]; a--) {
                digit[a] = 0;
            }
        }
        builder.setAll((int) from, chunk, deploymentOf, n);
    }

    /** Axes that are not columns of the column list lead the table, in the order given. */
    private void insertOwnAxes(Table t, long rows) {
        for (int a = axes.size() - 1; a >= 0; a--) {
            String name = axes.get(a).name();
            if (!t.columnNames().contains(name)) {
                List<Object> values = new ArrayList<>(Math.toIntExact(rows));
                for (long r = 0; r < rows; r++) {
                    values.add(axes.get(a).values().get(valueIndex(a, r)));
                }
                t.insertColumn(0, Tables.column(name, values));
            }
        }
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
