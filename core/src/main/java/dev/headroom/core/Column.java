package dev.headroom.core;

import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * One output column: its name (snake_case, the same in JSON, CSV, Tablesaw and text), unit, group, a label in
 * words, and how to read it from an estimate. A value that does not exist for an estimate (speed of a
 * configuration that does not fit) is missing — {@link #MISSING_LONG} or NaN internally, null or empty in
 * every output — never a number that could be mistaken for one.
 */
public record Column(String name, Unit unit, Group group, String label, Kind kind, ToLongFunction<Estimate> whole,
                     ToDoubleFunction<Estimate> real, Function<Estimate, String> text, Predicate<Estimate> flag) {

    /** The marker for a missing whole number. */
    public static final long MISSING_LONG = Long.MIN_VALUE;

    public enum Kind { WHOLE, REAL, TEXT, FLAG }

    /** Which view a column belongs to; tables and outputs select by group. */
    public enum Group { SETUP, MEMORY, SPEED, COST }

    /** One unit per quantity, everywhere: memory in exact bytes, durations in milliseconds, money in US dollars. */
    public enum Unit {
        NONE(""), BYTES("bytes"), TOKENS("tokens"), BLOCKS("blocks"), SEQUENCES("sequences"), COUNT(""), MS("ms"),
        TOKENS_PER_S("tokens/s"), REQUESTS_PER_S("requests/s"), USD("USD"), USD_PER_HOUR("USD/hour"),
        USD_PER_MONTH("USD/month"), USD_PER_MILLION_TOKENS("USD/1M tokens"), TOKENS_PER_DAY("tokens/day"), RATIO("x");

        private final String symbol;

        Unit(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    static Column whole(String name, Unit unit, Group group, String label, ToLongFunction<Estimate> f) {
        return new Column(name, unit, group, label, Kind.WHOLE, f, null, null, null);
    }

    static Column real(String name, Unit unit, Group group, String label, ToDoubleFunction<Estimate> f) {
        return new Column(name, unit, group, label, Kind.REAL, null, f, null, null);
    }

    static Column text(String name, Group group, String label, Function<Estimate, String> f) {
        return new Column(name, Unit.NONE, group, label, Kind.TEXT, null, null, f, null);
    }

    static Column flag(String name, Group group, String label, Predicate<Estimate> f) {
        return new Column(name, Unit.NONE, group, label, Kind.FLAG, null, null, null, f);
    }

    /** The value as an object for JSON and CSV: Long, Double, String or Boolean; null when missing. */
    public Object value(Estimate e) {
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

    /** Whether the value is the same for every workload of a deployment (sweeps compute it once per deployment). */
    public boolean perDeployment() {
        return Columns.PER_DEPLOYMENT.contains(name);
    }

    /** The label with its unit, for headers: "weights per GPU (bytes)". */
    public String title() {
        return unit.symbol().isEmpty() ? label : label + " (" + unit.symbol() + ")";
    }
}
