package dev.headroom.core.training;

import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * One output column of a training estimate: its name (snake_case, the same in JSON, CSV, Tablesaw and text), unit,
 * group, label, and how to read it. A value that does not exist (time of a setup that does not fit, cost without a
 * budget or price) is missing — {@link #MISSING_LONG} or NaN internally, null or empty in every output.
 */
public record TrainingColumn(String name, Unit unit, Group group, String label, Kind kind, ToLongFunction<TrainingEstimate> whole,
                             ToDoubleFunction<TrainingEstimate> real, Function<TrainingEstimate, String> text,
                             Predicate<TrainingEstimate> flag) {

    public static final long MISSING_LONG = Long.MIN_VALUE;

    public enum Kind { WHOLE, REAL, TEXT, FLAG }

    public enum Group { SETUP, MEMORY, TIME, COST }

    /** One unit per quantity: memory in exact bytes, step times in seconds, rates per second, money in US dollars. */
    public enum Unit {
        NONE(""), COUNT(""), BYTES("bytes"), TOKENS("tokens"), SECONDS("s"), TOKENS_PER_S("tokens/s"), FRACTION("0-1"),
        FLOPS("FLOP/s"), GPU_HOURS("GPU-hours"), HOURS("hours"), USD("USD"), USD_PER_GPU_HOUR("USD/GPU-hour");

        private final String symbol;

        Unit(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    static TrainingColumn whole(String name, Unit unit, Group group, String label, ToLongFunction<TrainingEstimate> f) {
        return new TrainingColumn(name, unit, group, label, Kind.WHOLE, f, null, null, null);
    }

    static TrainingColumn real(String name, Unit unit, Group group, String label, ToDoubleFunction<TrainingEstimate> f) {
        return new TrainingColumn(name, unit, group, label, Kind.REAL, null, f, null, null);
    }

    static TrainingColumn text(String name, Group group, String label, Function<TrainingEstimate, String> f) {
        return new TrainingColumn(name, Unit.NONE, group, label, Kind.TEXT, null, null, f, null);
    }

    static TrainingColumn flag(String name, Group group, String label, Predicate<TrainingEstimate> f) {
        return new TrainingColumn(name, Unit.NONE, group, label, Kind.FLAG, null, null, null, f);
    }

    /** The value for JSON and CSV: Long, Double, String or Boolean; null when missing. */
    public Object value(TrainingEstimate e) {
        return switch (kind) {
            case WHOLE -> {
                long v = whole.applyAsLong(e);
                yield v == MISSING_LONG ? null : v;
            }
            case REAL -> {
                double v = real.applyAsDouble(e);
                yield Double.isFinite(v) ? v : null;
            }
            case TEXT -> text.apply(e);
            case FLAG -> flag.test(e);
        };
    }

    /** The label with its unit: "weights per GPU (bytes)". */
    public String title() {
        return unit.symbol().isEmpty() ? label : label + " (" + unit.symbol() + ")";
    }
}
