package dev.headroom.dsl;

import dev.headroom.core.Column.Unit;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Locale;
import java.util.function.DoubleFunction;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * How table cells print (in the notebook, in JShell, in {@code print()}): bytes as GiB (2^30, and the cell says
 * so), times and rates with sensible decimals, counts with thousands separators, missing values as empty cells.
 * Only the printed text changes: the column keeps the exact value, and CSV and JSON write it unformatted.
 */
final class CellFormats {
    private static final double GIB = 1L << 30;

    private CellFormats() {}

    static <C extends NumericColumn<?>> C apply(C column, Unit unit) {
        DoubleFunction<String> f = switch (unit) {
            case BYTES -> v -> String.format(Locale.ROOT, "%.2f GiB", v / GIB);
            case TOKENS, BLOCKS, SEQUENCES, COUNT, TOKENS_PER_DAY -> v -> String.format(Locale.ROOT, "%,.0f", v);
            case MS -> v -> String.format(Locale.ROOT, Math.abs(v) < 10 ? "%.2f" : "%,.1f", v);
            case TOKENS_PER_S -> v -> String.format(Locale.ROOT, Math.abs(v) < 100 ? "%.1f" : "%,.0f", v);
            case USD, USD_PER_HOUR, USD_PER_MONTH, USD_PER_MILLION_TOKENS -> CellFormats::money;
            case RATIO, REQUESTS_PER_S -> v -> String.format(Locale.ROOT, "%.2f", v);
            case NONE -> null;
        };
        if (f != null) {
            column.setPrintFormatter(new NumberColumnFormatter(new Printed(f), ""));
        }
        return column;
    }

    /** Four significant digits, never scientific: 0.1234, 2.490, 1,816. */
    static String money(double v) {
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        int decimals = a >= 100 ? 1 : a >= 10 ? 2 : a >= 1 ? 3 : a >= 0.1 ? 4 : a >= 0.01 ? 5 : 6;
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A NumberFormat that only prints (Tablesaw's formatter takes one). */
    private static final class Printed extends NumberFormat {
        private final transient DoubleFunction<String> print;

        Printed(DoubleFunction<String> print) {
            this.print = print;
        }

        @Override
        public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
            return to.append(print.apply(number));
        }

        @Override
        public StringBuffer format(long number, StringBuffer to, FieldPosition pos) {
            return to.append(print.apply(number));
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("display format only");
        }
    }
}
