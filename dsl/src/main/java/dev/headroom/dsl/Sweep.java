package dev.headroom.dsl;

import dev.headroom.core.Estimate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import tech.tablesaw.api.Table;

/**
 * The cartesian product of choices over a base scenario, evaluated in parallel into one Tablesaw table
 * (one row per estimate, in the order the axes were given). Immutable: each axis returns a new Sweep.
 */
public record Sweep(Scenario base, List<Axis<?>> axes) {
    /** One swept choice: its column name, its values, and how a value changes a scenario. */
    public record Axis<T>(String name, List<T> values, BiFunction<Scenario, T, Scenario> apply) {
        public Axis {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new dev.headroom.core.InvalidInputException("sweep axis '" + name + "' needs at least one value");
            }
        }
    }

    public Sweep {
        axes = List.copyOf(axes);
    }

    static Sweep over(Scenario base) {
        return new Sweep(base, List.of());
    }

    public <T> Sweep axis(String name, List<T> values, BiFunction<Scenario, T, Scenario> apply) {
        List<Axis<?>> next = new ArrayList<>(axes);
        next.add(new Axis<>(name, values, apply));
        return new Sweep(base, next);
    }

    public Sweep batch(Integer... sizes) {
        return axis("batch", Arrays.asList(sizes), Scenario::batch);
    }

    public Sweep input(Integer... tokens) {
        return axis("input_tokens", Arrays.asList(tokens), Scenario::input);
    }

    public Sweep output(Integer... tokens) {
        return axis("output_tokens", Arrays.asList(tokens), Scenario::output);
    }

    public Sweep gpu(String... ids) {
        return axis("gpu", Arrays.asList(ids), Scenario::on);
    }

    public Sweep gpus(Integer... counts) {
        return axis("gpus", Arrays.asList(counts), Scenario::gpus);
    }

    public Sweep tp(Integer... degrees) {
        return axis("tp", Arrays.asList(degrees), Scenario::tp);
    }

    public Sweep weights(String... precisions) {
        return axis("weights", Arrays.asList(precisions), Scenario::weights);
    }

    public Sweep kv(String... precisions) {
        return axis("kv", Arrays.asList(precisions), Scenario::kv);
    }

    public Sweep concurrency(Integer... requests) {
        return axis("concurrency", Arrays.asList(requests), Scenario::concurrency);
    }

    public Sweep rate(Double... requestsPerSecond) {
        return axis("request_rate", Arrays.asList(requestsPerSecond), Scenario::rate);
    }

    public Sweep engine(String... names) {
        return axis("engine", Arrays.asList(names), Scenario::engine);
    }

    public Sweep model(String... names) {
        return axis("model", Arrays.asList(names), (s, name) -> s.withModel(Sizing.spec(name)));
    }

    /** One combination: the scenario and the value each axis gave it. */
    private record Point(Scenario scenario, List<Object> values) {}

    /** Every combination, in axis order (the last axis varies fastest). */
    public List<Scenario> scenarios() {
        return points().stream().map(Point::scenario).toList();
    }

    private List<Point> points() {
        List<Point> out = List.of(new Point(base, List.of()));
        for (Axis<?> axis : axes) {
            out = expand(out, axis);
        }
        return out;
    }

    private static <T> List<Point> expand(List<Point> in, Axis<T> axis) {
        List<Point> out = new ArrayList<>(in.size() * axis.values().size());
        for (Point p : in) {
            for (T v : axis.values()) {
                List<Object> values = new ArrayList<>(p.values());
                values.add(v);
                out.add(new Point(axis.apply().apply(p.scenario(), v), values));
            }
        }
        return out;
    }

    public List<Estimate> estimates() {
        return scenarios().parallelStream().map(Scenario::estimate).toList();
    }

    /**
     * One row per combination: memory columns, then speed and cost columns. An axis of your own (not
     * already a column, such as {@code axis("context", ...)}) leads the table as a column of its values.
     */
    public Table table() {
        List<Point> points = points();
        Table t = Tables.of(points.parallelStream().map(p -> p.scenario().estimate()).toList());
        for (int a = axes.size() - 1; a >= 0; a--) {
            String name = axes.get(a).name();
            if (!t.columnNames().contains(name)) {
                int index = a;
                t.insertColumn(0, Tables.column(name, points.stream().map(p -> p.values().get(index)).toList()));
            }
        }
        return t;
    }

    @Override
    public String toString() {
        return table().print();
    }
}
