package dev.headroom.dsl;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.training.TrainingEstimate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import tech.tablesaw.api.Table;

/**
 * The cartesian product of training choices over a base scenario, one row per combination in the order the axes
 * were given (the last varies fastest). Immutable: each axis returns a new sweep.
 */
public record TrainingSweep(TrainingScenario base, List<Axis<?>> axes) {
    /** One swept choice: its column name, its values, and how a value changes a scenario. */
    public record Axis<T>(String name, List<T> values, BiFunction<TrainingScenario, T, TrainingScenario> apply) {
        public Axis {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new InvalidInputException("sweep axis '" + name + "' needs at least one value");
            }
        }
    }

    public TrainingSweep {
        axes = List.copyOf(axes);
    }

    static TrainingSweep over(TrainingScenario base) {
        return new TrainingSweep(base, List.of());
    }

    /** An axis of your own: {@code axis("rank", List.of(8, 64), (s, r) -> s.lora(r))}. */
    public <T> TrainingSweep axis(String name, List<T> values, BiFunction<TrainingScenario, T, TrainingScenario> apply) {
        Args.name("axis(...)", name);
        Args.notNull("axis(" + name + ", values, ...)", values);
        Args.notNull("axis(" + name + ", values, step)", apply);
        List<Axis<?>> next = new ArrayList<>(axes);
        next.add(new Axis<>(name, values, apply));
        return new TrainingSweep(base, next);
    }

    /** "full", "lora", "qlora". */
    public TrainingSweep method(String... methods) {
        return axis("method", names("method(...)", methods), TrainingScenario::method);
    }

    /** DeepSpeed ZeRO stages 0-3. */
    public TrainingSweep zero(int... stages) {
        return axis("zero", ints("zero(...)", stages), TrainingScenario::zero);
    }

    public TrainingSweep recompute(String... modes) {
        return axis("recompute", names("recompute(...)", modes), TrainingScenario::recompute);
    }

    public TrainingSweep optimizer(String... names) {
        return axis("optimizer", names("optimizer(...)", names), TrainingScenario::optimizer);
    }

    public TrainingSweep offload(String... what) {
        return axis("offload", names("offload(...)", what), TrainingScenario::offload);
    }

    public TrainingSweep precision(String... names) {
        return axis("precision", names("precision(...)", names), TrainingScenario::precision);
    }

    public TrainingSweep microBatch(int... sizes) {
        return axis("micro_batch", positive("microBatch(...)", sizes), TrainingScenario::microBatch);
    }

    public TrainingSweep seqLen(int... tokens) {
        return axis("seq_len", positive("seqLen(...)", tokens), TrainingScenario::seqLen);
    }

    public TrainingSweep gpus(int... counts) {
        return axis("gpus", positive("gpus(...)", counts), TrainingScenario::gpus);
    }

    public TrainingSweep gpu(String... ids) {
        return axis("gpu", names("gpu(...)", ids), TrainingScenario::on);
    }

    /** LoRA ranks (the method becomes LoRA unless QLoRA was chosen). */
    public TrainingSweep loraRank(int... ranks) {
        return axis("lora_rank", positive("loraRank(...)", ranks),
                (s, r) -> s.setup().method() == dev.headroom.core.training.Method.QLORA ? s.qlora(r) : s.lora(r));
    }

    private static List<String> names(String method, String... names) {
        Args.notNull(method, names);
        for (String n : names) {
            Args.name(method, n);
        }
        return Arrays.asList(names);
    }

    private static List<Integer> ints(String method, int... values) {
        Args.notNull(method, values);
        return Arrays.stream(values).boxed().toList();
    }

    private static List<Integer> positive(String method, int... values) {
        List<Integer> v = ints(method, values);
        v.forEach(n -> Args.positive(method, n));
        return v;
    }

    public long rows() {
        long n = 1;
        for (Axis<?> a : axes) {
            n = Math.multiplyExact(n, a.values().size());
        }
        return n;
    }

    /** Every combination, in axis order (the last axis varies fastest). */
    public List<TrainingScenario> scenarios() {
        int rows = Math.toIntExact(rows());
        List<TrainingScenario> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            TrainingScenario s = base;
            int rest = r;
            int[] index = new int[axes.size()];
            for (int a = axes.size() - 1; a >= 0; a--) {
                index[a] = rest % axes.get(a).values().size();
                rest /= axes.get(a).values().size();
            }
            for (int a = 0; a < axes.size(); a++) {
                s = apply(axes.get(a), s, index[a]);
            }
            out.add(s);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <T> TrainingScenario apply(Axis<T> axis, TrainingScenario s, int index) {
        return axis.apply().apply(s, axis.values().get(index));
    }

    public List<TrainingEstimate> estimates() {
        return scenarios().parallelStream().map(TrainingScenario::estimate).toList();
    }

    /**
     * One row per combination with every training column; an axis of your own that is not a column leads the table
     * as a column of its values.
     */
    public Table table() {
        List<TrainingScenario> scenarios = scenarios();
        Table t = TrainingTables.of(scenarios.parallelStream().map(TrainingScenario::estimate).toList());
        int rows = scenarios.size();
        for (int a = axes.size() - 1; a >= 0; a--) {
            Axis<?> axis = axes.get(a);
            if (!t.columnNames().contains(axis.name())) {
                List<Object> values = new ArrayList<>(rows);
                for (int r = 0; r < rows; r++) {
                    int rest = r;
                    int index = 0;
                    for (int b = axes.size() - 1; b >= a; b--) {
                        index = rest % axes.get(b).values().size();
                        rest /= axes.get(b).values().size();
                    }
                    values.add(axis.values().get(index));
                }
                t.insertColumn(0, Tables.column(axis.name(), values));
            }
        }
        return t;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("training sweep of ").append(base).append(" over ");
        for (Axis<?> a : axes) {
            b.append(a.name()).append(' ').append(a.values()).append("; ");
        }
        return b.append(rows()).append(" rows").toString();
    }
}
